#include "ZohoWatchService.h"

#include "CallbackDispatcher.h"
#include "JsonUtil.h"
#include "SimContext.h"
#include "TimeUtil.h"
#include "ZohoCrmService.h"

#include <QJsonArray>
#include <QUrl>
#include <QUrlQuery>

namespace Sim {

namespace {
constexpr qint64 kHourMs = 60LL * 60 * 1000;
constexpr qint64 kWeekMs = 7 * 24 * kHourMs;
constexpr int kMaxTokenLength = 50;

QJsonObject itemDetails(int index, const QString& field)
{
    return QJsonObject{{QStringLiteral("api_name"), field},
                       {QStringLiteral("json_path"), QStringLiteral("$.watch[%1].%2").arg(index).arg(field)}};
}

QString opOfOperation(const QString& operation)
{
    if (operation == QLatin1String("insert"))
        return QStringLiteral("create");
    if (operation == QLatin1String("update"))
        return QStringLiteral("edit");
    return QStringLiteral("delete");
}

bool canonicalEvent(const QString& raw, QString& out, ZohoModule& module)
{
    const int dot = raw.lastIndexOf(QLatin1Char('.'));
    if (dot <= 0)
        return false;
    if (!ZohoSchema::parseModule(raw.left(dot), module))
        return false;
    const QString op = raw.mid(dot + 1).toLower();
    if (op != QLatin1String("create") && op != QLatin1String("edit") && op != QLatin1String("delete") &&
        op != QLatin1String("all"))
        return false;
    out = ZohoSchema::moduleName(module) + QLatin1Char('.') + op;
    return true;
}

QList<ZohoModule> modulesOf(const QStringList& events)
{
    QList<ZohoModule> modules;
    for (const QString& e : events) {
        ZohoModule m = ZohoModule::Contacts;
        QString unused;
        if (canonicalEvent(e, unused, m) && !modules.contains(m))
            modules.append(m);
    }
    return modules;
}

SimResponse watchResponse(int status, const QJsonArray& items)
{
    return SimResponse::json(status, QJsonObject{{QStringLiteral("watch"), items}});
}

QJsonObject watchError(const QString& code, const QString& message, const QJsonObject& details)
{
    return QJsonObject{{QStringLiteral("code"), code},
                       {QStringLiteral("details"), details},
                       {QStringLiteral("message"), message},
                       {QStringLiteral("status"), QStringLiteral("error")}};
}

QJsonObject notSubscribed(const QString& channelId)
{
    return watchError(QStringLiteral("NOT_SUBSCRIBED"),
                      QStringLiteral("Not subscribed for actions-watch of the given channel"),
                      QJsonObject{{QStringLiteral("channel_id"), channelId}});
}

int aggregateStatus(int ok, int failed, int successStatus)
{
    if (failed == 0)
        return successStatus;
    return ok == 0 ? 400 : 207;
}
} // namespace

ZohoWatchService::ZohoWatchService(SimContext& ctx, ZohoRecordStore& records, CallbackDispatcher& dispatcher)
    : m_ctx(ctx)
    , m_records(records)
    , m_dispatcher(dispatcher)
{ }

bool ZohoWatchService::isLive(const ZohoChannel& c) const
{
    return c.expiresAtMs > m_ctx.clock.nowMs();
}

QString ZohoWatchService::resourceUri(ZohoModule m, const QString& version) const
{
    return m_ctx.baseUrl + QStringLiteral("/crm/") + version + QLatin1Char('/') + ZohoSchema::moduleName(m);
}

QJsonArray ZohoWatchService::eventEntries(const ZohoChannel& c) const
{
    QJsonArray entries;
    const QList<ZohoModule> modules = modulesOf(c.events);
    for (const ZohoModule m : modules) {
        entries.append(QJsonObject{{QStringLiteral("channel_expiry"), m_records.formatTime(c.expiresAtMs)},
                                   {QStringLiteral("resource_uri"), resourceUri(m, QStringLiteral("v8"))},
                                   {QStringLiteral("resource_id"), ZohoSchema::resourceId(m, m_records.orgPrefix())},
                                   {QStringLiteral("resource_name"), ZohoSchema::moduleName(m)},
                                   {QStringLiteral("channel_id"), c.channelId},
                                   {QStringLiteral("notification_condition"), c.notificationCondition}});
    }
    return entries;
}

SimResponse ZohoWatchService::handle(const SimRequest& request)
{
    if (request.method == "POST")
        return enable(request, Mode::Enable);
    if (request.method == "PUT")
        return enable(request, Mode::Replace);
    if (request.method == "PATCH")
        return enable(request, Mode::Patch);
    if (request.method == "GET")
        return list(request);
    if (request.method == "DELETE")
        return disable(request);
    return ZohoCrmService::error(400, QStringLiteral("INVALID_REQUEST_METHOD"),
                                 QStringLiteral("The http request method type is not a valid one"));
}

bool ZohoWatchService::parseItem(
    const QJsonObject& item, int index, Mode mode, ZohoChannel& channel, bool& deleteEvents, QJsonObject& error) const
{
    auto missing = [&](const QString& field) {
        error = watchError(QStringLiteral("MANDATORY_NOT_FOUND"), QStringLiteral("required field not found"),
                           itemDetails(index, field));
        return false;
    };
    auto invalid = [&](const QString& field) {
        error = watchError(QStringLiteral("INVALID_DATA"), QStringLiteral("invalid data"), itemDetails(index, field));
        return false;
    };

    deleteEvents = item.value(QStringLiteral("_delete_events")).toBool(false);
    const bool full = mode != Mode::Patch;

    // channel_id: a long, echoed back as a string.
    const QJsonValue idValue = item.value(QStringLiteral("channel_id"));
    QString channelId;
    if (idValue.isDouble() && idValue.toDouble() == double(qint64(idValue.toDouble())) && idValue.toDouble() > 0)
        channelId = QString::number(idValue.toInteger());
    else if (idValue.isString())
        channelId = idValue.toString().trimmed();
    if (idValue.isUndefined() || idValue.isNull())
        return missing(QStringLiteral("channel_id"));
    bool numeric = false;
    channelId.toLongLong(&numeric);
    if (!numeric || channelId.startsWith(QLatin1Char('-')))
        return invalid(QStringLiteral("channel_id"));
    channel.channelId = channelId;

    const QJsonValue events = item.value(QStringLiteral("events"));
    if (events.isUndefined() || events.isNull()) {
        if (full || deleteEvents)
            return missing(QStringLiteral("events"));
    } else {
        if (!events.isArray() || events.toArray().isEmpty())
            return invalid(QStringLiteral("events"));
        QStringList parsed;
        const QJsonArray a = events.toArray();
        for (const QJsonValue& v : a) {
            QString canonical;
            ZohoModule m = ZohoModule::Contacts;
            if (!v.isString() || !canonicalEvent(v.toString(), canonical, m))
                return invalid(QStringLiteral("events"));
            if (!parsed.contains(canonical))
                parsed.append(canonical);
        }
        if (deleteEvents) {
            for (const QString& e : parsed)
                channel.events.removeAll(e);
        } else if (mode != Mode::Replace) {
            // Enable and PATCH add events; only PUT replaces the list.
            for (const QString& e : parsed) {
                if (!channel.events.contains(e))
                    channel.events.append(e);
            }
        } else {
            channel.events = parsed;
        }
    }
    if (deleteEvents)
        return true; // removing events ignores the other keys

    const QJsonValue url = item.value(QStringLiteral("notify_url"));
    if (url.isUndefined() || url.isNull()) {
        if (full)
            return missing(QStringLiteral("notify_url"));
    } else {
        const QUrl u(url.toString(), QUrl::StrictMode);
        if (!url.isString() || !u.isValid() || u.host().isEmpty() ||
            (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https")))
            return invalid(QStringLiteral("notify_url"));
        channel.notifyUrl = url.toString();
    }

    const qint64 now = m_ctx.clock.nowMs();
    const QJsonValue expiry = item.value(QStringLiteral("channel_expiry"));
    if (expiry.isUndefined() || expiry.isNull()) {
        if (full)
            channel.expiresAtMs = now + kHourMs;
    } else {
        const auto t = expiry.isString() ? parseTime(expiry.toString()) : std::nullopt;
        if (!t || expiry.toString().size() <= 10 || *t <= now)
            return invalid(QStringLiteral("channel_expiry"));
        // More than a week is not an error: Zoho silently falls back to one hour.
        channel.expiresAtMs = *t > now + kWeekMs ? now + kHourMs : *t;
    }

    const QJsonValue token = item.value(QStringLiteral("token"));
    if (token.isUndefined()) {
        if (mode == Mode::Replace)
            channel.token = QJsonValue();
    } else if (token.isNull()) {
        channel.token = QJsonValue();
    } else {
        if (!token.isString() || token.toString().size() > kMaxTokenLength)
            return invalid(QStringLiteral("token"));
        channel.token = token;
    }

    const QJsonValue related = item.value(QStringLiteral("notify_on_related_action"));
    if (related.isBool())
        channel.notifyOnRelatedAction = related.toBool();
    else if (mode == Mode::Replace)
        channel.notifyOnRelatedAction = true;
    const QJsonValue condition = item.value(QStringLiteral("notification_condition"));
    if (condition.isArray())
        channel.notificationCondition = condition.toArray();
    else if (!condition.isUndefined() && !condition.isNull())
        return invalid(QStringLiteral("notification_condition"));
    else if (mode == Mode::Replace)
        channel.notificationCondition = QJsonArray();
    const QJsonValue values = item.value(QStringLiteral("return_affected_field_values"));
    if (values.isBool())
        channel.returnAffectedFieldValues = values.toBool();
    else if (mode == Mode::Replace)
        channel.returnAffectedFieldValues = false;
    return true;
}

SimResponse ZohoWatchService::enable(const SimRequest& request, Mode mode)
{
    const auto body = parseJsonObject(request.body);
    if (!body)
        return ZohoCrmService::error(400, QStringLiteral("INVALID_DATA"),
                                     QStringLiteral("the request body is not a valid JSON object"));
    const QJsonValue watch = body->value(QStringLiteral("watch"));
    if (!watch.isArray() || watch.toArray().isEmpty())
        return ZohoCrmService::error(400, QStringLiteral("MANDATORY_NOT_FOUND"),
                                     QStringLiteral("required field not found"),
                                     QJsonObject{{QStringLiteral("api_name"), QStringLiteral("watch")},
                                                 {QStringLiteral("json_path"), QStringLiteral("$.watch")}});
    const QJsonArray items = watch.toArray();
    QJsonArray results;
    int ok = 0;
    int failed = 0;
    for (int i = 0; i < items.size(); ++i) {
        const QJsonObject item = items.at(i).toObject();
        // Look up the existing channel first so Patch keeps what it does not mention.
        QString key;
        const QJsonValue idValue = item.value(QStringLiteral("channel_id"));
        key = idValue.isDouble() ? QString::number(idValue.toInteger()) : idValue.toString().trimmed();
        const auto existing = m_channels.constFind(key);
        const bool live = existing != m_channels.constEnd() && isLive(*existing);

        ZohoChannel channel;
        if (live)
            channel = *existing;
        bool deleteEvents = false;
        QJsonObject error;
        if (mode != Mode::Enable && !live && !key.isEmpty()) {
            results.append(notSubscribed(key));
            ++failed;
            continue;
        }
        if (!parseItem(item, i, mode, channel, deleteEvents, error)) {
            results.append(error);
            ++failed;
            continue;
        }
        if (mode == Mode::Enable && !live)
            channel.createdMs = m_ctx.clock.nowMs();
        QString message;
        if (deleteEvents) {
            message = QStringLiteral("Successfully removed the subscribe details");
        } else if (mode == Mode::Enable) {
            message = QStringLiteral("Successfully subscribed for actions-watch of the given module");
        } else {
            message = QStringLiteral("Successfully updated the subscribe details");
        }
        const QJsonArray entries = eventEntries(channel);
        if (channel.events.isEmpty())
            m_channels.remove(channel.channelId);
        else
            m_channels.insert(channel.channelId, channel);
        results.append(QJsonObject{{QStringLiteral("code"), QStringLiteral("SUCCESS")},
                                   {QStringLiteral("details"), QJsonObject{{QStringLiteral("events"), entries}}},
                                   {QStringLiteral("message"), message},
                                   {QStringLiteral("status"), QStringLiteral("success")}});
        ++ok;
    }
    return watchResponse(aggregateStatus(ok, failed, mode == Mode::Enable ? 201 : 200), results);
}

SimResponse ZohoWatchService::list(const SimRequest& request)
{
    const QString channelFilter = request.query(QStringLiteral("channel_id"));
    ZohoModule moduleFilter = ZohoModule::Contacts;
    const bool hasModule = request.hasQuery(QStringLiteral("module"));
    if (hasModule && !ZohoSchema::parseModule(request.query(QStringLiteral("module")), moduleFilter))
        return ZohoCrmService::error(400, QStringLiteral("INVALID_MODULE"),
                                     QStringLiteral("the module name given seems to be invalid"),
                                     QJsonObject{{QStringLiteral("param_name"), QStringLiteral("module")}});
    int perPage = request.query(QStringLiteral("per_page")).toInt();
    if (perPage < 1 || perPage > 200)
        perPage = 200;
    int page = request.query(QStringLiteral("page")).toInt();
    if (page < 1)
        page = 1;

    QJsonArray all;
    for (const ZohoChannel& c : m_channels) {
        if (!isLive(c) || (!channelFilter.isEmpty() && c.channelId != channelFilter))
            continue;
        const QList<ZohoModule> modules = modulesOf(c.events);
        for (const ZohoModule m : modules) {
            if (hasModule && m != moduleFilter)
                continue;
            QJsonArray events;
            for (const QString& e : c.events) {
                if (e.startsWith(ZohoSchema::moduleName(m) + QLatin1Char('.')))
                    events.append(e);
            }
            all.append(QJsonObject{{QStringLiteral("channel_id"), c.channelId},
                                   {QStringLiteral("events"), events},
                                   {QStringLiteral("notify_url"), c.notifyUrl},
                                   {QStringLiteral("channel_expiry"), m_records.formatTime(c.expiresAtMs)},
                                   {QStringLiteral("token"), c.token},
                                   {QStringLiteral("resource_uri"), resourceUri(m, QStringLiteral("v8"))},
                                   {QStringLiteral("resource_id"), ZohoSchema::resourceId(m, m_records.orgPrefix())},
                                   {QStringLiteral("resource_name"), ZohoSchema::moduleName(m)},
                                   {QStringLiteral("notify_on_related_action"), c.notifyOnRelatedAction},
                                   {QStringLiteral("return_affected_field_values"), c.returnAffectedFieldValues},
                                   {QStringLiteral("fields"), QJsonValue()},
                                   {QStringLiteral("notification_condition"), c.notificationCondition}});
        }
    }
    const int offset = (page - 1) * perPage;
    if (offset >= all.size())
        return SimResponse::empty(204);
    QJsonArray pageItems;
    for (int i = offset; i < qMin(int(all.size()), offset + perPage); ++i)
        pageItems.append(all.at(i));
    const QJsonObject info{{QStringLiteral("per_page"), perPage},
                           {QStringLiteral("count"), pageItems.size()},
                           {QStringLiteral("page"), page},
                           {QStringLiteral("more_records"), offset + perPage < all.size()}};
    return SimResponse::json(200, QJsonObject{{QStringLiteral("watch"), pageItems}, {QStringLiteral("info"), info}});
}

SimResponse ZohoWatchService::disable(const SimRequest& request)
{
    const QStringList ids = request.query(QStringLiteral("channel_ids")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (ids.isEmpty())
        return ZohoCrmService::error(400, QStringLiteral("REQUIRED_PARAM_MISSING"),
                                     QStringLiteral("One of the expected parameter is missing"),
                                     QJsonObject{{QStringLiteral("param_name"), QStringLiteral("channel_ids")}});
    QJsonArray results;
    int ok = 0;
    int failed = 0;
    for (const QString& raw : ids) {
        const QString id = raw.trimmed();
        const auto it = m_channels.constFind(id);
        if (it == m_channels.constEnd() || !isLive(*it)) {
            results.append(notSubscribed(id));
            ++failed;
            continue;
        }
        const QJsonArray entries = eventEntries(*it);
        m_channels.remove(id);
        results.append(
            QJsonObject{{QStringLiteral("code"), QStringLiteral("SUCCESS")},
                        {QStringLiteral("details"), QJsonObject{{QStringLiteral("events"), entries}}},
                        {QStringLiteral("message"), QStringLiteral("Successfully un-subscribed from actions-watch")},
                        {QStringLiteral("status"), QStringLiteral("success")}});
        ++ok;
    }
    return watchResponse(aggregateStatus(ok, failed, 200), results);
}

void ZohoWatchService::onChange(const ZohoChange& change)
{
    const QString moduleName = ZohoSchema::moduleName(change.module);
    const QString wanted = moduleName + QLatin1Char('.') + opOfOperation(change.operation);
    const QString all = moduleName + QStringLiteral(".all");
    const qint64 now = m_ctx.clock.nowMs();
    for (auto it = m_channels.begin(); it != m_channels.end(); ++it) {
        ZohoChannel& c = it.value();
        if (c.expiresAtMs <= now || (!c.events.contains(wanted) && !c.events.contains(all)))
            continue;
        QJsonObject queryParams;
        const QUrlQuery q(QUrl(c.notifyUrl).query(QUrl::FullyEncoded));
        const auto items = q.queryItems(QUrl::FullyDecoded);
        for (const auto& item : items)
            queryParams.insert(item.first, item.second);
        QJsonArray affected;
        QJsonArray affectedValues;
        if (change.operation == QLatin1String("update")) {
            for (const QString& id : change.ids) {
                affected.append(QJsonObject{{id, toJsonArray(change.affectedFields.value(id))}});
                if (c.returnAffectedFieldValues)
                    affectedValues.append(QJsonObject{{QStringLiteral("record_id"), id},
                                                      {QStringLiteral("values"), change.affectedValues.value(id)}});
            }
        }
        QJsonObject body{
            {QStringLiteral("server_time"), now},
            {QStringLiteral("query_params"), queryParams},
            {QStringLiteral("module"), moduleName},
            {QStringLiteral("resource_uri"), resourceUri(change.module, m_ctx.config.zohoCallbackUriVersion)},
            {QStringLiteral("ids"), toJsonArray(change.ids)},
            {QStringLiteral("affected_fields"), affected},
            {QStringLiteral("operation"), change.operation},
            {QStringLiteral("channel_id"), c.channelId},
            {QStringLiteral("token"), c.token}};
        if (c.returnAffectedFieldValues)
            body.insert(QStringLiteral("affected_values"), affectedValues);
        ++c.callbacks;
        m_dispatcher.deliver(c.channelId, c.notifyUrl, body);
    }
}

QJsonArray ZohoWatchService::channelsJson() const
{
    QJsonArray out;
    const qint64 now = m_ctx.clock.nowMs();
    for (const ZohoChannel& c : m_channels) {
        out.append(QJsonObject{
            {QStringLiteral("channel_id"), c.channelId},
            {QStringLiteral("events"), toJsonArray(c.events)},
            {QStringLiteral("notify_url"), c.notifyUrl},
            {QStringLiteral("token"), c.token},
            {QStringLiteral("channel_expiry"), m_records.formatTime(c.expiresAtMs)},
            {QStringLiteral("expires_at_ms"), c.expiresAtMs},
            {QStringLiteral("created"), m_records.formatTime(c.createdMs)},
            {QStringLiteral("state"), c.expiresAtMs > now ? QStringLiteral("active") : QStringLiteral("expired")},
            {QStringLiteral("notify_on_related_action"), c.notifyOnRelatedAction},
            {QStringLiteral("return_affected_field_values"), c.returnAffectedFieldValues},
            {QStringLiteral("callbacks"), c.callbacks}});
    }
    return out;
}

QStringList ZohoWatchService::secrets() const
{
    QStringList s;
    for (const ZohoChannel& c : m_channels) {
        if (c.token.isString() && !c.token.toString().isEmpty())
            s.append(c.token.toString());
    }
    return s;
}

int ZohoWatchService::liveChannelCount() const
{
    int n = 0;
    for (const ZohoChannel& c : m_channels) {
        if (isLive(c))
            ++n;
    }
    return n;
}

} // namespace Sim
