#pragma once

#include "Result.h"

#include <QDateTime>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QUrl>
#include <QVariantMap>

#include <functional>

namespace Core {

class ChannelStore;
class Clock;
class ZohoClient;
struct ZohoChannelInfo;

struct ChannelConfig
{
    static constexpr qint64 kMaxLifetimeS = 7 * 24 * 3600; // Zoho v4+: one week

    QStringList modules{QStringLiteral("Contacts"), QStringLiteral("Accounts")};
    QStringList operations{QStringLiteral("all")}; // create, edit, delete or all: events "<Module>.<op>"
    qint64 lifetimeS = 24 * 3600;                  // asked channel_expiry = now + this; at most a week
    qint64 renewMarginS = 0;       // renew this long before expiry; 0: automatic (see effectiveRenewMarginS)
    int checkIntervalMs = 30000;   // the coarse timer that compares due times with the wall clock
    int verifyIntervalMs = 900000; // list the channels this often to notice deleted ones; 0: never
    int retryMinMs = 5000;         // re-establishing a channel in fallback: first wait…
    int retryMaxMs = 15 * 60000;   // …doubling up to this

    // Keys: webhook.channel_modules (list or comma string), webhook.channel_operations,
    // webhook.channel_lifetime_s, webhook.channel_renew_margin_s, webhook.channel_verify_interval_s.
    static Result<ChannelConfig> fromSettings(const QVariantMap& settings);
    // Refuses a lifetime over Zoho's week (Zoho would silently give one hour instead), a margin that
    // leaves no time, unknown operations.
    Result<Ok> validate() const;
    // The margin in use: the configured one, or 10% of the lifetime within [60 s, 1 h]; never more
    // than half the lifetime, so short test lifetimes still renew well before expiry.
    qint64 effectiveRenewMarginS() const;
    QStringList eventsFor(const QString& module) const;
};

// One module's channel, for the dashboard.
struct ChannelStatus
{
    enum class State {
        Starting,        // not yet checked with Zoho
        Healthy,         // live at Zoho; renewal scheduled
        Renewing,        // a renewal (or re-creation) is in flight
        Expired,         // the wall clock passed the expiry (e.g. after sleep); being re-created
        PollingFallback, // no working channel: polling covers the module while we keep trying
        Stopped,
    };

    QString module;
    State state = State::Starting;
    QString channelId;
    QStringList events;
    QDateTime expiry;     // as Zoho reported it
    QDateTime nextAction; // the next renewal, or the next attempt to re-establish
    QString lastError;
    QDateTime lastEventTime; // of the last callback (Zoho's server_time)
    QDateTime fallbackSince; // when the current fallback began

    static QString stateName(State state);
};

// Keeps one Zoho notification channel per module. At start a stored channel is reused when Zoho
// still lists it and it has not expired; otherwise a new one is enabled (random id and token, the
// receiver's public URL) and the expiry Zoho answered is stored. Each channel is renewed (PATCH of
// channel_expiry) a margin before it expires; a channel Zoho no longer knows is re-created. A
// renewal that fails (after the API client's own retries) puts the module in PollingFallback:
// fallbackActivated() asks the poller to catch up from the last event, and the channel is
// re-established with backoff; channelRestored() then asks for one more catch-up over the gap.
// Time comes from the injectable Clock; a coarse timer re-checks it, so sleep/resume is noticed.
class ChannelManager final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ChannelManager)

public:
    ChannelManager(ZohoClient* zoho,
                   ChannelStore* store,
                   QUrl notifyUrl,
                   ChannelConfig config,
                   const Clock* clock = nullptr,
                   QObject* parent = nullptr);
    ~ChannelManager() override;

    // Checks the configuration (a refused one changes nothing) and sets up every module's channel.
    Result<Ok> start();
    // Stops timers and abandons calls in flight; the channels stay at Zoho until they expire.
    void stop();
    // Stops, then deletes every channel at Zoho and forgets it locally (uninstall, disable sync).
    void disableAll(QObject* context, std::function<void(Result<Ok>)> done);
    bool isStarted() const { return m_started; }

    // Lists the channels at Zoho now (instead of at the next verify interval).
    void verifyNow();
    // Renews every healthy channel now.
    void renewNow();
    void checkNow(); // re-reads the clock and does whatever is due

    void setNotifyUrl(const QUrl& url); // applied at the next renewal
    QUrl notifyUrl() const { return m_notifyUrl; }
    const ChannelConfig& config() const { return m_config; }

    QList<ChannelStatus> channels() const;
    ChannelStatus channel(const QString& module) const;

public slots:
    // A callback for `module` arrived (from WebhookReceiver::callbackAccepted).
    void noteEvent(const QString& module, const QDateTime& serverTime);

signals:
    void stateChanged(const QString& module);
    // A channel was created, reused or renewed; expiry is what Zoho answered.
    void channelReady(const QString& module, const QString& channelId, const QDateTime& expiry);
    void fallbackActivated(const QString& module, const QDateTime& lastEventTime);
    // Healthy again after a fallback, an expiry or a deleted channel: catch up from `since`.
    void channelRestored(const QString& module, const QDateTime& since);

private:
    struct Slot
    {
        ChannelStatus status;
        QString token;
        QUrl notifyUrl;  // where this channel calls, as last known
        QDateTime dueAt; // next renewal, or next re-establish attempt
        QDateTime nextVerify;
        QDateTime healthySince;
        int failures = 0;
        bool busy = false;
        bool missedEvents = false; // events may have been lost: catch up once healthy again
        QDateTime catchUpSince;
    };

    void verify(const QStringList& modules);
    void decide(const QString& module, const QList<ZohoChannelInfo>& listed);
    void create(const QString& module);
    void renew(const QString& module);
    void becomeHealthy(const QString& module, const QString& channelId, const QDateTime& expiry);
    void fail(const QString& module, const Error& error);
    void setState(Slot& slot, ChannelStatus::State state);
    void markMissed(Slot& slot);
    void tick();
    void schedule();
    QDateTime now() const;
    QObject* callContext();
    static const ZohoChannelInfo*
    entryFor(const QList<ZohoChannelInfo>& entries, const QString& module, const QString& channelId);

    ZohoClient* m_zoho;
    ChannelStore* m_store;
    QUrl m_notifyUrl;
    ChannelConfig m_config;
    const Clock* m_clock;
    bool m_started = false;
    QMap<QString, Slot> m_slots;
    QPointer<QObject> m_calls; // context of every API call; deleting it abandons them
    QTimer m_timer;
};

} // namespace Core

Q_DECLARE_METATYPE(Core::ChannelStatus)
