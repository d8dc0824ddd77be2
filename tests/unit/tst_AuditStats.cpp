#include "audit/AuditLog.h"
#include "audit/AuditStats.h"
#include "storage/Database.h"
#include "sync/OutboxStore.h"
#include "sync/QueueDepth.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using Core::AuditEvent;
using Core::SyncTally;
namespace AuditStats = Core::AuditStats;

namespace {

void count(SyncTally& t, const AuditEvent& e)
{
    if (e.direction != QLatin1String("to_oracle"))
        return;
    if (e.outcome == QLatin1String("failed") || e.outcome == QLatin1String("dead"))
        ++t.failed;
    else if (e.outcome == QLatin1String("ok") && e.action == QLatin1String("create"))
        ++t.created;
    else if (e.outcome == QLatin1String("ok") && e.action == QLatin1String("update"))
        ++t.updated;
    else if (e.outcome == QLatin1String("ok") && e.action == QLatin1String("unchanged"))
        ++t.unchanged;
    else if (e.outcome == QLatin1String("ok") && e.action == QLatin1String("skip"))
        ++t.skipped;
}

QByteArray describe(const SyncTally& t)
{
    return QStringLiteral("created %1 updated %2 unchanged %3 skipped %4 failed %5")
        .arg(t.created)
        .arg(t.updated)
        .arg(t.unchanged)
        .arg(t.skipped)
        .arg(t.failed)
        .toUtf8();
}

} // namespace

// Bucketed counts over a real SQLite file, checked against counting the generated events by hand.
class tst_AuditStats : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        auto db = Core::Database::open(m_dir.filePath(QStringLiteral("stats.db")));
        QVERIFY(db.ok());
        m_db = std::move(db.value());
        Core::AuditLog log(*m_db);
        // Three days of events ending now, every 37 s, with every kind of outcome and both directions.
        m_now = QDateTime(QDate(2026, 5, 14), QTime(15, 20), QTimeZone::utc());
        const QStringList actions = {QStringLiteral("create"), QStringLiteral("update"), QStringLiteral("unchanged"),
                                     QStringLiteral("skip")};
        const QStringList outcomes = {QStringLiteral("ok"),     QStringLiteral("ok"),   QStringLiteral("ok"),
                                      QStringLiteral("failed"), QStringLiteral("dead"), QStringLiteral("dry_run")};
        QRandomGenerator random(7);
        for (qint64 ts = m_now.toMSecsSinceEpoch() - 3LL * 24 * 3600 * 1000; ts < m_now.toMSecsSinceEpoch();
             ts += 37000) {
            AuditEvent e;
            e.tsMs = ts;
            e.source = QStringLiteral("poll");
            e.direction = random.bounded(5) == 0 ? QStringLiteral("to_zoho") : QStringLiteral("to_oracle");
            e.action = actions.at(random.bounded(actions.size()));
            e.outcome = outcomes.at(random.bounded(outcomes.size()));
            e.module = QStringLiteral("Contacts");
            m_events << e;
        }
        // An event in the future (clock skew) must not land in any bucket that ends now.
        AuditEvent late = m_events.last();
        late.tsMs = m_now.toMSecsSinceEpoch() + 3600 * 1000 * 2;
        m_events << late;
        QVERIFY(log.appendMany(m_events).ok());
        auto reader = m_db->openReadConnection();
        QVERIFY(reader.ok());
        m_reader = std::make_unique<Core::ReadConnection>(std::move(reader.value()));
    }

    void hourBucketsMatchTheEvents()
    {
        const QList<qint64> edges = AuditStats::hourEdges(m_now, 24);
        QCOMPARE(edges.size(), 25);
        QCOMPARE(edges.last(), QDateTime(QDate(2026, 5, 14), QTime(16, 0), QTimeZone::utc()).toMSecsSinceEpoch());
        auto buckets = AuditStats::buckets(*m_reader, edges);
        QVERIFY(buckets.ok());
        QCOMPARE(buckets.value().size(), 24);
        qint64 nonEmpty = 0;
        for (const Core::SyncBucket& b : buckets.value()) {
            SyncTally expected;
            for (const AuditEvent& e : std::as_const(m_events)) {
                if (e.tsMs >= b.fromMs && e.tsMs < b.toMs)
                    count(expected, e);
            }
            QCOMPARE(describe(b.tally), describe(expected));
            nonEmpty += b.tally.synced() > 0 && b.tally.failed > 0 ? 1 : 0;
        }
        QVERIFY(nonEmpty >= 20); // the data really exercises the counts
    }

    void dayBucketsFollowLocalMidnight()
    {
        const QTimeZone zone("America/New_York");
        if (!zone.isValid())
            QSKIP("no tz database");
        const QList<qint64> edges = AuditStats::dayEdges(m_now, 3, zone);
        QCOMPARE(edges.size(), 4);
        for (qint64 edge : edges)
            QCOMPARE(QDateTime::fromMSecsSinceEpoch(edge, zone).time(), QTime(0, 0));
        QCOMPARE(QDateTime::fromMSecsSinceEpoch(edges.last(), zone).date(), QDate(2026, 5, 15));
        auto buckets = AuditStats::buckets(*m_reader, edges);
        QVERIFY(buckets.ok());
        SyncTally all;
        SyncTally expected;
        for (const auto& b : buckets.value()) {
            all.created += b.tally.created;
            all.failed += b.tally.failed;
        }
        for (const AuditEvent& e : std::as_const(m_events)) {
            if (e.tsMs >= edges.first() && e.tsMs < edges.last())
                count(expected, e);
        }
        QCOMPARE(all.created, expected.created);
        QCOMPARE(all.failed, expected.failed);
    }

    void todayAndLastEvent()
    {
        const qint64 midnight = AuditStats::startOfDayMs(m_now, QTimeZone::utc());
        QCOMPARE(midnight, QDateTime(QDate(2026, 5, 14), QTime(0, 0), QTimeZone::utc()).toMSecsSinceEpoch());
        auto today = AuditStats::tally(*m_reader, midnight, m_now.toMSecsSinceEpoch() + 1);
        QVERIFY(today.ok());
        SyncTally expected;
        for (const AuditEvent& e : std::as_const(m_events)) {
            if (e.tsMs >= midnight && e.tsMs <= m_now.toMSecsSinceEpoch())
                count(expected, e);
        }
        QCOMPARE(describe(today.value()), describe(expected));
        auto last = AuditStats::lastEventMs(*m_reader);
        QVERIFY(last.ok() && last.value());
        qint64 newest = 0;
        for (const AuditEvent& e : std::as_const(m_events))
            newest = e.direction == QLatin1String("to_oracle") ? qMax(newest, e.tsMs) : newest;
        QCOMPARE(*last.value(), newest);
    }

    void readsTheCoveringIndexOnly()
    {
        auto plan = AuditStats::queryPlan(*m_reader);
        QVERIFY(plan.ok());
        const QString text = plan.value().join(QLatin1Char('\n'));
        QVERIFY2(text.contains(QStringLiteral("COVERING INDEX idx_audit_direction_ts")), qPrintable(text));
    }

    void emptyLogGivesZeroes()
    {
        QTemporaryDir dir;
        auto db = Core::Database::open(dir.filePath(QStringLiteral("empty.db")));
        QVERIFY(db.ok());
        auto reader = db.value()->openReadConnection();
        QVERIFY(reader.ok());
        auto buckets = AuditStats::buckets(reader.value(), AuditStats::hourEdges(m_now, 3));
        QVERIFY(buckets.ok());
        QCOMPARE(buckets.value().size(), 3);
        for (const auto& b : buckets.value())
            QVERIFY(b.tally == SyncTally{});
        auto last = AuditStats::lastEventMs(reader.value());
        QVERIFY(last.ok() && !last.value());
    }

    void cacheGivesTheSameCountsAndReadsOnlyTheOpenBucket()
    {
        Core::SyncBucketCache cache;
        const qint64 nowMs = m_now.toMSecsSinceEpoch();
        const QList<qint64> hours = AuditStats::hourEdges(m_now, 24);
        const QList<qint64> days = AuditStats::dayEdges(m_now, 3, QTimeZone::utc());
        for (int pass = 0; pass < 2; ++pass) { // cold, then from the cache
            auto cachedHours = cache.buckets(*m_reader, hours, nowMs);
            auto directHours = AuditStats::buckets(*m_reader, hours);
            QVERIFY(cachedHours.ok() && directHours.ok());
            for (int i = 0; i < directHours.value().size(); ++i)
                QCOMPARE(describe(cachedHours.value().at(i).tally), describe(directHours.value().at(i).tally));
            auto cachedDays = cache.buckets(*m_reader, days, nowMs);
            auto directDays = AuditStats::buckets(*m_reader, days);
            for (int i = 0; i < directDays.value().size(); ++i)
                QCOMPARE(describe(cachedDays.value().at(i).tally), describe(directDays.value().at(i).tally));
            const qint64 midnight = AuditStats::startOfDayMs(m_now, QTimeZone::utc());
            QCOMPARE(describe(cache.tally(*m_reader, midnight, nowMs + 1, nowMs).value()),
                     describe(AuditStats::tally(*m_reader, midnight, nowMs + 1).value()));
        }
        // Finished hours and days are kept; the hour still open and today are not.
        QVERIFY(cache.size() >= 23 + 2);
        const int cached = cache.size();

        // A new event now shows at once: its bucket is read again.
        Core::AuditLog log(*m_db);
        AuditEvent e;
        e.tsMs = nowMs - 1000;
        e.source = QStringLiteral("manual");
        e.direction = QStringLiteral("to_oracle");
        e.action = QStringLiteral("create");
        e.outcome = QStringLiteral("ok");
        QVERIFY(log.append(e).ok());
        m_events << e;
        const qint64 before = AuditStats::tally(*m_reader, hours.at(23), hours.at(24)).value().created;
        QCOMPARE(cache.buckets(*m_reader, hours, nowMs).value().last().tally.created, before);
        const qint64 midnight = AuditStats::startOfDayMs(m_now, QTimeZone::utc());
        QCOMPARE(cache.tally(*m_reader, midnight, nowMs + 1, nowMs).value().created,
                 AuditStats::tally(*m_reader, midnight, nowMs + 1).value().created);
        QCOMPARE(cache.buckets(*m_reader, days, nowMs).value().last().tally.created,
                 AuditStats::tally(*m_reader, days.at(2), days.at(3)).value().created);
        QCOMPARE(cache.size(), cached);
    }

    void queueDepthCountsLiveRowsThroughTheIndex()
    {
        Core::OutboxStore outbox(*m_db);
        QList<Core::OutboxItem> items;
        for (int i = 0; i < 40; ++i) {
            Core::OutboxItem item;
            item.dedupeKey = QStringLiteral("k%1").arg(i);
            item.kind = QStringLiteral("zoho_change");
            item.source = QStringLiteral("poll");
            item.module = QStringLiteral("Contacts");
            item.recordId = QString::number(i);
            item.payload = QStringLiteral("{}");
            items << item;
        }
        QVERIFY(outbox.enqueueMany(items).ok());
        auto claimed = outbox.claimDue(30, QDateTime::currentMSecsSinceEpoch());
        QVERIFY(claimed.ok());
        for (int i = 0; i < 30; ++i) {
            const qint64 id = claimed.value().at(i).id;
            if (i < 20)
                QVERIFY(outbox.complete(id).ok());
            else if (i < 23)
                QVERIFY(outbox.failPermanently(id, QStringLiteral("invalid_data"), QStringLiteral("bad")).ok());
        } // 7 stay running
        auto depth = Core::QueueDepth::read(*m_reader);
        QVERIFY(depth.ok());
        const auto all = outbox.counts().value();
        QCOMPARE(depth.value().pending, all.pending);
        QCOMPARE(depth.value().running, all.running);
        QCOMPARE(depth.value().failed, all.failed);
        QCOMPARE(depth.value().dead, all.dead);
        QCOMPARE(depth.value().pending, 10);
        QCOMPARE(depth.value().running, 7);
        QCOMPARE(depth.value().failed, 3);
        QCOMPARE(depth.value().done, 0); // not counted: it would read every done row
        const QString plan = Core::QueueDepth::queryPlan(*m_reader).value().join(QLatin1Char('\n'));
        QVERIFY2(plan.contains(QStringLiteral("idx_outbox_state_next")), qPrintable(plan));
    }

    void cleanupTestCase()
    {
        m_reader.reset();
        m_db.reset();
    }

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Core::Database> m_db;
    std::unique_ptr<Core::ReadConnection> m_reader;
    QList<AuditEvent> m_events;
    QDateTime m_now;
};

QTEST_GUILESS_MAIN(tst_AuditStats)
#include "tst_AuditStats.moc"
