// The webhook receiver's notification layer: the callback body, the channel/token check and the
// outbox rows it becomes, plus the receiver's settings (limits, listen address) as they come from
// config.ini. Input: the callback body; or "settings\n" then key=value lines.
#include "FuzzSupport.h"

#include "sync/ChangeEvents.h"
#include "webhook/NotificationParser.h"
#include "webhook/WebhookReceiver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <cstdint>

using namespace Core;

namespace {

const QString kChannel = QStringLiteral("1000000068001");
const QString kToken = QStringLiteral("TOKEN_FOR_VERIFICATION_OF_1000000068001_x");
const QString kBrokenStoreChannel = QStringLiteral("1000000068009");

// A store with one live channel, one whose lookup fails, and nothing else.
Result<std::optional<QString>> lookup(const QString& channelId)
{
    if (channelId == kChannel)
        return std::optional<QString>(kToken);
    if (channelId == kBrokenStoreChannel)
        return Error(Error::Kind::Storage, QStringLiteral("database is locked"));
    return std::optional<QString>();
}

void checkNotification(const QByteArray& body)
{
    const ParsedNotification n = NotificationParser::parse(body, lookup);
    if (n.rejection) {
        const int s = n.rejection->status;
        if (s != 400 && s != 403 && s != 500)
            Fuzz::fail("a rejection with an unexpected status");
        if (n.rejection->reason.isEmpty())
            Fuzz::fail("a rejection without a reason");
        // Only the configured channel with its exact token gets past the token check.
        if (n.rejection->reason == QLatin1String("bad_payload") && n.channelId != kChannel)
            Fuzz::fail("a payload was checked for a caller that is not ours");
        return;
    }
    const QJsonObject o = QJsonDocument::fromJson(body).object();
    if (n.channelId != kChannel || o.value(QStringLiteral("token")).toString() != kToken)
        Fuzz::fail("a callback was accepted without the channel's token");
    if (!ChangeEvents::isModuleName(n.module) || n.ids.isEmpty() || n.serverTimeMs <= 0)
        Fuzz::fail("an accepted callback without module, ids or server time");
    const QList<OutboxItem> items = n.outboxItems();
    if (items.size() != n.ids.size())
        Fuzz::fail("not one outbox row per id");
    QSet<QString> keys;
    for (const OutboxItem& item : items) {
        if (!ChangeEvents::isZohoId(item.recordId))
            Fuzz::fail("an outbox row for an id that is not Zoho's");
        keys.insert(item.dedupeKey);
        if (!QJsonDocument::fromJson(item.payload.toUtf8()).isObject())
            Fuzz::fail("an outbox payload that is not a JSON object");
        if (item.payload.contains(kToken))
            Fuzz::fail("the token reached the outbox");
    }
    if (keys.size() != items.size())
        Fuzz::fail("two outbox rows with one dedupe key");
}

void checkSettings(const QByteArray& text)
{
    QVariantMap settings;
    for (const QByteArray& line : text.split('\n')) {
        const qsizetype eq = line.indexOf('=');
        if (eq > 0)
            settings.insert(QString::fromUtf8(line.left(eq)), QString::fromUtf8(line.mid(eq + 1)));
    }
    const auto config = WebhookConfig::fromSettings(settings);
    if (!config)
        return;
    if (!config.value().validate())
        Fuzz::fail("fromSettings gave a configuration validate() refuses");
    const WebhookConfig& c = config.value();
    if (c.maxHeaderBytes < 1024 || c.maxBodyBytes < 1024 || c.maxConnections < 1 || c.idleTimeoutMs < 1 ||
        c.requestTimeoutMs < 1)
        Fuzz::fail("a limit below its floor");
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***)
{
    Fuzz::initApplication();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    if (input.startsWith("settings\n"))
        checkSettings(input.mid(9));
    else
        checkNotification(input);
    return 0;
}
