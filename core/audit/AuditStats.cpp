#include "AuditStats.h"

#include "storage/Database.h"
#include "storage/SqlUtil.h"

namespace Core::AuditStats {

namespace {

// Both conditions sit in the covering index idx_audit_direction_ts: direction by equality, ts as a range.
const QString kBucketSql = QStringLiteral("SELECT outcome, action, COUNT(*) FROM audit_event"
                                          " WHERE direction='to_oracle' AND ts>=? AND ts<?"
                                          " GROUP BY outcome, action");

void add(SyncTally& tally, const QString& outcome, const QString& action, qint64 n)
{
    if (outcome == QLatin1String("failed") || outcome == QLatin1String("dead")) {
        tally.failed += n;
    } else if (outcome == QLatin1String("ok")) {
        if (action == QLatin1String("create"))
            tally.created += n;
        else if (action == QLatin1String("update"))
            tally.updated += n;
        else if (action == QLatin1String("unchanged"))
            tally.unchanged += n;
        else if (action == QLatin1String("skip"))
            tally.skipped += n;
    }
}

} // namespace

Result<QList<SyncBucket>> buckets(const ReadConnection& reader, const QList<qint64>& edges)
{
    QList<SyncBucket> out;
    if (edges.size() < 2)
        return out;
    QSqlQuery q(reader.database());
    q.setForwardOnly(true);
    if (auto prepared = SqlUtil::prepare(q, kBucketSql, reader.path(), QStringLiteral("audit statistics")); !prepared)
        return prepared.error();
    out.reserve(edges.size() - 1);
    for (int i = 0; i + 1 < edges.size(); ++i) {
        SyncBucket bucket;
        bucket.fromMs = edges.at(i);
        bucket.toMs = edges.at(i + 1);
        q.bindValue(0, bucket.fromMs);
        q.bindValue(1, bucket.toMs);
        if (auto done = SqlUtil::exec(q, reader.path(), QStringLiteral("audit statistics")); !done)
            return done.error();
        while (q.next())
            add(bucket.tally, q.value(0).toString(), q.value(1).toString(), q.value(2).toLongLong());
        q.finish();
        out << bucket;
    }
    return out;
}

Result<SyncTally> tally(const ReadConnection& reader, qint64 fromMs, qint64 toMs)
{
    auto one = buckets(reader, {fromMs, toMs});
    if (!one)
        return one.error();
    return one.value().first().tally;
}

Result<std::optional<qint64>> lastEventMs(const ReadConnection& reader)
{
    auto value = SqlUtil::scalar(reader.database(),
                                 QStringLiteral("SELECT MAX(ts) FROM audit_event WHERE direction='to_oracle'"),
                                 reader.path(), QStringLiteral("last audit event"));
    if (!value)
        return value.error();
    return SqlUtil::optionalInteger(value.value());
}

QList<qint64> hourEdges(const QDateTime& now, int hours)
{
    constexpr qint64 kHourMs = 3600 * 1000;
    const qint64 next = (now.toMSecsSinceEpoch() / kHourMs + 1) * kHourMs;
    QList<qint64> edges;
    for (int i = hours; i >= 0; --i)
        edges << next - i * kHourMs;
    return edges;
}

QList<qint64> dayEdges(const QDateTime& now, int days, const QTimeZone& zone)
{
    const QDate today = now.toTimeZone(zone).date();
    QList<qint64> edges;
    for (int i = days - 1; i >= -1; --i)
        edges << QDateTime(today.addDays(-i), QTime(0, 0), zone).toMSecsSinceEpoch();
    return edges;
}

qint64 startOfDayMs(const QDateTime& now, const QTimeZone& zone)
{
    return QDateTime(now.toTimeZone(zone).date(), QTime(0, 0), zone).toMSecsSinceEpoch();
}

Result<QStringList> queryPlan(const ReadConnection& reader)
{
    QSqlQuery q(reader.database());
    q.setForwardOnly(true);
    const auto done = SqlUtil::run(q, QStringLiteral("EXPLAIN QUERY PLAN ") + kBucketSql, {0, 1}, reader.path(),
                                   QStringLiteral("audit statistics plan"));
    if (!done)
        return done.error();
    QStringList plan;
    while (q.next())
        plan << q.value(3).toString();
    return plan;
}

} // namespace Core::AuditStats

namespace Core {

namespace {
constexpr qint64 kHourMs = 3600 * 1000;
}

Result<QList<SyncBucket>>
SyncBucketCache::buckets(const ReadConnection& reader, const QList<qint64>& edges, qint64 nowMs)
{
    if (m_final.size() > kMaxEntries)
        m_final.clear();
    QList<SyncBucket> out;
    for (int i = 0; i + 1 < edges.size(); ++i) {
        const QPair<qint64, qint64> key(edges.at(i), edges.at(i + 1));
        SyncBucket bucket;
        bucket.fromMs = key.first;
        bucket.toMs = key.second;
        const bool over = key.second + kSettleMs <= nowMs;
        if (auto cached = m_final.constFind(key); cached != m_final.constEnd()) {
            bucket.tally = *cached;
        } else if (!over && key.second - key.first > kHourMs) {
            // Today's bar: its past hours come from the cache, only the current one is read.
            auto split = tally(reader, key.first, key.second, nowMs);
            if (!split)
                return split.error();
            bucket.tally = split.value();
        } else {
            auto read = AuditStats::buckets(reader, {key.first, key.second});
            if (!read)
                return read.error();
            bucket.tally = read.value().first().tally;
            if (over)
                m_final.insert(key, bucket.tally);
        }
        out << bucket;
    }
    return out;
}

Result<SyncTally> SyncBucketCache::tally(const ReadConnection& reader, qint64 fromMs, qint64 toMs, qint64 nowMs)
{
    QList<qint64> edges{fromMs};
    for (qint64 edge = (fromMs / kHourMs + 1) * kHourMs; edge < toMs; edge += kHourMs)
        edges << edge;
    edges << toMs;
    auto parts = buckets(reader, edges, nowMs);
    if (!parts)
        return parts.error();
    SyncTally sum;
    for (const SyncBucket& b : parts.value()) {
        sum.created += b.tally.created;
        sum.updated += b.tally.updated;
        sum.unchanged += b.tally.unchanged;
        sum.skipped += b.tally.skipped;
        sum.failed += b.tally.failed;
    }
    return sum;
}

} // namespace Core
