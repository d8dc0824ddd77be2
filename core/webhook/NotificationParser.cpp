#include "webhook/NotificationParser.h"

#include "sync/ChangeEvents.h"
#include "webhook/ConstantTime.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

namespace Core {

namespace {

// Zoho sends ids and channel ids as strings; accept integral JSON numbers too.
QString idText(const QJsonValue& v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble() && v.toDouble() >= 0 && v.toDouble() == double(v.toInteger()))
        return QString::number(v.toInteger());
    return {};
}

ParsedNotification refused(ParsedNotification n, int status, const QString& reason, const QString& detail = {})
{
    n.rejection = NotificationRejection{status, reason, detail};
    return n;
}

} // namespace

QList<OutboxItem> ParsedNotification::outboxItems() const
{
    QList<OutboxItem> items;
    items.reserve(ids.size());
    for (const QString& id : ids) {
        OutboxItem item;
        item.dedupeKey = ChangeEvents::webhookDedupeKey(module, id, serverTimeMs);
        item.kind = ChangeEvents::kind();
        item.source = ChangeEvents::webhookSource();
        item.module = module;
        item.recordId = id;
        item.payload =
            QString::fromUtf8(QJsonDocument(QJsonObject{{QStringLiteral("operation"), operation},
                                                        {QStringLiteral("server_time"), serverTimeMs},
                                                        {QStringLiteral("channel_id"), channelId},
                                                        {QStringLiteral("affected_fields"), affectedFields.value(id)}})
                                  .toJson(QJsonDocument::Compact));
        items << item;
    }
    return items;
}

ParsedNotification NotificationParser::parse(const QByteArray& body, const TokenLookup& tokens)
{
    ParsedNotification n;
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return refused(n, 400, QStringLiteral("bad_json"));
    const QJsonObject o = doc.object();

    n.channelId = idText(o.value(QStringLiteral("channel_id")));
    const QJsonValue tokenValue = o.value(QStringLiteral("token"));
    if (!tokenValue.isString() || tokenValue.toString().isEmpty())
        return refused(n, 403, QStringLiteral("missing_token"));
    if (!ChangeEvents::isZohoId(n.channelId))
        return refused(n, 403, QStringLiteral("unknown_channel"));
    const auto expected = tokens ? tokens(n.channelId) : Result<std::optional<QString>>(std::optional<QString>());
    if (!expected)
        return refused(n, 500, QStringLiteral("storage"), expected.error().message);
    if (!expected.value() || expected.value()->isEmpty())
        return refused(n, 403, QStringLiteral("unknown_channel"));
    if (!constantTimeEquals(tokenValue.toString().toUtf8(), expected.value()->toUtf8()))
        return refused(n, 403, QStringLiteral("bad_token"));

    n.module = o.value(QStringLiteral("module")).toString();
    if (!ChangeEvents::isModuleName(n.module))
        return refused(n, 400, QStringLiteral("bad_payload"));
    const QJsonValue idsValue = o.value(QStringLiteral("ids"));
    if (!idsValue.isArray() || idsValue.toArray().isEmpty())
        return refused(n, 400, QStringLiteral("bad_payload"));
    QSet<QString> seen;
    for (const QJsonValue& v : idsValue.toArray()) {
        const QString id = idText(v);
        if (!ChangeEvents::isZohoId(id))
            return refused(n, 400, QStringLiteral("bad_payload"));
        if (!seen.contains(id)) {
            seen.insert(id);
            n.ids << id;
        }
    }
    const QJsonValue timeValue = o.value(QStringLiteral("server_time"));
    n.serverTimeMs = timeValue.isDouble() ? timeValue.toInteger() : 0;
    if (n.serverTimeMs <= 0) // it names the change in the dedupe key
        return refused(n, 400, QStringLiteral("bad_payload"));
    n.operation = o.value(QStringLiteral("operation")).toString();

    // affected_fields: [{"<id>": ["Field", …]}, …]
    for (const QJsonValue& entry : o.value(QStringLiteral("affected_fields")).toArray()) {
        const QJsonObject byId = entry.toObject();
        for (auto it = byId.begin(); it != byId.end(); ++it)
            n.affectedFields.insert(it.key(), it.value().toArray());
    }
    return n;
}

} // namespace Core
