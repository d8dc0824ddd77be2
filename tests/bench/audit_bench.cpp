// ml-audit-bench: how the audit trail behaves at a million events.
//
// Builds a database with N events (default 1,000,000) spread like real traffic, then measures, each as
// the median of several runs: opening the database (integrity check included), the newest page of 100,
// a filter by Zoho id, the first page of failed events, and a few more. Product targets: first page
// < 300 ms, filter by Zoho id < 100 ms.
//
//   ml-audit-bench [--events N] [--runs R] [--db PATH]   (--db keeps the file; it is reused if present)

#include "audit/AuditLog.h"
#include "storage/Database.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdio>
#include <functional>

using namespace Core;

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;
constexpr qint64 kEndMs = 1767225600000; // 2026-01-01T00:00:00Z: the newest event
constexpr int kZohoIds = 60000;

QString zohoId(int n)
{
    return QStringLiteral("5725767000%1").arg(n, 9, 10, QLatin1Char('0'));
}

template <typename T>
const T& pick(QRandomGenerator& rng, const QList<QPair<int, T>>& weighted)
{
    int total = 0;
    for (const auto& w : weighted)
        total += w.first;
    int r = static_cast<int>(rng.bounded(total));
    for (const auto& w : weighted) {
        if (r < w.first)
            return w.second;
        r -= w.first;
    }
    return weighted.last().second;
}

// Half of the traffic comes from 5% of the records (busy accounts are edited all the time).
int recordFor(QRandomGenerator& rng)
{
    if (rng.bounded(2) == 0)
        return static_cast<int>(rng.bounded(kZohoIds / 20));
    return static_cast<int>(rng.bounded(kZohoIds));
}

Result<Ok> populate(AuditLog& audit, int events, QTextStream& out)
{
    QRandomGenerator rng(20260101);
    const QList<QPair<int, QString>> outcomes{{900, QStringLiteral("ok")},
                                              {60, QStringLiteral("failed")},
                                              {10, QStringLiteral("dead")},
                                              {30, QStringLiteral("dry_run")}};
    const QList<QPair<int, QString>> modules{
        {60, QStringLiteral("Accounts")}, {30, QStringLiteral("Contacts")}, {10, QStringLiteral("Deals")}};
    const QList<QPair<int, QString>> sources{{70, QStringLiteral("webhook")},
                                             {25, QStringLiteral("poll")},
                                             {3, QStringLiteral("replay")},
                                             {2, QStringLiteral("manual")}};
    const QList<QPair<int, QString>> actions{{50, QStringLiteral("update")},
                                             {15, QStringLiteral("create")},
                                             {25, QStringLiteral("unchanged")},
                                             {5, QStringLiteral("skip")},
                                             {5, QStringLiteral("writeback")}};
    const QList<QPair<int, QString>> reasons{{40, QStringLiteral("transient")},
                                             {30, QStringLiteral("throttled")},
                                             {20, QStringLiteral("invalid_data")},
                                             {5, QStringLiteral("auth")},
                                             {5, QStringLiteral("conflict")}};

    // 180 days of history, oldest first, with jitter so timestamps are not strictly increasing.
    const qint64 spanMs = 180 * kDayMs;
    const qint64 startMs = kEndMs - spanMs;
    constexpr int kBatch = 50000;
    QElapsedTimer timer;
    timer.start();
    QList<AuditEvent> batch;
    batch.reserve(kBatch);
    for (int i = 0; i < events; ++i) {
        AuditEvent e;
        e.tsMs = startMs + spanMs * i / events + static_cast<qint64>(rng.bounded(60000));
        e.source = pick(rng, sources);
        e.module = pick(rng, modules);
        const int record = recordFor(rng);
        e.zohoId = zohoId(record);
        e.partyNumber = QStringLiteral("CDRM_%1").arg(100000 + record);
        const bool reverse = rng.bounded(10) == 0;
        e.direction = reverse ? QStringLiteral("to_zoho") : QStringLiteral("to_oracle");
        e.action = pick(rng, actions);
        e.outcome = pick(rng, outcomes);
        e.httpStatus = e.outcome == QLatin1String("ok") ? 200 : 503;
        e.durationMs = 40 + rng.bounded(900);
        e.attempt = 1 + static_cast<int>(rng.bounded(3));
        e.outboxId = i + 1;
        e.mappingVersion = 1 + static_cast<int>(rng.bounded(4));
        if (e.outcome == QLatin1String("failed") || e.outcome == QLatin1String("dead")) {
            e.reasonClass = pick(rng, reasons);
            e.reason = QStringLiteral("Oracle answered %1 for party %2: %3")
                           .arg(e.httpStatus.value_or(0))
                           .arg(e.partyNumber, e.reasonClass);
        }
        if (rng.bounded(4) == 0) {
            e.request =
                QStringLiteral("{\"PartyNumber\":\"%1\",\"OrganizationName\":\"Company %2\",\"Address\":"
                               "[{\"AddressLine1\":\"%3 Main Street\",\"City\":\"Springfield\",\"Country\":\"US\"}],"
                               "\"PrimaryPhoneNumber\":\"+1 555 %4\"}")
                    .arg(e.partyNumber)
                    .arg(record)
                    .arg(rng.bounded(999))
                    .arg(rng.bounded(9999999));
            e.response =
                QStringLiteral("{\"PartyId\":%1,\"PartyNumber\":\"%2\",\"LastUpdateDate\":\"2025-12-31T10:00:00Z\"}")
                    .arg(300000000 + record)
                    .arg(e.partyNumber);
        }
        batch << e;
        if (batch.size() == kBatch || i == events - 1) {
            const auto written = audit.appendMany(batch);
            if (!written)
                return written.error();
            batch.clear();
        }
    }
    out << "audit-bench: wrote " << events << " events in " << QString::number(timer.elapsed() / 1000.0, 'f', 1)
        << " s (" << QString::number(events / qMax(0.001, timer.elapsed() / 1000.0), 'f', 0) << " events/s)\n";
    out.flush();
    return Ok{};
}

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
    parser.setApplicationDescription(QStringLiteral("Audit log benchmark"));
    parser.addHelpOption();
    parser.addOption({QStringLiteral("events"), QStringLiteral("Events to create (default 1000000)."),
                      QStringLiteral("n"), QStringLiteral("1000000")});
    parser.addOption({QStringLiteral("runs"), QStringLiteral("Runs per measurement (default 7)."), QStringLiteral("r"),
                      QStringLiteral("7")});
    parser.addOption({QStringLiteral("db"), QStringLiteral("Database file to use and keep."), QStringLiteral("path")});
    parser.process(app);
    const int events = qMax(1, parser.value(QStringLiteral("events")).toInt());
    const int runs = qMax(1, parser.value(QStringLiteral("runs")).toInt());

    QTextStream out(stdout);
    QTemporaryDir dir;
    const QString path = parser.isSet(QStringLiteral("db")) ? parser.value(QStringLiteral("db"))
                                                            : dir.filePath(QStringLiteral("audit-bench.db"));

    {
        auto opened = Database::open(path);
        if (!opened) {
            fprintf(stderr, "audit-bench: %s\n", qPrintable(opened.error().message));
            return 1;
        }
        AuditLog audit(*opened.value());
        const auto existing = audit.count(AuditFilter());
        if (!existing) {
            fprintf(stderr, "audit-bench: %s\n", qPrintable(existing.error().message));
            return 1;
        }
        if (existing.value() < events) {
            const auto filled = populate(audit, static_cast<int>(events - existing.value()), out);
            if (!filled) {
                fprintf(stderr, "audit-bench: %s\n", qPrintable(filled.error().message));
                return 1;
            }
        }
    } // closed: the WAL is checkpointed into the file

    const double openMs = medianMs(qMin(runs, 5), [&] { return Database::open(path).ok(); });

    auto opened = Database::open(path);
    if (!opened) {
        fprintf(stderr, "audit-bench: %s\n", qPrintable(opened.error().message));
        return 1;
    }
    Database& db = *opened.value();
    AuditLog audit(db);
    auto readerResult = db.openReadConnection();
    if (!readerResult) {
        fprintf(stderr, "audit-bench: %s\n", qPrintable(readerResult.error().message));
        return 1;
    }
    const ReadConnection reader = std::move(readerResult.value());
    const qint64 total = audit.count(AuditFilter(), &reader).value();

    // The UI's queries, through the reader's own connection.
    const auto page = [&](const AuditFilter& filter, int expectAtLeast) {
        const auto found = audit.query(filter, &reader);
        if (!found) {
            fprintf(stderr, "audit-bench: %s\n", qPrintable(found.error().message));
            return false;
        }
        return found.value().size() >= expectAtLeast;
    };

    AuditFilter firstPage;
    const double firstPageMs = medianMs(runs, [&] { return page(firstPage, 100); });

    // Different records each run: a busy one and a quiet one alternate.
    int run = 0;
    const double byZohoMs = medianMs(runs, [&] {
        AuditFilter f;
        const bool busy = run % 2 == 0;
        f.zohoId = zohoId(busy ? run : kZohoIds - 1 - run);
        ++run;
        return page(f, busy ? 1 : 0); // a quiet record may have no events in a small run
    });

    AuditFilter failed;
    failed.outcomes = {QStringLiteral("failed")};
    const double failedMs = medianMs(runs, [&] { return page(failed, 100); });

    AuditFilter lastWeek;
    lastWeek.fromMs = kEndMs - 7 * kDayMs;
    lastWeek.module = QStringLiteral("Contacts");
    const double moduleWeekMs = medianMs(runs, [&] { return page(lastWeek, 100); });

    QList<AuditEvent> deep = audit.query(firstPage, &reader).value();
    for (int i = 0; i < 50 && !deep.isEmpty(); ++i) {
        AuditFilter next;
        next.beforeId = deep.last().id;
        deep = audit.query(next, &reader).value();
    }
    AuditFilter keyset;
    keyset.beforeId = deep.isEmpty() ? 1 : deep.last().id;
    const double keysetMs = medianMs(runs, [&] { return page(keyset, 100); });

    AuditFilter countFailed;
    countFailed.outcomes = {QStringLiteral("failed")};
    const double countFailedMs = medianMs(runs, [&] { return audit.count(countFailed, &reader).ok(); });

    AuditFilter text;
    text.text = QStringLiteral("throttled");
    const double textMs = medianMs(qMin(runs, 3), [&] { return page(text, 100); });

    out << "audit-bench: " << total << " events, " << QString::number(QFileInfo(path).size() / 1048576.0, 'f', 0)
        << " MiB; open " << ms(openMs) << ", first page " << ms(firstPageMs) << ", filter by zoho_id " << ms(byZohoMs)
        << ", outcome=failed first page " << ms(failedMs) << ", module+last 7 days " << ms(moduleWeekMs)
        << ", keyset page 52 " << ms(keysetMs) << ", count failed " << ms(countFailedMs) << ", text search "
        << ms(textMs) << " (median of " << runs << " runs)\n";
    out << "audit-bench: targets: first page < 300 ms " << (firstPageMs >= 0 && firstPageMs < 300 ? "PASS" : "FAIL")
        << ", filter by zoho_id < 100 ms " << (byZohoMs >= 0 && byZohoMs < 100 ? "PASS" : "FAIL") << "\n";

    AuditFilter planZoho;
    planZoho.zohoId = zohoId(1);
    out << "audit-bench: plan first page: " << audit.queryPlan(firstPage, &reader).value().join(QStringLiteral(" | "))
        << "\n";
    out << "audit-bench: plan zoho_id: " << audit.queryPlan(planZoho, &reader).value().join(QStringLiteral(" | "))
        << "\n";
    out << "audit-bench: plan failed: " << audit.queryPlan(failed, &reader).value().join(QStringLiteral(" | ")) << "\n";
    out.flush();
    return (firstPageMs >= 0 && byZohoMs >= 0) ? 0 : 1;
}
