#pragma once

#include "Result.h"

#include <QObject>
#include <QTimer>

namespace Core {
class ChannelManager;
class Poller;
class SyncSession;
class WebhookReceiver;
} // namespace Core

// `serve`: the webhook receiver, the notification channels, the poller, the engine and the
// reverse flow, until SIGINT/SIGTERM. Shutdown stops taking events first, then lets the engine
// finish its round, so nothing accepted is lost.
class ServeRunner final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServeRunner)

public:
    ServeRunner(Core::SyncSession* session, QObject* parent = nullptr);

    Core::Result<Core::Ok> start();
    void shutdown();

signals:
    void finished(int exitCode);

private:
    Core::SyncSession* m_session;
    Core::WebhookReceiver* m_receiver = nullptr;
    Core::ChannelManager* m_channels = nullptr;
    Core::Poller* m_poller = nullptr;
    QTimer m_reverseTimer;
    QTimer m_retentionTimer;
    bool m_stopping = false;
};
