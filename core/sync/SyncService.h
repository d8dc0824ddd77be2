#pragma once

#include "Result.h"

#include <QObject>
#include <QString>
#include <QTimer>

namespace Core {
class ChannelManager;
class Poller;
class SyncSession;
class WebhookReceiver;
} // namespace Core

namespace Core {

// The sync running in the background: the webhook receiver, the notification channels, the
// poller, the engine, the reverse flow and audit retention. The CLI's `serve` and the desktop
// app both run it. Shutdown stops taking events first, then lets the engine finish its round,
// so nothing accepted is lost.
class SyncService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncService)

public:
    SyncService(SyncSession* session, QObject* parent = nullptr);

    Result<Ok> start();
    void shutdown();
    // One line for people: where the webhook listens, how often it polls.
    QString describe() const { return m_description; }

    WebhookReceiver* receiver() const { return m_receiver; }
    ChannelManager* channels() const { return m_channels; }
    Poller* poller() const { return m_poller; }

signals:
    void stopped();

private:
    SyncSession* m_session;
    WebhookReceiver* m_receiver = nullptr;
    ChannelManager* m_channels = nullptr;
    Poller* m_poller = nullptr;
    QString m_description;
    QTimer m_reverseTimer;
    QTimer m_retentionTimer;
    bool m_stopping = false;
};

} // namespace Core
