#pragma once

#include "Result.h"

#include <QList>
#include <QString>
#include <QVariantList>

#include <optional>

namespace Core {

class Clock;
class Database;

// One unit of sync work (a row of outbox).
struct OutboxItem
{
    enum class State {
        Pending,
        Running,
        Done,
        Failed, // permanently: invalid data, no retry until an explicit requeue
        Dead,   // retries exhausted (dead letter)
    };

    qint64 id = 0;     // set by the store
    QString dedupeKey; // UNIQUE: the same change seen twice (webhook + poll) is one row
    QString kind;      // zoho_change, poll, replay, reverse
    QString source;    // webhook, poll, replay, manual, reverse
    QString module;
    QString recordId;
    QString payload;              // JSON
    State state = State::Pending; // set by the store
    int attempts = 0;             // attempts started so far; set by the store
    qint64 nextAttemptAtMs = 0;   // 0 on enqueue: due now
    QString reasonClass;          // of the last failure: auth, throttled, transient, invalid_data, conflict
    QString lastError;
    std::optional<int> mappingVersion;
    qint64 createdAtMs = 0; // set by the store
    qint64 updatedAtMs = 0; // set by the store

    static QString stateName(State state);
    static std::optional<State> stateFromName(const QString& name);
};

struct EnqueueOutcome
{
    qint64 id = 0;
    bool duplicate = false;                               // the dedupe key was already queued; nothing was added
    OutboxItem::State state = OutboxItem::State::Pending; // of the (existing) row
};

struct OutboxCounts
{
    qint64 pending = 0;
    qint64 running = 0;
    qint64 done = 0;
    qint64 failed = 0;
    qint64 dead = 0;
    qint64 total() const { return pending + running + done + failed + dead; }
};

// The persistent work queue. Every change is durably enqueued before it is acknowledged, claimed by
// the sync engine, and finished as done, retried later (pending with next_attempt_at), failed for good
// (invalid data) or dead-lettered after maxAttempts. Owner-thread only, like Database's writer.
class OutboxStore
{
public:
    static constexpr int kDefaultMaxAttempts = 8;
    // Interrupted claims do not count as attempts, so restarts alone never use them up. A row in hand
    // at this many crashes is named in the log, as a possible cause; it is not set aside, because
    // a process killed often enough interrupts the same healthy rows again and again (the soak did).
    static constexpr int kWarnInterruptions = 10;

    explicit OutboxStore(Database& db, const Clock* clock = nullptr, int maxAttempts = kDefaultMaxAttempts);

    void setMaxAttempts(int maxAttempts);
    int maxAttempts() const { return m_maxAttempts; }

    // A duplicate dedupe key is not an error: the existing row's id comes back with duplicate = true,
    // whatever its state. A failed or dead row is only run again through requeue().
    Result<EnqueueOutcome> enqueue(const OutboxItem& item);
    // All or nothing, in one transaction (bursts of webhook events).
    Result<QList<EnqueueOutcome>> enqueueMany(const QList<OutboxItem>& items);

    // Moves up to max due pending rows (next_attempt_at <= nowMs, oldest due first) to running,
    // counting the attempt, and returns them.
    Result<QList<OutboxItem>> claimDue(int max, qint64 nowMs);
    // running -> done.
    Result<Ok> complete(qint64 id);
    // running -> pending at nextAttemptAtMs, or -> dead once attempts >= maxAttempts. Returns the new state.
    Result<OutboxItem::State>
    fail(qint64 id, const QString& reasonClass, const QString& message, qint64 nextAttemptAtMs);
    // running -> pending at nextAttemptAtMs, giving back the attempt claimDue counted: the row waited,
    // it did not fail.
    Result<Ok> postpone(qint64 id, const QString& reason, qint64 nextAttemptAtMs);
    // pending/running -> failed, without retry (e.g. invalid_data).
    Result<Ok> failPermanently(qint64 id, const QString& reasonClass, const QString& message);
    // After a crash: rows left running go back to pending, their interrupted claim not counted as an
    // attempt. Returns how many. Call once at start-up.
    Result<int> resumeInterrupted();
    // failed/dead -> pending, due now, attempts reset (replay). Other ids are left alone. Returns how many.
    Result<int> requeue(const QList<qint64>& ids);
    Result<int> requeueAllFailed(); // every failed and dead row

    Result<OutboxCounts> counts() const;
    // The earliest next_attempt_at among pending rows, for a single-shot timer; empty when none.
    Result<std::optional<qint64>> nextDueAtMs() const;
    Result<OutboxItem> get(qint64 id) const; // Error::Kind::NotFound when absent
    // Pending/running oldest due first; done/failed/dead most recently updated first.
    Result<QList<OutboxItem>> listByState(OutboxItem::State state, int limit = 100, int offset = 0) const;
    // Forgets done rows last updated before the given time (their dedupe keys with them). Returns how many.
    Result<qint64> pruneDone(qint64 olderThanMs);

    static bool isKnownKind(const QString& kind);
    static bool isKnownSource(const QString& source);
    static bool isKnownReasonClass(const QString& reasonClass);

private:
    Result<EnqueueOutcome> insert(const OutboxItem& item, qint64 nowMs);
    Result<QList<OutboxItem>> select(const QString& tail, const QVariantList& values) const;
    Result<Ok> explainMiss(qint64 id, const QString& expected) const;
    qint64 nowMs() const;

    Database& m_db;
    const Clock* m_clock;
    int m_maxAttempts;
};

} // namespace Core
