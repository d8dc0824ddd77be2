#include "OracleAccountsService.h"

#include "JsonUtil.h"
#include "OracleStore.h"
#include "SimContext.h"

#include <QRegularExpression>
#include <QSet>

#include <utility>

namespace Sim {

namespace {
const char kCanonicalVersion[] = "11.13.18.05";

bool isUpsert(const SimRequest& request)
{
    return QString::fromLatin1(request.header("upsert-mode"))
               .trimmed()
               .compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
}

QString errorPath(const QString& attr)
{
    return QStringLiteral("/accounts/") + attr;
}

bool isReadOnlyAttr(const QString& attr)
{
    static const QSet<QString> readOnly = {QStringLiteral("CreatedBy"),           QStringLiteral("CreationDate"),
                                           QStringLiteral("LastUpdatedBy"),       QStringLiteral("LastUpdateDate"),
                                           QStringLiteral("ObjectVersionNumber"), QStringLiteral("AddressNumber")};
    return readOnly.contains(attr);
}
} // namespace

OracleAccountsService::OracleAccountsService(SimContext& ctx, OracleStore& store)
    : m_ctx(ctx)
    , m_store(store)
{ }

QString OracleAccountsService::itemUrl(const QString& versionSegment, const QString& partyNumber) const
{
    return m_ctx.baseUrl + QStringLiteral("/crmRestApi/resources/") + versionSegment + QStringLiteral("/accounts/") +
           partyNumber;
}

QJsonObject OracleAccountsService::render(const OracleAccount& account,
                                          const QString& versionSegment,
                                          const OracleRenderOptions& options) const
{
    QJsonObject attrs = account.attrs;
    if (options.version >= 9) {
        for (auto it = attrs.begin(); it != attrs.end(); ++it) {
            if (OracleStore::isBigIdAttr(it.key()) && it.value().isDouble())
                it.value() = QString::number(it.value().toInteger());
        }
    }
    const QString etag = OracleFormat::etagFor(account.partyId, account.objectVersion);
    const QString self = itemUrl(versionSegment, account.partyNumber);
    const QString canonical = itemUrl(QString::fromLatin1(kCanonicalVersion), account.partyNumber);
    QJsonArray links{
        OracleFormat::link(QStringLiteral("self"), self, QStringLiteral("accounts"), QStringLiteral("item"), etag),
        OracleFormat::link(QStringLiteral("canonical"), canonical, QStringLiteral("accounts"), QStringLiteral("item"),
                           etag)};
    for (const char* child : {"AccountContact", "Address", "ContactPoint", "PrimaryAddress", "SourceSystemReference"}) {
        const QString name = QString::fromLatin1(child);
        links.append(OracleFormat::link(QStringLiteral("child"), self + QStringLiteral("/child/") + name, name,
                                        QStringLiteral("collection")));
    }
    return OracleFormat::renderItem(attrs, links, account.partyNumber, etag, options);
}

OracleResult OracleAccountsService::itemResult(int status,
                                               const OracleAccount& account,
                                               const QString& versionSegment,
                                               const OracleRenderOptions& options) const
{
    OracleResult r;
    r.status = status;
    r.body = render(account, versionSegment, options);
    r.headers.append({"ETag", OracleFormat::etagFor(account.partyId, account.objectVersion).toLatin1()});
    return r;
}

bool OracleAccountsService::validate(const QJsonObject& payload,
                                     bool creating,
                                     bool upsertKey,
                                     bool checkSourceSystem,
                                     QList<OracleErrorDetail>& errors) const
{
    const QHash<QString, int>& writable = OracleStore::writableAttrs();
    static const QRegularExpression countryRe(QStringLiteral("^[A-Z]{2}$"));
    for (auto it = payload.constBegin(); it != payload.constEnd(); ++it) {
        const QString& attr = it.key();
        const QJsonValue v = it.value();
        if (attr == QLatin1String("PartyNumber")) {
            if (!creating && !upsertKey)
                errors.append({QStringLiteral("The attribute PartyNumber can't be updated."), QStringLiteral("27008"),
                               errorPath(attr)});
            else if (!v.isString() || v.toString().isEmpty() || v.toString().size() > 30)
                errors.append({QStringLiteral("The value of the attribute PartyNumber isn't valid."),
                               QStringLiteral("27024"), errorPath(attr)});
            continue;
        }
        if (attr == QLatin1String("PartyId") || isReadOnlyAttr(attr)) {
            errors.append({QStringLiteral("The attribute %1 can't be updated.").arg(attr), QStringLiteral("27008"),
                           errorPath(attr)});
            continue;
        }
        if (attr == QLatin1String("CreatedByModule") && !creating) {
            errors.append({QStringLiteral("The attribute CreatedByModule can't be updated."), QStringLiteral("27008"),
                           errorPath(attr)});
            continue;
        }
        const auto spec = writable.find(attr);
        if (spec == writable.constEnd()) {
            errors.append({QStringLiteral("The attribute %1 isn't valid for the resource accounts.").arg(attr),
                           QStringLiteral("27025"), errorPath(attr)});
            continue;
        }
        if (v.isNull())
            continue;
        if (attr == QLatin1String("NamedFlag")) {
            if (!v.isBool())
                errors.append({QStringLiteral("The value of the attribute NamedFlag isn't valid."),
                               QStringLiteral("27024"), errorPath(attr)});
            continue;
        }
        if (OracleStore::isBigIdAttr(attr)) {
            bool ok = v.isDouble();
            if (v.isString())
                v.toString().toLongLong(&ok);
            if (!ok)
                errors.append({QStringLiteral("The value of the attribute %1 isn't valid.").arg(attr),
                               QStringLiteral("27024"), errorPath(attr)});
            continue;
        }
        if (!v.isString()) {
            errors.append({QStringLiteral("The value of the attribute %1 isn't valid.").arg(attr),
                           QStringLiteral("27024"), errorPath(attr)});
            continue;
        }
        const QString s = v.toString();
        if (attr == QLatin1String("Country")) {
            if (!countryRe.match(s).hasMatch())
                errors.append({QStringLiteral("The value of the attribute Country isn't valid."),
                               QStringLiteral("27024"), errorPath(attr)});
            continue;
        }
        if (attr == QLatin1String("Status") && s != QLatin1String("A") && s != QLatin1String("I")) {
            errors.append({QStringLiteral("The value of the attribute Status isn't valid."), QStringLiteral("27024"),
                           errorPath(attr)});
            continue;
        }
        if (s.size() > spec.value()) {
            errors.append({QStringLiteral("The value of the attribute %1 exceeds the maximum length of %2 characters.")
                               .arg(attr)
                               .arg(spec.value()),
                           QStringLiteral("27040"), errorPath(attr)});
            continue;
        }
        if (attr == QLatin1String("SourceSystem") && checkSourceSystem && !s.isEmpty() &&
            !m_ctx.config.oracleSourceSystems.contains(s))
            errors.append(
                {QStringLiteral("The source system %1 isn't valid. Make sure the source system exists.").arg(s),
                 QStringLiteral("27024"), errorPath(attr)});
    }
    const QJsonValue name = payload.value(QStringLiteral("OrganizationName"));
    const bool nameMissing = name.isUndefined() || name.isNull() || name.toString().trimmed().isEmpty();
    if ((creating && nameMissing) || (!creating && payload.contains(QStringLiteral("OrganizationName")) && nameMissing))
        errors.prepend({QStringLiteral("Attribute OrganizationName in Account is required."), QStringLiteral("27014"),
                        errorPath(QStringLiteral("OrganizationName"))});
    return errors.isEmpty();
}

namespace {
// Big id attributes arrive as numbers or strings; they are stored as integers.
QJsonObject normalized(const QJsonObject& payload)
{
    QJsonObject out = payload;
    for (auto it = out.begin(); it != out.end(); ++it) {
        if (OracleStore::isBigIdAttr(it.key()) && it.value().isString())
            it.value() = it.value().toString().toLongLong();
    }
    return out;
}
} // namespace

OracleResult OracleAccountsService::create(const QJsonObject& payload,
                                           bool upsertMode,
                                           const QString& versionSegment,
                                           const OracleRenderOptions& options,
                                           const QString& principal)
{
    if (upsertMode) {
        OracleAccount* match = nullptr;
        const QString pn = payload.value(QStringLiteral("PartyNumber")).toString();
        if (!pn.isEmpty())
            match = m_store.find(pn);
        if (!match && m_ctx.config.oracleUpsertMatch == QLatin1String("partynumber+source")) {
            const QString system = payload.value(QStringLiteral("SourceSystem")).toString();
            const QString ref = payload.value(QStringLiteral("SourceSystemReferenceValue")).toString();
            if (!system.isEmpty() && !ref.isEmpty()) {
                const QList<OracleAccount*> found = m_store.findBySource(system, ref);
                if (!found.isEmpty())
                    match = found.first();
            }
        }
        if (match) {
            QList<OracleErrorDetail> errors;
            QJsonObject rest = payload;
            rest.remove(QStringLiteral("PartyNumber"));
            if (!validate(rest, false, true, true, errors))
                return OracleResult::failure(400, errors);
            if (match->attrs.value(QStringLiteral("Status")).toString() == QLatin1String("I"))
                return OracleResult::error(400, QStringLiteral("Inactive records can't be updated."));
            m_store.update(*match, normalized(rest), principal);
            return itemResult(200, *match, versionSegment, options);
        }
    }
    QList<OracleErrorDetail> errors;
    if (!validate(payload, true, false, true, errors))
        return OracleResult::failure(400, errors);
    const QString pn = payload.value(QStringLiteral("PartyNumber")).toString();
    if (!pn.isEmpty() && m_store.find(pn))
        return OracleResult::error(400, QStringLiteral("An account with the party number %1 already exists.").arg(pn),
                                   QStringLiteral("27024"), errorPath(QStringLiteral("PartyNumber")));
    OracleAccount& account = m_store.create(normalized(payload), principal);
    m_ctx.stats.count(QStringLiteral("oracle_accounts_created"));
    OracleResult r = itemResult(201, account, versionSegment, options);
    r.headers.append({"Location", itemUrl(versionSegment, account.partyNumber).toUtf8()});
    return r;
}

OracleResult OracleAccountsService::get(const QString& partyNumber,
                                        const QByteArray& ifNoneMatch,
                                        const QString& versionSegment,
                                        const OracleRenderOptions& options)
{
    const OracleAccount* account = m_store.find(partyNumber);
    if (!account)
        return OracleResult::error(
            404, QStringLiteral("The requested resource accounts/%1 doesn't exist.").arg(partyNumber));
    const QString etag = OracleFormat::etagFor(account->partyId, account->objectVersion);
    if (!ifNoneMatch.isEmpty() && OracleFormat::etagMatches(ifNoneMatch, etag)) {
        OracleResult r;
        r.status = 304;
        r.headers.append({"ETag", etag.toLatin1()});
        return r;
    }
    return itemResult(200, *account, versionSegment, options);
}

OracleResult OracleAccountsService::update(const QString& partyNumber,
                                           const QJsonObject& payload,
                                           const QByteArray& ifMatch,
                                           bool replace,
                                           const QString& versionSegment,
                                           const OracleRenderOptions& options,
                                           const QString& principal)
{
    OracleAccount* account = m_store.find(partyNumber);
    if (!account)
        return OracleResult::error(
            404, QStringLiteral("The requested resource accounts/%1 doesn't exist.").arg(partyNumber));
    const QString etag = OracleFormat::etagFor(account->partyId, account->objectVersion);
    if (!ifMatch.isEmpty() && !OracleFormat::etagMatches(ifMatch, etag))
        return OracleResult::error(412, QStringLiteral("The resource has been modified since the ETag was read."));
    QList<OracleErrorDetail> errors;
    if (!validate(payload, false, false, true, errors))
        return OracleResult::failure(400, errors);
    if (account->attrs.value(QStringLiteral("Status")).toString() == QLatin1String("I") &&
        payload.value(QStringLiteral("Status")).toString() != QLatin1String("A"))
        return OracleResult::error(400, QStringLiteral("Inactive records can't be updated."));
    QJsonObject changes = normalized(payload);
    if (replace) {
        const QHash<QString, int>& writable = OracleStore::writableAttrs();
        for (auto it = writable.constBegin(); it != writable.constEnd(); ++it) {
            if (!changes.contains(it.key()) && it.key() != QLatin1String("CreatedByModule") &&
                it.key() != QLatin1String("Status") && it.key() != QLatin1String("Type"))
                changes.insert(it.key(), QJsonValue());
        }
        if (!changes.contains(QStringLiteral("OrganizationName")))
            return OracleResult::error(400, QStringLiteral("Attribute OrganizationName in Account is required."),
                                       QStringLiteral("27014"), errorPath(QStringLiteral("OrganizationName")));
    }
    m_store.update(*account, changes, principal);
    return itemResult(200, *account, versionSegment, options);
}

OracleResult OracleAccountsService::remove(const QString& partyNumber, const QByteArray& ifMatch)
{
    const OracleAccount* account = m_store.find(partyNumber);
    if (!account)
        return OracleResult::error(
            404, QStringLiteral("The requested resource accounts/%1 doesn't exist.").arg(partyNumber));
    if (!ifMatch.isEmpty() &&
        !OracleFormat::etagMatches(ifMatch, OracleFormat::etagFor(account->partyId, account->objectVersion)))
        return OracleResult::error(412, QStringLiteral("The resource has been modified since the ETag was read."));
    m_store.remove(partyNumber);
    OracleResult r;
    r.status = 204;
    return r;
}

OracleResult OracleAccountsService::query(const SimRequest& request, const QString& versionSegment, int version)
{
    static const OracleFinders finders = {
        {QStringLiteral("AccountPartyNumberRF"), {{QStringLiteral("PartyNumber"), QStringLiteral("PartyNumber")}}},
        {QStringLiteral("PartyIdAltKey"), {{QStringLiteral("PartyId"), QStringLiteral("PartyId")}}},
        {QStringLiteral("MyAccounts"), {{QStringLiteral("BindUserPartyId"), QString()}}},
    };
    const OracleAttrTypes& attrs = OracleStore::accountAttrTypes();
    OracleCollectionParams params;
    OracleResult error;
    if (!OracleFormat::parseCollectionParams(request, version, attrs, finders, m_ctx.config.oracleLimitCap, params,
                                             error))
        return error;

    // Index lookups for the usual keys, then the full filter on the candidates.
    const QHash<QString, QString> eq = params.query.requiredEqualities();
    QList<OracleAccount*> candidates;
    if (eq.contains(QStringLiteral("PartyNumber"))) {
        OracleAccount* a = m_store.find(eq.value(QStringLiteral("PartyNumber")));
        if (a)
            candidates.append(a);
    } else if (eq.contains(QStringLiteral("PartyId"))) {
        OracleAccount* a = m_store.findByPartyId(eq.value(QStringLiteral("PartyId")).trimmed().toLongLong());
        if (a)
            candidates.append(a);
    } else if (eq.contains(QStringLiteral("SourceSystemReferenceValue"))) {
        candidates = m_store.findBySource(QString(), eq.value(QStringLiteral("SourceSystemReferenceValue")));
    } else {
        for (const QString& pn : m_store.order()) {
            OracleAccount* a = m_store.find(pn);
            if (a)
                candidates.append(a);
        }
    }
    QVector<QJsonObject> items;
    QHash<qint64, const OracleAccount*> byId;
    items.reserve(candidates.size());
    for (const OracleAccount* a : std::as_const(candidates)) {
        items.append(a->attrs);
        byId.insert(a->partyId, a);
    }
    OracleResult r;
    r.contentType = "application/vnd.oracle.adf.resourcecollection+json";
    r.body = OracleFormat::collection(
        items, params, attrs,
        m_ctx.baseUrl + QStringLiteral("/crmRestApi/resources/") + versionSegment + QStringLiteral("/accounts"),
        QStringLiteral("accounts"), [&](const QJsonObject& item) {
            const OracleAccount* a = byId.value(item.value(QStringLiteral("PartyId")).toInteger());
            return render(*a, versionSegment, params.render);
        });
    return r;
}

OracleResult OracleAccountsService::findDuplicates(const QByteArray& body, int version)
{
    const auto parsed = parseJsonObject(body);
    const QJsonObject account = parsed ? parsed->value(QStringLiteral("account")).toObject() : QJsonObject();
    const QString name = account.value(QStringLiteral("OrganizationName")).toString().trimmed();
    if (name.isEmpty())
        return OracleResult::error(
            400, QStringLiteral("The action findDuplicates needs an account with an OrganizationName."));
    const QString country = account.value(QStringLiteral("Country")).toString().trimmed();
    OracleRenderOptions options;
    options.version = version;
    options.onlyData = true;
    QJsonArray result;
    for (const QString& pn : m_store.order()) {
        const OracleAccount* a = m_store.find(pn);
        if (!a || a->attrs.value(QStringLiteral("OrganizationName"))
                          .toString()
                          .trimmed()
                          .compare(name, Qt::CaseInsensitive) != 0)
            continue;
        if (!country.isEmpty() &&
            a->attrs.value(QStringLiteral("Country")).toString().compare(country, Qt::CaseInsensitive) != 0)
            continue;
        result.append(render(*a, QString::fromLatin1(kCanonicalVersion), options));
    }
    OracleResult r;
    r.contentType = "application/vnd.oracle.adf.actionresult+json";
    r.body = QJsonObject{{QStringLiteral("result"), result}};
    return r;
}

OracleResult OracleAccountsService::handle(const SimRequest& request,
                                           const QString& versionSegment,
                                           const QStringList& rest,
                                           int version,
                                           const QString& principal)
{
    OracleRenderOptions options;
    OracleResult error;
    if (rest.isEmpty()) {
        if (request.method == "GET")
            return query(request, versionSegment, version);
        if (request.method == "POST") {
            if (!OracleFormat::parseItemParams(request, version, OracleStore::accountAttrTypes(), options, error))
                return error;
            const auto payload = parseJsonObject(request.body);
            if (!payload)
                return OracleResult::error(400, QStringLiteral("The request body isn't a valid JSON object."));
            return create(*payload, isUpsert(request), versionSegment, options, principal);
        }
        return OracleResult::error(405, QStringLiteral("Invalid operation %1 for the specified resource.")
                                            .arg(QString::fromLatin1(request.method).toLower()));
    }
    if (rest.size() == 2 && rest.at(0) == QLatin1String("action")) {
        if (request.method != "POST")
            return OracleResult::error(405, QStringLiteral("Custom actions are invoked with POST."));
        if (rest.at(1) == QLatin1String("findDuplicates"))
            return findDuplicates(request.body, version);
        if (rest.at(1) == QLatin1String("runAssignment")) {
            OracleResult r;
            r.contentType = "application/vnd.oracle.adf.actionresult+json";
            r.body = QJsonObject{{QStringLiteral("result"), QStringLiteral("SUCCESSFUL")}};
            return r;
        }
        return OracleResult::error(404, QStringLiteral("The action %1 doesn't exist.").arg(rest.at(1)));
    }
    if (rest.size() != 1)
        return OracleResult::error(404, QStringLiteral("The requested resource doesn't exist (child resources are not "
                                                       "simulated)."));
    const QString partyNumber = rest.at(0);
    if (!OracleFormat::parseItemParams(request, version, OracleStore::accountAttrTypes(), options, error))
        return error;
    if (request.method == "GET")
        return get(partyNumber, request.header("if-none-match"), versionSegment, options);
    if (request.method == "PATCH") {
        const auto payload = parseJsonObject(request.body);
        if (!payload)
            return OracleResult::error(400, QStringLiteral("The request body isn't a valid JSON object."));
        return update(partyNumber, *payload, request.header("if-match"), false, versionSegment, options, principal);
    }
    if (request.method == "DELETE")
        return remove(partyNumber, request.header("if-match"));
    OracleResult r = OracleResult::error(405, QStringLiteral("Invalid operation %1 for the specified resource.")
                                                  .arg(QString::fromLatin1(request.method).toLower()));
    r.headers.append({QByteArrayLiteral("Allow"), QByteArrayLiteral("GET, PATCH, DELETE")});
    return r;
}

} // namespace Sim
