// ml-audit-browser-bench: the audit browser's model at a million events.
//
// Builds (or reuses, with --db) a database of N events (default 1,000,000) shaped like ml-audit-bench's,
// then measures with QElapsedTimer, as seen by the UI: creating Gui::AuditTableModel on it until the first
// page is there (rowCount() > 0), and setFilter(zohoId = an existing id) until it returns with rows.
// Each figure is the median of --runs runs. Targets: first page < 300 ms, filter by Zoho id < 100 ms.
//
//   ml-audit-browser-bench [--events N] [--runs R] [--db PATH]   (--db keeps the file; reused if present)

#include "audit/AuditLog.h"
#include "audit/AuditTableModel.h"
#include "storage/Database.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

using namespace Core;

namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;
constexpr qint64 kEndMs = 1767225600000; // 2026-01-01T00:00:00Z: the newest event
constexpr int kZohoIds = 60000;

QString zohoId(int n)
{
    return QStringLiteral("5725767000%1").arg(n, 9, 10, QLatin1Char('0'));
}

Result<Ok> populate(AuditLog& audit, int events, QTextStream& out)
{
    QRandomGenerator rng(20260101);
    const QStringList modules{QStringLiteral("Accounts"), QStringLiteral("Accounts"), QStringLiteral("Contacts")};
    const QStringList sources{QStringLiteral("webhook"), QStringLiteral("webhook"), QStringLiteral("poll"),
                              QStringLiteral("replay")};
    const QStringList actions{QStringLiteral("update"), QStringLiteral("create"), QStringLiteral("unchanged")};
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
        e.source = sources.at(static_cast<int>(rng.bounded(sources.size())));
        e.module = modules.at(static_cast<int>(rng.bounded(modules.size())));
        // Half of the traffic comes from 5% of the records.
        const int record = static_cast<int>(rng.bounded(2) == 0 ? rng.bounded(kZohoIds / 20) : rng.bounded(kZohoIds));
        e.zohoId = zohoId(record);
        e.partyNumber = QStringLiteral("CDRM_%1").arg(100000 + record);
        e.direction = QStringLiteral("to_oracle");
        e.action = actions.at(static_cast<int>(rng.bounded(actions.size())));
        const int roll = static_cast<int>(rng.bounded(100));
        e.outcome = roll < 90 ? QStringLiteral("ok") : roll < 97 ? QStringLiteral("failed") : QStringLiteral("dry_run");
        e.httpStatus = e.outcome == QLatin1String("failed") ? 503 : 200;
        e.attempt = 1 + static_cast<int>(rng.bounded(3));
        e.mappingVersion = 1 + static_cast<int>(rng.bounded(4));
        if (e.outcome == QLatin1String("failed")) {
            e.reasonClass = QStringLiteral("transient");
            e.reason = QStringLiteral("Oracle answered 503 for party %1").arg(e.partyNumber);
        }
        if (rng.bounded(4) == 0)
            e.request = QStringLiteral("{\"PartyNumber\":\"%1\",\"OrganizationName\":\"Company %2\"}")
                            .arg(e.partyNumber)
                            .arg(record);
        batch << e;
        if (batch.size() == kBatch || i == events - 1) {
            const auto written = audit.appendMany(batch);
            if (!written)
                return written.error();
            batch.clear();
        }
    }
    out << "audit-browser-bench: wrote " << events << " events in " << QString::number(timer.elapsed() / 1000.0, 'f', 1)
        << " s\n";
    out.flush();
    return Ok{};
}

double median(QList<double> values)
{
    std::sort(values.begin(), values.end());
    return values.at(values.size() / 2);
}

int fail(const QString& message)
{
    fprintf(stderr, "audit-browser-bench: %s\n", qPrintable(message));
    return 1;
}

} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv); // the model loads icons (QIcon needs a GUI application)
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Audit browser model benchmark"));
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
                                                            : dir.filePath(QStringLiteral("audit-browser-bench.db"));
    {
        auto opened = Database::open(path);
        if (!opened)
            return fail(opened.error().message);
        AuditLog audit(*opened.value());
        const auto existing = audit.count(AuditFilter());
        if (!existing)
            return fail(existing.error().message);
        if (existing.value() < events) {
            const auto filled = populate(audit, static_cast<int>(events - existing.value()), out);
            if (!filled)
                return fail(filled.error().message);
        }
    } // closed: the WAL is checkpointed into the file

    auto opened = Database::open(path);
    if (!opened)
        return fail(opened.error().message);
    AuditLog audit(*opened.value());
    auto readerResult = opened.value()->openReadConnection();
    if (!readerResult)
        return fail(readerResult.error().message);
    const ReadConnection reader = std::move(readerResult.value());
    const qint64 total = audit.count(AuditFilter(), &reader).value();

    // From creating the model to its first page.
    QList<double> firstPage;
    for (int i = 0; i < runs; ++i) {
        QElapsedTimer timer;
        timer.start();
        Gui::AuditTableModel model(audit, reader);
        if (model.rowCount() <= 0)
            return fail(QStringLiteral("no first page: %1").arg(model.lastError()));
        firstPage << timer.nsecsElapsed() / 1e6;
    }

    // setFilter(zohoId) on a live model; busy and quiet records alternate, each id taken from the log.
    Gui::AuditTableModel model(audit, reader);
    QList<double> byZoho;
    for (int i = 0; i < runs; ++i) {
        AuditFilter probe;
        probe.limit = 1;
        probe.offset = 0;
        QString id;
        for (int n = (i % 2 == 0 ? i : kZohoIds - 1 - i); id.isEmpty() && n < kZohoIds; n += 7) {
            probe.zohoId = zohoId(n);
            if (audit.count(probe, &reader).value() > 0)
                id = probe.zohoId;
        }
        if (id.isEmpty())
            id = model.eventAt(i).zohoId;
        AuditFilter filter;
        filter.zohoId = id;
        QElapsedTimer timer;
        timer.start();
        model.setFilter(filter);
        const int rows = model.rowCount();
        const double elapsed = timer.nsecsElapsed() / 1e6;
        if (rows <= 0)
            return fail(QStringLiteral("no rows for %1: %2").arg(id, model.lastError()));
        byZoho << elapsed;
    }

    // Informational: the browser's "Failed" status (two outcomes, so an IN over the outcome index).
    QList<double> failedPage;
    for (int i = 0; i < runs; ++i) {
        AuditFilter filter;
        filter.outcomes = {QStringLiteral("failed"), QStringLiteral("dead")};
        QElapsedTimer timer;
        timer.start();
        model.setFilter(filter);
        if (model.rowCount() <= 0)
            return fail(QStringLiteral("no failed rows: %1").arg(model.lastError()));
        failedPage << timer.nsecsElapsed() / 1e6;
    }

    const double firstMs = median(firstPage);
    const double zohoMs = median(byZoho);
    out << "audit-browser-bench: " << total << " events, first page " << QString::number(firstMs, 'f', 1)
        << " ms, filter by Zoho id " << QString::number(zohoMs, 'f', 1) << " ms (median of " << runs << " runs)\n";
    out << "audit-browser-bench: status Failed first page " << QString::number(median(failedPage), 'f', 1) << " ms\n";
    out << "audit-browser-bench: targets: first page < 300 ms " << (firstMs < 300 ? "PASS" : "FAIL")
        << ", filter by Zoho id < 100 ms " << (zohoMs < 100 ? "PASS" : "FAIL") << "\n";
    out.flush();
    return firstMs < 300 && zohoMs < 100 ? 0 : 1;
}
