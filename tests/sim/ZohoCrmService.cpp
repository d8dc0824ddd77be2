#include "ZohoCrmService.h"

#include "FaultInjector.h"
#include "JsonUtil.h"
#include "SimContext.h"
#include "TimeUtil.h"
#include "ZohoLimits.h"
#include "ZohoTokenStore.h"
#include "ZohoWatchService.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace Sim {

namespace {
constexpr int kMaxFields = 50;
constexpr int kMaxPerPage = 200;
constexpr int kDiscreteLimit = 2000;
constexpr int kTokenLimit = 100000;
constexpr int kMaxWriteItems = 100;
constexpr int kMaxIds = 100;

bool isDigits(const QString& s)
{
    if (s.isEmpty() || s.size() > 19)
        return false;
    for (const QChar c : s) {
        if (!c.isDigit())
            return false;
    }
    return true;
}

QJsonObject param(const QString& name)
{
    return QJsonObject{{QStringLiteral("param_name"), name}};
}

// The page_token is bound to every query parameter except itself and page, so a walk can go on
// from page 10 with the token that page returned.
QString bindingOf(const SimRequest& request, ZohoModule m)
{
    QStringList parts;
    for (const auto& item : request.queryItems) {
        if (item.first != QLatin1String("page_token") && item.first != QLatin1String("page"))
            parts.append(item.first + QLatin1Char('=') + item.second);
    }
    parts.sort();
    return ZohoSchema::moduleName(m) + QLatin1Char('|') + parts.join(QLatin1Char('&'));
}

QString opForMethod(const QByteArray& method)
{
    if (method == "GET")
        return QStringLiteral("READ");
    if (method == "POST")
        return QStringLiteral("CREATE");
    if (method == "PUT" || method == "PATCH")
        return QStringLiteral("UPDATE");
    return QStringLiteral("DELETE");
}
} // namespace

ZohoCrmService::ZohoCrmService(SimContext& ctx,
                               ZohoTokenStore& tokens,
                               ZohoRecordStore& records,
                               ZohoLimits& limits,
                               FaultInjector& faults,
                               ZohoWatchService& watch)
    : m_ctx(ctx)
    , m_tokens(tokens)
    , m_records(records)
    , m_limits(limits)
    , m_faults(faults)
    , m_watch(watch)
{ }

SimResponse ZohoCrmService::error(int status, const QString& code, const QString& message, const QJsonObject& details)
{
    return SimResponse::json(status, QJsonObject{{QStringLiteral("code"), code},
                                                 {QStringLiteral("details"), details},
                                                 {QStringLiteral("message"), message},
                                                 {QStringLiteral("status"), QStringLiteral("error")}});
}

SimResponse ZohoCrmService::tooManyRequests()
{
    return error(429, QStringLiteral("TOO_MANY_REQUESTS"),
                 QStringLiteral("Number of API requests for the 24 hour period is exceeded or the concurrency limit of "
                                "the user for the app is exceeded"));
}

SimResponse ZohoCrmService::authenticate(const SimRequest& request, QStringList& scopes)
{
    const QByteArray auth = request.header("authorization");
    static const QByteArray prefix = "zoho-oauthtoken ";
    if (auth.size() <= prefix.size() || auth.left(prefix.size()).toLower() != prefix)
        return error(401, QStringLiteral("AUTHENTICATION_FAILURE"), QStringLiteral("Authentication failed"));
    const QString token = QString::fromUtf8(auth.mid(prefix.size()).trimmed());
    if (token.isEmpty() || token.contains(QLatin1Char(' ')))
        return error(401, QStringLiteral("AUTHENTICATION_FAILURE"), QStringLiteral("Authentication failed"));
    const int callLimit = m_faults.config(ApiScope::Zoho).tokenExpireAfterCalls;
    const ZohoTokenStore::Check check = m_tokens.useAccessToken(token, callLimit, &scopes);
    if (check == ZohoTokenStore::Check::CallLimit)
        m_ctx.stats.countFault(QStringLiteral("token_expired"));
    if (check != ZohoTokenStore::Check::Ok)
        return error(401, QStringLiteral("INVALID_TOKEN"), QStringLiteral("invalid oauth token"));
    return SimResponse::empty(0);
}

SimResponse ZohoCrmService::handle(const SimRequest& request)
{
    static const QString root = QStringLiteral("/crm/v8/");
    QStringList segs = request.path.mid(root.size()).split(QLatin1Char('/'), Qt::SkipEmptyParts);

    QStringList scopes;
    const SimResponse authError = authenticate(request, scopes);
    if (authError.status != 0)
        return authError;

    SimResponse response;
    const bool isWatch =
        segs.size() == 2 && segs.at(0) == QLatin1String("actions") && segs.at(1) == QLatin1String("watch");
    ZohoModule module = ZohoModule::Contacts;
    if (isWatch) {
        if (!ZohoTokenStore::grants(scopes, QStringLiteral("notifications"), QString(), opForMethod(request.method)))
            return error(401, QStringLiteral("OAUTH_SCOPE_MISMATCH"), QStringLiteral("Unauthorized"));
    } else {
        if (segs.isEmpty() || segs.size() > 2)
            return error(404, QStringLiteral("INVALID_URL_PATTERN"),
                         QStringLiteral("Please check if the URL trying to access is a correct one"));
        if (!ZohoSchema::parseModule(segs.at(0), module))
            return error(400, QStringLiteral("INVALID_MODULE"),
                         QStringLiteral("the module name given seems to be invalid"),
                         QJsonObject{{QStringLiteral("resource_path_index"), 0}});
        const bool upsert = segs.size() == 2 && segs.at(1) == QLatin1String("upsert");
        const QString moduleLower = ZohoSchema::moduleName(module).toLower();
        bool allowed = false;
        if (upsert && request.method == "POST")
            allowed =
                ZohoTokenStore::grants(scopes, QStringLiteral("modules"), moduleLower, QStringLiteral("CREATE")) &&
                ZohoTokenStore::grants(scopes, QStringLiteral("modules"), moduleLower, QStringLiteral("UPDATE"));
        else
            allowed =
                ZohoTokenStore::grants(scopes, QStringLiteral("modules"), moduleLower, opForMethod(request.method));
        if (!allowed)
            return error(401, QStringLiteral("OAUTH_SCOPE_MISMATCH"), QStringLiteral("Unauthorized"));
    }

    if (!m_limits.spendCredit())
        return tooManyRequests();

    if (isWatch) {
        response = m_watch.handle(request);
    } else {
        const QString second = segs.size() == 2 ? segs.at(1) : QString();
        if (request.method == "GET")
            response = second.isEmpty() ? list(request, module) : get(request, module, second);
        else if (request.method == "POST" && (second.isEmpty() || second == QLatin1String("upsert")))
            response = write(request, module, QString(), !second.isEmpty());
        else if (request.method == "PUT")
            response = write(request, module, second.isEmpty() ? QString() : second, false);
        else if (request.method == "DELETE")
            response = remove(request, module, second);
        else
            response = error(400, QStringLiteral("INVALID_REQUEST_METHOD"),
                             QStringLiteral("The http request method type is not a valid one"));
    }
    if (m_limits.showRemainingHeader())
        response.setHeader("X-API-CREDITS-REMAINING", QByteArray::number(m_limits.creditsRemaining()));
    return response;
}

bool ZohoCrmService::parseFields(
    const SimRequest& request, ZohoModule m, bool required, QStringList& fields, SimResponse& err) const
{
    const QString raw = request.query(QStringLiteral("fields"));
    if (raw.trimmed().isEmpty()) {
        if (required) {
            err = error(400, QStringLiteral("REQUIRED_PARAM_MISSING"),
                        QStringLiteral("One of the expected parameter is missing"), param(QStringLiteral("fields")));
            return false;
        }
        return true;
    }
    const QStringList parts = raw.split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString& p : parts) {
        const QString f = p.trimmed();
        if (!f.isEmpty() && !fields.contains(f))
            fields.append(f);
    }
    if (fields.size() > kMaxFields) {
        err = error(400, QStringLiteral("LIMIT_EXCEEDED"), QStringLiteral("the limit has been exceeded"),
                    QJsonObject{{QStringLiteral("limit"), kMaxFields},
                                {QStringLiteral("param_name"), QStringLiteral("fields")}});
        return false;
    }
    for (const QString& f : fields) {
        if (!ZohoSchema::isKnownField(m, f)) {
            err = error(
                400, QStringLiteral("INVALID_DATA"), QStringLiteral("the field api name given seems to be invalid"),
                QJsonObject{{QStringLiteral("param_name"), QStringLiteral("fields")}, {QStringLiteral("api_name"), f}});
            return false;
        }
    }
    return true;
}

QString ZohoCrmService::issuePageToken(ZohoModule m, const QString& binding, int offset, qint64& expiresAtMs)
{
    const qint64 now = m_ctx.clock.nowMs();
    if (m_pageTokens.size() > 50000) {
        for (auto it = m_pageTokens.begin(); it != m_pageTokens.end();) {
            if (it->expiresAtMs <= now)
                it = m_pageTokens.erase(it);
            else
                ++it;
        }
    }
    expiresAtMs = now + qint64(m_ctx.config.zohoPageTokenTtlS) * 1000;
    const QString token = randomHex(m_ctx.rng, 40);
    m_pageTokens.insert(token, PageToken{m, binding, offset, expiresAtMs});
    return token;
}

SimResponse ZohoCrmService::list(const SimRequest& request, ZohoModule m)
{
    SimResponse err;
    QStringList fields;
    if (!parseFields(request, m, true, fields, err))
        return err;

    int perPage = kMaxPerPage;
    if (request.hasQuery(QStringLiteral("per_page"))) {
        bool ok = false;
        perPage = request.query(QStringLiteral("per_page")).toInt(&ok);
        if (!ok || perPage < 1 || perPage > kMaxPerPage)
            return error(400, QStringLiteral("INVALID_DATA"), QStringLiteral("invalid data"),
                         QJsonObject{{QStringLiteral("param_name"), QStringLiteral("per_page")},
                                     {QStringLiteral("minimum"), 1},
                                     {QStringLiteral("maximum"), kMaxPerPage}});
    }
    const bool hasPage = request.hasQuery(QStringLiteral("page"));
    const bool hasToken = request.hasQuery(QStringLiteral("page_token"));
    if (hasPage && hasToken)
        return error(400, QStringLiteral("AMBIGUITY_DURING_PROCESSING"),
                     QStringLiteral("ambiguity while processing the request"),
                     QJsonObject{{QStringLiteral("ambiguity_due_to"),
                                  QJsonArray{QJsonObject{{QStringLiteral("api_name"), QStringLiteral("page")},
                                                         {QStringLiteral("json_path"), QStringLiteral("$.query.page")}},
                                             QJsonObject{{QStringLiteral("api_name"), QStringLiteral("page_token")},
                                                         {QStringLiteral("json_path"),
                                                          QStringLiteral("$.query.page_token")}}}}});

    ZohoSortKey sortKey = ZohoSortKey::Id;
    QString sortBy = QStringLiteral("id");
    if (request.hasQuery(QStringLiteral("sort_by"))) {
        sortBy = request.query(QStringLiteral("sort_by"));
        if (sortBy == QLatin1String("Created_Time"))
            sortKey = ZohoSortKey::CreatedTime;
        else if (sortBy == QLatin1String("Modified_Time"))
            sortKey = ZohoSortKey::ModifiedTime;
        else if (sortBy != QLatin1String("id"))
            return error(400, QStringLiteral("INVALID_DATA"), QStringLiteral("invalid data"),
                         QJsonObject{{QStringLiteral("param_name"), QStringLiteral("sort_by")},
                                     {QStringLiteral("supported_values"),
                                      QJsonArray{QStringLiteral("id"), QStringLiteral("Created_Time"),
                                                 QStringLiteral("Modified_Time")}}});
    }
    // Zoho's default order is descending.
    QString sortOrder = QStringLiteral("desc");
    if (request.hasQuery(QStringLiteral("sort_order"))) {
        sortOrder = request.query(QStringLiteral("sort_order"));
        if (sortOrder != QLatin1String("asc") && sortOrder != QLatin1String("desc"))
            return error(400, QStringLiteral("INVALID_DATA"), QStringLiteral("invalid data"),
                         QJsonObject{{QStringLiteral("param_name"), QStringLiteral("sort_order")},
                                     {QStringLiteral("supported_values"),
                                      QJsonArray{QStringLiteral("asc"), QStringLiteral("desc")}}});
    }

    QSet<qint64> idFilter;
    if (request.hasQuery(QStringLiteral("ids"))) {
        const QStringList ids = request.query(QStringLiteral("ids")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        if (ids.size() > kMaxIds)
            return error(
                400, QStringLiteral("LIMIT_EXCEEDED"), QStringLiteral("the limit has been exceeded"),
                QJsonObject{{QStringLiteral("limit"), kMaxIds}, {QStringLiteral("param_name"), QStringLiteral("ids")}});
        for (const QString& id : ids) {
            if (!isDigits(id.trimmed()))
                return error(400, QStringLiteral("INVALID_DATA"), QStringLiteral("the id given seems to be invalid"),
                             param(QStringLiteral("ids")));
            idFilter.insert(id.trimmed().toLongLong());
        }
        if (idFilter.isEmpty())
            return error(400, QStringLiteral("INVALID_DATA"), QStringLiteral("invalid data"),
                         param(QStringLiteral("ids")));
    }

    std::optional<qint64> ims;
    if (request.hasHeader("if-modified-since")) {
        ims = parseTime(QString::fromUtf8(request.header("if-modified-since")));
        if (!ims)
            return error(400, QStringLiteral("INVALID_DATA"), QStringLiteral("invalid data"),
                         QJsonObject{{QStringLiteral("api_name"), QStringLiteral("If-Modified-Since")}});
    }

    const QString binding = bindingOf(request, m);
    int offset = 0;
    if (hasToken) {
        const QString token = request.query(QStringLiteral("page_token"));
        const auto it = m_pageTokens.constFind(token);
        if (it == m_pageTokens.constEnd() || it->module != m || it->binding != binding)
            return error(
                400, QStringLiteral("TOKEN_BOUND_DATA_MISMATCH"),
                QStringLiteral("The page_token given seems to be invalid or input param is added or altered or "
                               "deleted"),
                param(QStringLiteral("page_token")));
        if (it->expiresAtMs <= m_ctx.clock.nowMs())
            return error(400, QStringLiteral("EXPIRED_VALUE"), QStringLiteral("Page token expired"),
                         QJsonObject{{QStringLiteral("api_name"), QStringLiteral("page_token")},
                                     {QStringLiteral("json_path"), QStringLiteral("$.query.page_token")}});
        offset = it->offset;
        if (offset >= kTokenLimit)
            return error(400, QStringLiteral("PAGINATION_LIMIT_EXCEEDED"),
                         QStringLiteral("You can only get upto 100000 records using page_token param"),
                         param(QStringLiteral("page_token")));
    } else {
        int page = 1;
        if (hasPage) {
            bool ok = false;
            page = request.query(QStringLiteral("page")).toInt(&ok);
            if (!ok || page < 1)
                return error(400, QStringLiteral("INVALID_DATA"), QStringLiteral("invalid data"),
                             param(QStringLiteral("page")));
        }
        if (qint64(page) * perPage > kDiscreteLimit)
            return error(400, QStringLiteral("DISCRETE_PAGINATION_LIMIT_EXCEEDED"),
                         QStringLiteral("You can only get the first 2000 records without using page_token param"),
                         QJsonObject{{QStringLiteral("limit"), kDiscreteLimit}});
        offset = (page - 1) * perPage;
    }

    const auto& entries = m_records.sorted(m, sortKey, sortOrder == QLatin1String("desc"));
    const bool filtered = !idFilter.isEmpty() || ims.has_value();
    QVector<qint64> matching;
    if (filtered) {
        for (const auto& e : entries) {
            if (!idFilter.isEmpty() && !idFilter.contains(e.id))
                continue;
            // Inclusive and at Modified_Time's second precision, like Zoho.
            if (ims && (e.modifiedMs / 1000) * 1000 < *ims)
                continue;
            matching.append(e.id);
        }
    }
    const int total = filtered ? matching.size() : entries.size();
    if (ims && total == 0)
        return SimResponse::empty(m_ctx.config.zohoNoChangeStatus);
    if (offset >= total)
        return SimResponse::empty(204);

    const int end = qMin(total, offset + perPage);
    QJsonArray data;
    for (int i = offset; i < end; ++i) {
        const qint64 id = filtered ? matching.at(i) : entries.at(i).id;
        const ZohoRecord* r = m_records.find(m, id);
        if (r)
            data.append(m_records.render(m, *r, &fields));
    }
    const bool more = end < total;
    QJsonValue next;
    QJsonValue expiry;
    if (more) {
        qint64 expiresAt = 0;
        next = issuePageToken(m, binding, end, expiresAt);
        expiry = m_records.formatTime(expiresAt);
    }
    QJsonValue previous;
    if (offset > 0) {
        qint64 unused = 0;
        previous = issuePageToken(m, binding, qMax(0, offset - perPage), unused);
    }
    QJsonObject info{{QStringLiteral("per_page"), perPage},          {QStringLiteral("count"), data.size()},
                     {QStringLiteral("page"), offset / perPage + 1}, {QStringLiteral("sort_by"), sortBy},
                     {QStringLiteral("sort_order"), sortOrder},      {QStringLiteral("more_records"), more},
                     {QStringLiteral("next_page_token"), next},      {QStringLiteral("previous_page_token"), previous},
                     {QStringLiteral("page_token_expiry"), expiry}};
    return SimResponse::json(200, QJsonObject{{QStringLiteral("data"), data}, {QStringLiteral("info"), info}});
}

SimResponse ZohoCrmService::get(const SimRequest& request, ZohoModule m, const QString& idText)
{
    if (!isDigits(idText))
        return error(400, QStringLiteral("INVALID_DATA"), QStringLiteral("the id given seems to be invalid"),
                     QJsonObject{{QStringLiteral("resource_path_index"), 1}});
    SimResponse err;
    QStringList fields;
    if (!parseFields(request, m, false, fields, err))
        return err;
    const ZohoRecord* r = m_records.find(m, idText.toLongLong());
    if (!r)
        return SimResponse::empty(204);
    if (request.hasHeader("if-modified-since")) {
        const auto ims = parseTime(QString::fromUtf8(request.header("if-modified-since")));
        if (!ims)
            return error(400, QStringLiteral("INVALID_DATA"), QStringLiteral("invalid data"),
                         QJsonObject{{QStringLiteral("api_name"), QStringLiteral("If-Modified-Since")}});
        if ((r->modifiedMs / 1000) * 1000 < *ims)
            return SimResponse::empty(m_ctx.config.zohoNoChangeStatus);
    }
    return SimResponse::json(200,
                             QJsonObject{{QStringLiteral("data"),
                                          QJsonArray{m_records.render(m, *r, fields.isEmpty() ? nullptr : &fields)}}});
}

SimResponse ZohoCrmService::writeStatus(
    const QJsonArray& results, int successes, int failures, bool anyInserted, bool anyUpdated) const
{
    int status = 200;
    if (failures > 0 && successes == 0)
        status = 400;
    else if (failures > 0)
        status = 207;
    else if (anyInserted && !anyUpdated)
        status = 201;
    return SimResponse::json(status, QJsonObject{{QStringLiteral("data"), results}});
}

SimResponse ZohoCrmService::write(const SimRequest& request, ZohoModule m, const QString& idText, bool upsert)
{
    const bool creating = request.method == "POST" && !upsert;
    if (!idText.isEmpty() && !isDigits(idText))
        return error(400, QStringLiteral("INVALID_DATA"), QStringLiteral("the id given seems to be invalid"),
                     QJsonObject{{QStringLiteral("resource_path_index"), 1}});
    const auto body = parseJsonObject(request.body);
    if (!body)
        return error(400, QStringLiteral("INVALID_DATA"),
                     QStringLiteral("the request body is not a valid JSON object"));
    if (!body->contains(QStringLiteral("data")))
        return error(400, QStringLiteral("MANDATORY_NOT_FOUND"), QStringLiteral("required field not found"),
                     QJsonObject{{QStringLiteral("api_name"), QStringLiteral("data")},
                                 {QStringLiteral("json_path"), QStringLiteral("$.data")}});
    const QJsonValue dataValue = body->value(QStringLiteral("data"));
    if (!dataValue.isArray() || dataValue.toArray().isEmpty())
        return error(400, QStringLiteral("INVALID_DATA"), QStringLiteral("invalid data"),
                     QJsonObject{{QStringLiteral("api_name"), QStringLiteral("data")},
                                 {QStringLiteral("json_path"), QStringLiteral("$.data")}});
    const QJsonArray items = dataValue.toArray();
    if (items.size() > kMaxWriteItems)
        return error(400, QStringLiteral("LIMIT_EXCEEDED"), QStringLiteral("the limit has been exceeded"),
                     QJsonObject{{QStringLiteral("limit"), kMaxWriteItems},
                                 {QStringLiteral("api_name"), QStringLiteral("data")}});

    QStringList dupFields;
    if (upsert) {
        dupFields = toStringList(body->value(QStringLiteral("duplicate_check_fields")));
        if (dupFields.isEmpty())
            dupFields.append(ZohoSchema::defaultDuplicateCheckField(m));
        for (const QString& f : dupFields) {
            if (!ZohoSchema::isKnownField(m, f) || f.startsWith(QLatin1Char('$')))
                return error(400, QStringLiteral("INVALID_DATA"), QStringLiteral("invalid data"),
                             QJsonObject{{QStringLiteral("api_name"), QStringLiteral("duplicate_check_fields")},
                                         {QStringLiteral("json_path"), QStringLiteral("$.duplicate_check_fields")}});
        }
    }
    QHash<QString, QHash<QString, qint64>> dupIndex;
    for (const QString& f : dupFields)
        dupIndex.insert(f, m_records.indexBy(m, f));
    auto dupKey = [](const QJsonValue& v) {
        if (v.isObject())
            return v.toObject().value(QStringLiteral("name")).toString().trimmed().toLower();
        return v.toVariant().toString().trimmed().toLower();
    };

    const ZohoUser& actor = m_records.apiUser();
    QJsonArray results;
    int successes = 0;
    int failures = 0;
    bool anyInserted = false;
    bool anyUpdated = false;
    ZohoChange inserted{m, QStringLiteral("insert"), {}, {}, {}};
    ZohoChange updated{m, QStringLiteral("update"), {}, {}, {}};

    for (int i = 0; i < items.size(); ++i) {
        if (!items.at(i).isObject()) {
            results.append(ZohoRecordStore::itemError(
                QStringLiteral("INVALID_DATA"), QStringLiteral("invalid data"),
                QJsonObject{{QStringLiteral("json_path"), QStringLiteral("$.data[%1]").arg(i)}}));
            ++failures;
            continue;
        }
        QJsonObject item = items.at(i).toObject();
        ZohoWriteResult res;
        bool isInsert = false;
        QString duplicateField;
        if (creating) {
            item.remove(QStringLiteral("id"));
            res = m_records.create(m, item, i, true, actor);
            isInsert = true;
        } else if (upsert) {
            qint64 match = 0;
            for (const QString& f : dupFields) {
                const QString key = dupKey(item.value(f));
                if (!key.isEmpty() && dupIndex[f].contains(key)) {
                    match = dupIndex[f].value(key);
                    duplicateField = f;
                    break;
                }
            }
            item.remove(QStringLiteral("id"));
            if (match != 0) {
                res = m_records.update(m, match, item, i, true, actor);
            } else {
                res = m_records.create(m, item, i, true, actor);
                isInsert = true;
            }
        } else {
            qint64 id = 0;
            if (!idText.isEmpty()) {
                id = idText.toLongLong();
            } else {
                const QJsonValue idValue = item.value(QStringLiteral("id"));
                const QString text =
                    idValue.isDouble() ? QString::number(qint64(idValue.toDouble())) : idValue.toString();
                if (idValue.isUndefined() || idValue.isNull() || text.isEmpty()) {
                    results.append(ZohoRecordStore::itemError(
                        QStringLiteral("MANDATORY_NOT_FOUND"), QStringLiteral("required field not found"),
                        QJsonObject{{QStringLiteral("api_name"), QStringLiteral("id")},
                                    {QStringLiteral("json_path"), QStringLiteral("$.data[%1].id").arg(i)}}));
                    ++failures;
                    continue;
                }
                id = isDigits(text) ? text.toLongLong() : -1;
            }
            item.remove(QStringLiteral("id"));
            res = m_records.update(m, id, item, i, true, actor);
        }
        if (!res.ok) {
            results.append(res.error);
            ++failures;
            continue;
        }
        ++successes;
        const ZohoRecord* r = m_records.find(m, res.id);
        const QString idString = QString::number(res.id);
        QJsonObject out{
            {QStringLiteral("code"), QStringLiteral("SUCCESS")},
            {QStringLiteral("details"), m_records.successDetails(*r)},
            {QStringLiteral("message"), isInsert ? QStringLiteral("record added") : QStringLiteral("record updated")},
            {QStringLiteral("status"), QStringLiteral("success")}};
        if (upsert) {
            out.insert(QStringLiteral("action"), isInsert ? QStringLiteral("insert") : QStringLiteral("update"));
            out.insert(QStringLiteral("duplicate_field"),
                       duplicateField.isEmpty() ? QJsonValue() : QJsonValue(duplicateField));
        }
        results.append(out);
        if (isInsert) {
            anyInserted = true;
            inserted.ids.append(idString);
        } else {
            anyUpdated = true;
            if (!updated.ids.contains(idString))
                updated.ids.append(idString);
            QStringList& fieldsChanged = updated.affectedFields[idString];
            for (const QString& f : res.changedFields) {
                if (!fieldsChanged.contains(f))
                    fieldsChanged.append(f);
            }
            QJsonObject& values = updated.affectedValues[idString];
            for (auto it = res.changedValues.constBegin(); it != res.changedValues.constEnd(); ++it)
                values.insert(it.key(), it.value());
        }
        for (const QString& f : dupFields) {
            const QString key = dupKey(r->data.value(f));
            if (!key.isEmpty() && !dupIndex[f].contains(key))
                dupIndex[f].insert(key, res.id);
        }
    }
    m_records.publish(inserted);
    m_records.publish(updated);
    return writeStatus(results, successes, failures, anyInserted, anyUpdated);
}

SimResponse ZohoCrmService::remove(const SimRequest& request, ZohoModule m, const QString& idText)
{
    QStringList ids;
    if (!idText.isEmpty())
        ids.append(idText);
    else
        ids = request.query(QStringLiteral("ids")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (ids.isEmpty())
        return error(400, QStringLiteral("REQUIRED_PARAM_MISSING"),
                     QStringLiteral("One of the expected parameter is missing"), param(QStringLiteral("ids")));
    if (ids.size() > kMaxIds)
        return error(
            400, QStringLiteral("LIMIT_EXCEEDED"), QStringLiteral("the limit has been exceeded"),
            QJsonObject{{QStringLiteral("limit"), kMaxIds}, {QStringLiteral("param_name"), QStringLiteral("ids")}});
    QJsonArray results;
    int successes = 0;
    int failures = 0;
    ZohoChange deleted{m, QStringLiteral("delete"), {}, {}, {}};
    for (const QString& raw : ids) {
        const QString id = raw.trimmed();
        if (isDigits(id) && m_records.remove(m, id.toLongLong())) {
            ++successes;
            deleted.ids.append(id);
            results.append(QJsonObject{{QStringLiteral("code"), QStringLiteral("SUCCESS")},
                                       {QStringLiteral("details"), QJsonObject{{QStringLiteral("id"), id}}},
                                       {QStringLiteral("message"), QStringLiteral("record deleted")},
                                       {QStringLiteral("status"), QStringLiteral("success")}});
        } else {
            ++failures;
            results.append(ZohoRecordStore::itemError(QStringLiteral("INVALID_DATA"),
                                                      QStringLiteral("the id given seems to be invalid"),
                                                      QJsonObject{{QStringLiteral("id"), id}}));
        }
    }
    m_records.publish(deleted);
    return writeStatus(results, successes, failures, false, true);
}

} // namespace Sim
