#include "sync/ChangeEvents.h"

#include "sync/ChannelManager.h"
#include "sync/Poller.h"
#include "webhook/WebhookReceiver.h"

#include <QRegularExpression>

namespace Core {

namespace ChangeEvents {

QString kind()
{
    return QStringLiteral("zoho_change");
}

QString webhookSource()
{
    return QStringLiteral("webhook");
}

QString pollSource()
{
    return QStringLiteral("poll");
}

QString webhookDedupeKey(const QString& module, const QString& id, qint64 serverTimeMs)
{
    return QStringLiteral("zoho:%1:%2:%3").arg(module, id).arg(serverTimeMs);
}

QString pollDedupeKey(const QString& module, const QString& id, const QString& modifiedTime)
{
    return QStringLiteral("zoho:%1:%2:%3").arg(module, id, modifiedTime);
}

QString pollCursorName(const QString& module)
{
    return QStringLiteral("poll:") + module;
}

bool isZohoId(const QString& text)
{
    // Zoho ids are 19 digits today; 30 leaves room without accepting arbitrary junk.
    static const QRegularExpression digits(QStringLiteral("^[0-9]{1,30}$"));
    return digits.match(text).hasMatch();
}

bool isModuleName(const QString& text)
{
    static const QRegularExpression name(QStringLiteral("^[A-Za-z][A-Za-z0-9_]{0,99}$"));
    return name.match(text).hasMatch();
}

} // namespace ChangeEvents

void connectChangeDetection(WebhookReceiver* receiver, ChannelManager* channels, Poller* poller)
{
    if (receiver && channels)
        QObject::connect(receiver, &WebhookReceiver::callbackAccepted, channels,
                         [channels](const QString& module, const QString&, const QDateTime& serverTime, int) {
                             channels->noteEvent(module, serverTime);
                         });
    if (channels && poller) {
        QObject::connect(channels, &ChannelManager::fallbackActivated, poller,
                         [poller](const QString& module, const QDateTime& lastEventTime) {
                             poller->setFallbackActive(module, true);
                             poller->catchUp(module, lastEventTime);
                         });
        QObject::connect(channels, &ChannelManager::channelRestored, poller,
                         [poller](const QString& module, const QDateTime& since) {
                             poller->setFallbackActive(module, false);
                             poller->catchUp(module, since);
                         });
    }
}

} // namespace Core
