#pragma once

#include "Result.h"

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QPair>
#include <QStringList>
#include <QTimeZone>

#include <optional>

namespace Core {

class ReadConnection;

// What the sync did to Oracle in a stretch of time, from the audit trail (events to_oracle):
// successful creates, updates and unchanged records, skips, and failed attempts (failed or dead;
// a record retried three times counts three failures). Dry runs are not counted.
struct SyncTally
{
    qint64 created = 0;
    qint64 updated = 0;
    qint64 unchanged = 0;
    qint64 skipped = 0;
    qint64 failed = 0;

    qint64 synced() const { return created + updated + unchanged; }
    bool operator==(const SyncTally& o) const
    {
        return created == o.created && updated == o.updated && unchanged == o.unchanged && skipped == o.skipped &&
               failed == o.failed;
    }
};

struct SyncBucket
{
    qint64 fromMs = 0; // inclusive
    qint64 toMs = 0;   // exclusive
    SyncTally tally;
};

// Counts over the audit trail for the dashboard. Each bucket is one range scan of a covering
// index (audit_event(direction, ts, outcome, action), schema 2), so the cost is the number of
// events in the range read from the index alone, never the table rows with their payloads.
namespace AuditStats {

Result<SyncTally> tally(const ReadConnection& reader, qint64 fromMs, qint64 toMs);
// One bucket per pair of consecutive edges (ascending).
Result<QList<SyncBucket>> buckets(const ReadConnection& reader, const QList<qint64>& edges);
// Time of the newest event to_oracle; nullopt when there is none.
Result<std::optional<qint64>> lastEventMs(const ReadConnection& reader);

// The last `hours` whole hours ending with the current one: hours + 1 edges.
QList<qint64> hourEdges(const QDateTime& now, int hours);
// The last `days` local days ending with today (local midnights, so 23- and 25-hour days stay days).
QList<qint64> dayEdges(const QDateTime& now, int days, const QTimeZone& zone = QTimeZone::systemTimeZone());
// Local midnight today .. now.
qint64 startOfDayMs(const QDateTime& now, const QTimeZone& zone = QTimeZone::systemTimeZone());

// EXPLAIN QUERY PLAN of the bucket query (tests check it stays on the covering index).
Result<QStringList> queryPlan(const ReadConnection& reader);

} // namespace AuditStats

// Remembers the counts of buckets that are over: the trail is append-only and events are stamped
// when they are written, so a bucket that ended a while ago never changes (retention only removes
// events months old). A refresh then reads only the bucket still filling, so the 14-day chart costs
// one day's events once and the current hour's afterwards, not 14 days' every time.
class SyncBucketCache
{
public:
    static constexpr qint64 kSettleMs = 2 * 60 * 1000; // clock steps and writes in flight
    static constexpr int kMaxEntries = 4096;

    Result<QList<SyncBucket>> buckets(const ReadConnection& reader, const QList<qint64>& edges, qint64 nowMs);
    // The same counts as AuditStats::tally, split at whole hours so past hours come from the cache.
    Result<SyncTally> tally(const ReadConnection& reader, qint64 fromMs, qint64 toMs, qint64 nowMs);
    void clear() { m_final.clear(); }
    int size() const { return int(m_final.size()); }

private:
    QHash<QPair<qint64, qint64>, SyncTally> m_final;
};

} // namespace Core
