#pragma once

#include "Result.h"

#include <QDateTime>
#include <QHash>
#include <QMetaType>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QTimer>
#include <QVariantMap>

#include <memory>

namespace Core {

class Clock;
class CursorStore;
class OutboxStore;
class ZohoClient;

struct PollerConfig
{
    QStringList modules{QStringLiteral("Contacts"), QStringLiteral("Accounts")};
    int intervalS = 300;        // sync.poll_interval_s
    int overlapS = 60;          // sync.poll_overlap_s: polls start this far before the cursor
    int fallbackIntervalS = 60; // sync.fallback_poll_interval_s: modules whose channel is down
    bool pollOnStart = true;    // the first poll (a full backfill without a cursor) at start()
    int perPage = 200;
    int checkIntervalMs = 30000; // the coarse timer that compares due times with the wall clock

    // Keys: sync.poll_interval_s, sync.poll_overlap_s, sync.fallback_poll_interval_s, sync.modules
    // (a list or a comma-separated string). Absent keys keep the defaults.
    static Result<PollerConfig> fromSettings(const QVariantMap& settings);
    Result<Ok> validate() const;
};

// One poll of one module, as a value (the Result of the poll: ok, or error).
struct PollOutcome
{
    bool ok = true;
    Error error;          // when !ok
    bool catchUp = false; // started by catchUp() rather than the timer or pollNow()
    QDateTime since;      // what was asked (invalid: everything, a backfill)
    int pages = 0;
    int records = 0;  // records Zoho listed
    int newRows = 0;  // outbox rows that were not there yet
    QDateTime cursor; // the module's cursor after the poll
    bool cursorMoved = false;
};

// Lists what changed in Zoho since the last poll and queues it: each record becomes an outbox row
// (kind zoho_change, source poll, dedupe key zoho:<module>:<id>:<Modified_Time>). The cursor per
// module (CursorStore "poll:<module>") is the newest Modified_Time seen, and is written only after
// every row of that poll was queued: a crash or error mid-poll repeats the poll, never skips.
// Polls start overlapS before the cursor, because If-Modified-Since and clocks are not exact;
// the dedupe key makes the overlap harmless. One poll per module at a time; requests that come
// while one runs are merged into one follow-up poll.
class Poller final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Poller)

public:
    Poller(ZohoClient* zoho,
           OutboxStore* outbox,
           CursorStore* cursors,
           PollerConfig config,
           const Clock* clock = nullptr,
           QObject* parent = nullptr);
    ~Poller() override;

    // Checks the configuration and starts the timer (and the first poll, with pollOnStart).
    Result<Ok> start();
    // Stops the timer and abandons polls in flight (their cursors stay where they were).
    void stop();
    bool isStarted() const { return m_started; }

    // Polls every module now (each from its cursor).
    void pollNow();
    void pollNow(const QString& module);
    // Polls a module from `since` (or from its cursor when that is older): after a gap in the
    // notifications, so nothing from the gap is missed. The cursor moves only when the poll also
    // covered everything a regular poll would have.
    void catchUp(const QString& module, const QDateTime& since);
    // Modules whose notification channel is down are polled every fallbackIntervalS.
    void setFallbackActive(const QString& module, bool active);
    bool isFallbackActive(const QString& module) const;

    bool isPolling(const QString& module) const;
    const PollerConfig& config() const { return m_config; }
    // The stored cursor; invalid when there is none (or on a storage error).
    QDateTime cursor(const QString& module) const;
    static QString cursorName(const QString& module);

signals:
    void pollStarted(const QString& module, const QDateTime& since);
    void pollFinished(const QString& module, int newRows, const Core::PollOutcome& outcome);
    void eventsQueued(int newRows);

private:
    struct Request
    {
        bool wanted = false;
        bool catchUp = false;
        bool full = false; // some request wanted the regular poll (from the cursor)
        QDateTime since;   // the earliest catch-up time asked for
    };
    struct Run;
    struct ModuleState
    {
        bool fallback = false;
        QDateTime nextDue;
        Request pending;
        std::shared_ptr<Run> run;
    };

    void request(const QString& module, bool catchUp, const QDateTime& since);
    void begin(const QString& module, Request request);
    void onPage(const std::shared_ptr<Run>& run, const QList<QJsonObject>& records);
    void finish(const std::shared_ptr<Run>& run, std::optional<Error> error);
    void tick();
    void schedule();
    QDateTime now() const;
    int intervalFor(const ModuleState& state) const;

    ZohoClient* m_zoho;
    OutboxStore* m_outbox;
    CursorStore* m_cursors;
    PollerConfig m_config;
    const Clock* m_clock;
    bool m_started = false;
    QHash<QString, ModuleState> m_modules;
    QTimer m_timer;
};

} // namespace Core

Q_DECLARE_METATYPE(Core::PollOutcome)
