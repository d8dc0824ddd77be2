#include "SyncService.h"

#include "Logging.h"
#include "net/Connections.h"
#include "sync/ChannelManager.h"
#include "sync/Poller.h"
#include "sync/ReverseFlow.h"
#include "sync/SyncEngine.h"
#include "sync/SyncSession.h"
#include "webhook/WebhookReceiver.h"

#include <QDateTime>

namespace Core {

SyncService::SyncService(SyncSession* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
{ }

Result<Ok> SyncService::start()
{
    const Profile& profile = m_session->profile();
    QVariantMap webhookSettings{{QStringLiteral("webhook.listen"), profile.value(QStringLiteral("webhook.listen"))}};
    if (!profile.value(QStringLiteral("webhook.public_url")).isEmpty())
        webhookSettings.insert(QStringLiteral("webhook.public_url"),
                               profile.value(QStringLiteral("webhook.public_url")));
    for (const QString& key : WebhookConfig::limitKeys())
        webhookSettings.insert(key, profile.value(key));
    auto webhookConfig = WebhookConfig::fromSettings(webhookSettings);
    if (!webhookConfig)
        return webhookConfig.error();
    m_receiver = new WebhookReceiver(webhookConfig.value(), &m_session->outbox(),
                                     WebhookReceiver::tokensFrom(&m_session->channels()), this);
    auto port = m_receiver->start();
    if (!port)
        return port.error();

    SyncEngine* engine = &m_session->engine();
    ZohoClient* zoho = m_session->connections().zoho();

    PollerConfig pollerConfig;
    pollerConfig.modules = profile.zohoModules();
    pollerConfig.intervalS = qMax(10, profile.intValue(QStringLiteral("sync.poll_interval_s")));
    m_poller = new Poller(zoho, &m_session->outbox(), &m_session->cursors(), pollerConfig, nullptr, this);

    ChannelConfig channelConfig;
    channelConfig.modules = profile.zohoModules();
    channelConfig.lifetimeS = profile.intValue(QStringLiteral("channel.lifetime_s"));
    if (auto valid = channelConfig.validate(); !valid)
        return valid.error();
    m_channels =
        new ChannelManager(zoho, &m_session->channels(), m_receiver->publicUrl(), channelConfig, nullptr, this);

    connect(m_receiver, &WebhookReceiver::eventsQueued, engine, &SyncEngine::wake);
    connect(m_receiver, &WebhookReceiver::callbackAccepted, m_channels,
            [this](const QString& module, const QString&, const QDateTime& serverTime, int) {
                m_channels->noteEvent(module, serverTime);
            });
    connect(m_poller, &Poller::eventsQueued, engine, &SyncEngine::wake);
    // A channel that could not be renewed: poll from the last event, so no change falls in the gap.
    connect(m_channels, &ChannelManager::fallbackActivated, this, [this](const QString& module, const QDateTime& last) {
        qCWarning(lcSync).noquote() << module << "notifications are down; polling takes over from"
                                    << last.toString(Qt::ISODate);
        m_poller->setFallbackActive(module, true);
        m_poller->catchUp(module, last);
    });
    connect(m_channels, &ChannelManager::channelRestored, this, [this](const QString& module, const QDateTime& since) {
        m_poller->setFallbackActive(module, false);
        m_poller->catchUp(module, since);
    });

    if (auto started = engine->start(); !started)
        return started.error();
    if (auto started = m_poller->start(); !started)
        return started.error();
    if (auto started = m_channels->start(); !started)
        return started.error();

    // Retention: the user says how long the audit trail keeps events; prune now and daily.
    const auto prune = [this] {
        const qint64 days = qMax(1, m_session->profile().intValue(QStringLiteral("audit.retention_days")));
        const qint64 cutoff = QDateTime::currentMSecsSinceEpoch() - days * 24 * 3600 * 1000;
        warnIfFailed(lcSync(), m_session->audit().prune(cutoff), "pruning the audit trail");
        // A write-back's echo arrives within seconds; a week is plenty.
        const qint64 echoCutoff = QDateTime::currentMSecsSinceEpoch() - 7LL * 24 * 3600 * 1000;
        warnIfFailed(lcSync(), m_session->echoes().prune(echoCutoff), "pruning remembered write-backs");
    };
    prune();
    connect(&m_retentionTimer, &QTimer::timeout, this, prune);
    m_retentionTimer.start(24 * 3600 * 1000);

    const int reverseS = qMax(10, profile.intValue(QStringLiteral("sync.reverse_interval_s")));
    connect(&m_reverseTimer, &QTimer::timeout, &m_session->reverseFlow(), &ReverseFlow::run);
    m_reverseTimer.start(reverseS * 1000);

    m_description = tr("webhook at %1 (Zoho calls %2), polling every %3 s, reverse flow every %4 s")
                        .arg(m_receiver->localUrl().toString(), m_receiver->publicUrl().toString())
                        .arg(pollerConfig.intervalS)
                        .arg(reverseS);
    qCInfo(lcSync).noquote() << "serving:" << m_description;
    return Ok{};
}

void SyncService::shutdown()
{
    if (m_stopping)
        return;
    m_stopping = true;
    qCInfo(lcSync) << "stopping: no new events; finishing the records in hand";
    // Stop taking events first, then let the engine finish what it holds; what is queued stays
    // in the outbox for the next start.
    m_receiver->stop();
    m_poller->stop();
    m_channels->stop();
    m_reverseTimer.stop();
    m_retentionTimer.stop();
    SyncEngine* engine = &m_session->engine();
    connect(engine, &SyncEngine::drained, this, &SyncService::stopped);
    engine->stop();
}

} // namespace Core
