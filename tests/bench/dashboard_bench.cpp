// ml-dashboard-bench: the dashboard's queries at a million audit events, and the cost of the Zoho
// credit meter's hook on the call path.
//
// Builds a database with N events (default 1,000,000) over the last 14 days (the chart's widest
// range, so the 14-day chart reads every one of them), then measures, each as the median of
// several runs: today's counts, the 24 h chart (24 buckets), the 14-day chart (14 buckets), the
// last sync time; the same 24 h chart without the covering index; and 1,000,000 meter.note() calls.
//
//   ml-dashboard-bench [--events N] [--runs R]

#include "Clock.h"
#include "audit/AuditLog.h"
#include "audit/AuditStats.h"
#include "storage/Database.h"
#include "zoho/ZohoCreditMeter.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Core;

namespace {

double medianMs(int runs, const std::function<bool()>& work)
{
    QList<double> times;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        if (!work())
            return -1;
        times << timer.nsecsElapsed() / 1e6;
    }
    std::sort(times.begin(), times.end());
    return times.at(times.size() / 2);
}

QString ms(double value)
{
    return value < 0 ? QStringLiteral("FAILED")
                     : QString::number(value, 'f', value < 10 ? 2 : 1) + QStringLiteral(" ms");
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Dashboard query benchmark"));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("events"), QStringLiteral("Events to create (default 1000000)."),
                      QStringLiteral("n"), QStringLiteral("1000000")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Runs per measurement (default 7)."), QStringLiteral("r"),
                      QStringLiteral("7")});
    parser.process(app);
    const int events = qMax(1, parser.value(QStringLiteral("events")).toInt());
    const int runs = qMax(1, parser.value(QStringLiteral("runs")).toInt());
    QTextStream out(stdout);

    QTemporaryDir dir;
    auto opened = Database::open(dir.filePath(QStringLiteral("dashboard-bench.db")));
    if (!opened) {
        fprintf(stderr, "dashboard-bench: %s\n", qPrintable(opened.error().message));
        return 1;
    }
    Database& db = *opened.value();
    AuditLog audit(db);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 spanMs = 14LL * 24 * 3600 * 1000;
    {
        QRandomGenerator rng(14);
        const QStringList actions{QStringLiteral("create"), QStringLiteral("update"), QStringLiteral("update"),
                                  QStringLiteral("unchanged"), QStringLiteral("skip")};
        QElapsedTimer timer;
        timer.start();
        QList<AuditEvent> batch;
        for (int i = 0; i < events; ++i) {
            AuditEvent e;
            e.tsMs = now.toMSecsSinceEpoch() - spanMs + spanMs * i / events;
            e.source = QStringLiteral("webhook");
            e.module = QStringLiteral("Accounts");
            e.zohoId = QStringLiteral("5725767000%1").arg(rng.bounded(60000));
            e.direction = rng.bounded(10) == 0 ? QStringLiteral("to_zoho") : QStringLiteral("to_oracle");
            e.action = actions.at(rng.bounded(actions.size()));
            e.outcome = rng.bounded(20) == 0 ? QStringLiteral("failed") : QStringLiteral("ok");
            if (rng.bounded(4) == 0)
                e.request =
                    QStringLiteral("{\"OrganizationName\":\"Company %1\",\"Address\":[{\"City\":\"Springfield\"}]}")
                        .arg(i);
            batch << e;
            if (batch.size() == 50000 || i == events - 1) {
                if (auto written = audit.appendMany(batch); !written) {
                    fprintf(stderr, "dashboard-bench: %s\n", qPrintable(written.error().message));
                    return 1;
                }
                batch.clear();
            }
        }
        out << "dashboard-bench: wrote " << events << " events over 14 days in "
            << QString::number(timer.elapsed() / 1000.0, 'f', 1) << " s\n";
        out.flush();
    }
    auto readerResult = db.openReadConnection();
    if (!readerResult) {
        fprintf(stderr, "dashboard-bench: %s\n", qPrintable(readerResult.error().message));
        return 1;
    }
    const ReadConnection reader = std::move(readerResult.value());

    qint64 checksum = 0;
    const double todayMs = medianMs(runs, [&] {
        auto t = AuditStats::tally(reader, AuditStats::startOfDayMs(now), now.toMSecsSinceEpoch() + 1);
        checksum += t ? t.value().synced() : 0;
        return t.ok();
    });
    const auto buckets = [&](const QList<qint64>& edges) {
        auto b = AuditStats::buckets(reader, edges);
        checksum += b ? b.value().size() : 0;
        return b.ok();
    };
    const double hoursMs = medianMs(runs, [&] { return buckets(AuditStats::hourEdges(now, 24)); });
    const double daysMs = medianMs(runs, [&] { return buckets(AuditStats::dayEdges(now, 14)); });
    const double lastMs = medianMs(runs, [&] { return AuditStats::lastEventMs(reader).ok(); });

    // What the dashboard does: the cache keeps finished hours and days, so after the first refresh
    // only the open hour is read (first = cold cache, then the median of the refreshes after it).
    SyncBucketCache cache;
    const qint64 nowMs = now.toMSecsSinceEpoch();
    const auto dashboard = [&] {
        auto today = cache.tally(reader, AuditStats::startOfDayMs(now), nowMs + 1, nowMs);
        auto hours = cache.buckets(reader, AuditStats::hourEdges(now, 24), nowMs);
        auto days = cache.buckets(reader, AuditStats::dayEdges(now, 14), nowMs);
        checksum += today ? today.value().failed : 0;
        return today.ok() && hours.ok() && days.ok();
    };
    const double coldMs = medianMs(1, dashboard);
    const double warmMs = medianMs(runs, dashboard);

    // The call-path hook: what one Zoho answer costs the meter (no I/O; a timer writes later).
    ZohoCreditMeter meter(db);
    meter.setBudget(5000000);
    constexpr int kNotes = 1000000;
    QElapsedTimer noteTimer;
    noteTimer.start();
    for (int i = 0; i < kNotes; ++i)
        meter.note(200, i % 2 ? QByteArray() : QByteArrayLiteral("4000000"));
    const double noteNs = double(noteTimer.nsecsElapsed()) / kNotes;
    QElapsedTimer flushTimer;
    flushTimer.start();
    const bool flushed = meter.flush().ok();
    const double flushMs = flushTimer.nsecsElapsed() / 1e6;
    const double usageMs = medianMs(runs, [&] { return meter.usage().ok(); });

    // The same 24 h chart on the table without the covering index, for comparison.
    QSqlQuery drop(db.connection());
    const bool dropped = drop.exec(QStringLiteral("DROP INDEX idx_audit_direction_ts"));
    const double hoursNoIndexMs =
        dropped ? medianMs(qMin(runs, 3), [&] { return buckets(AuditStats::hourEdges(now, 24)); }) : -1;

    out << "dashboard-bench: " << events << " events, median of " << runs << " runs\n"
        << "  today's counts (1 range)        " << ms(todayMs) << "\n"
        << "  24 h chart (24 buckets)         " << ms(hoursMs) << "\n"
        << "  14-day chart (14 buckets, all)  " << ms(daysMs) << "\n"
        << "  last sync time                  " << ms(lastMs) << "\n"
        << "  dashboard refresh, cold cache   " << ms(coldMs) << " (today + 24 h + 14 days)\n"
        << "  dashboard refresh, warm cache   " << ms(warmMs) << "\n"
        << "  24 h chart without the index    " << ms(hoursNoIndexMs) << "\n"
        << "  credit meter note()             " << QString::number(noteNs, 'f', 1) << " ns per call\n"
        << "  credit meter flush              " << (flushed ? ms(flushMs) : QStringLiteral("FAILED")) << "\n"
        << "  credit meter usage()            " << ms(usageMs) << "\n"
        << "  (checksum " << checksum << ")\n";
    return 0;
}
