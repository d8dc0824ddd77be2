#include "audit/AuditBrowserWidget.h"

#include "ScriptedDialogs.h"
#include "audit/AuditLog.h"
#include "audit/AuditTableModel.h"
#include "storage/Database.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QFile>
#include <QIcon>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

#include <memory>

using Core::AuditEvent;
using Core::AuditFilter;
using Gui::AuditBrowserWidget;
using Gui::AuditTableModel;

namespace {

constexpr int kEvents = 650; // more than three pages of 200
constexpr int kRecords = 50;

QString zohoId(int record)
{
    return QStringLiteral("57257670000%1").arg(record, 4, 10, QLatin1Char('0'));
}

// One CSV record per line (the test data has no line breaks inside cells); RFC 4180 quotes.
QStringList csvCells(const QString& line)
{
    QStringList cells;
    QString cell;
    bool quoted = false;
    for (int i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < line.size() && line.at(i + 1) == QLatin1Char('"')) {
                cell += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                cell += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            cells << cell;
            cell.clear();
        } else {
            cell += c;
        }
    }
    cells << cell;
    return cells;
}

} // namespace

// The audit browser over a real SQLite file: paging, filters typed into the real widgets, the detail
// pane, the replay signals and the export.
class tst_AuditBrowser : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("audit-%1.db").arg(++m_run));
        auto opened = Core::Database::open(m_path);
        QVERIFY2(opened.ok(), opened.ok() ? "" : qPrintable(opened.error().message));
        m_db = std::move(opened.value());
        m_log = std::make_unique<Core::AuditLog>(*m_db);

        // Newest event a few seconds ago, one every 2 s back from there: all within the last hour.
        m_nowMs = QDateTime::currentMSecsSinceEpoch() - 5000;
        QList<AuditEvent> events;
        for (int i = kEvents - 1; i >= 0; --i) {
            AuditEvent e;
            e.tsMs = m_nowMs - 2000LL * i;
            const int record = i % kRecords;
            e.source = i % 3 == 0 ? QStringLiteral("poll") : QStringLiteral("webhook");
            e.module = i % 4 == 0 ? QStringLiteral("Contacts") : QStringLiteral("Accounts");
            e.zohoId = zohoId(record);
            e.partyNumber = QStringLiteral("CDRM_%1").arg(100000 + record);
            e.direction = QStringLiteral("to_oracle");
            e.action = QStringLiteral("update");
            e.attempt = 1 + i % 3;
            e.mappingVersion = 3;
            e.outcome = i % 7 == 3 ? QStringLiteral("failed") : QStringLiteral("ok");
            if (e.outcome == QLatin1String("failed")) {
                e.reasonClass = QStringLiteral("invalid_data");
                e.reason = (record == 7 ? QStringLiteral("Oracle rejected the postal code ")
                                        : QStringLiteral("Oracle said no ")) +
                           e.partyNumber;
                e.httpStatus = 400;
            }
            e.request = QStringLiteral("{\"PartyNumber\":\"%1\",\"OrganizationName\":\"Company %2\"}")
                            .arg(e.partyNumber)
                            .arg(record);
            e.response = QStringLiteral("not json: %1").arg(i);
            events << e;
        }
        const auto written = m_log->appendMany(events);
        QVERIFY2(written.ok(), written.ok() ? "" : qPrintable(written.error().message));
        QCOMPARE(written.value(), kEvents);
        auto reader = m_db->openReadConnection();
        QVERIFY(reader.ok());
        m_reader = std::make_unique<Core::ReadConnection>(std::move(reader.value()));
    }

    void cleanup()
    {
        m_reader.reset();
        m_log.reset();
        m_db.reset();
    }

    void modelPagesLazilyWithKeysetPaging()
    {
        AuditTableModel model(*m_log, *m_reader);
        QCOMPARE(model.columnCount(), int(AuditTableModel::ColumnCount));
        QCOMPARE(model.rowCount(), AuditTableModel::kDefaultPageSize);
        QVERIFY(model.canFetchMore(QModelIndex()));
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // The tester itself may fetch a page; page until the end.
        int pages = 0;
        while (model.canFetchMore(QModelIndex()) && pages++ < 10) {
            const int before = model.rowCount();
            model.fetchMore(QModelIndex());
            QVERIFY(model.rowCount() > before || !model.canFetchMore(QModelIndex()));
        }
        QCOMPARE(model.rowCount(), kEvents);
        QVERIFY(!model.canFetchMore(QModelIndex()));
        // Newest first, no duplicates, nothing skipped.
        QSet<qint64> ids;
        for (int row = 0; row < model.rowCount(); ++row) {
            const AuditEvent e = model.eventAt(row);
            ids.insert(e.id);
            if (row > 0)
                QVERIFY(model.eventAt(row - 1).tsMs >= e.tsMs);
        }
        QCOMPARE(ids.size(), kEvents);
        QCOMPARE(model.eventAt(kEvents).id, qint64(0));

        // Filtering resets the model and pages again, under the tester.
        AuditFilter failed;
        failed.outcomes = {QStringLiteral("failed")};
        model.setFilter(failed);
        QCOMPARE(qint64(model.rowCount()), m_log->count(failed).value());
        QVERIFY(model.rowCount() > 50 && model.rowCount() < AuditTableModel::kDefaultPageSize);
        QVERIFY(!model.canFetchMore(QModelIndex()));
        for (int row = 0; row < model.rowCount(); ++row)
            QCOMPARE(model.index(row, AuditTableModel::OutcomeColumn).data().toString(), QStringLiteral("failed"));
    }

    void modelRolesAndRefresh()
    {
        AuditTableModel model(*m_log, *m_reader);
        model.setPageSize(50);
        AuditFilter f;
        model.setFilter(f);
        QCOMPARE(model.rowCount(), 50);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);

        int failedRow = -1;
        for (int row = 0; row < model.rowCount() && failedRow < 0; ++row)
            if (model.eventAt(row).outcome == QLatin1String("failed"))
                failedRow = row;
        QVERIFY(failedRow >= 0);
        const AuditEvent failed = model.eventAt(failedRow);
        QCOMPARE(model.index(failedRow, AuditTableModel::ZohoIdColumn).data().toString(), failed.zohoId);
        QCOMPARE(model.index(failedRow, AuditTableModel::PartyNumberColumn).data().toString(), failed.partyNumber);
        QCOMPARE(model.index(failedRow, AuditTableModel::ReasonColumn).data(Qt::ToolTipRole).toString(), failed.reason);
        QCOMPARE(
            model.index(failedRow, AuditTableModel::TimeColumn).data().toString(),
            QDateTime::fromMSecsSinceEpoch(failed.tsMs).toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")));
        QVERIFY(model.index(failedRow, AuditTableModel::OutcomeColumn).data(Qt::DecorationRole).canConvert<QIcon>());
        QVERIFY(
            !model.index(failedRow, AuditTableModel::OutcomeColumn).data(Qt::DecorationRole).value<QIcon>().isNull());
        QVERIFY(model.index(failedRow, AuditTableModel::ReasonColumn).data(Qt::ForegroundRole).isValid());
        const int okRow = failedRow == 0 ? 1 : 0;
        QVERIFY(!model.index(okRow, AuditTableModel::ReasonColumn).data(Qt::ForegroundRole).isValid());

        // Two new events arrive: refresh() puts them on top without touching the rest.
        const qint64 oldTop = model.eventAt(0).id;
        const int before = model.rowCount();
        QList<AuditEvent> fresh;
        for (int i = 0; i < 2; ++i) {
            AuditEvent e;
            e.tsMs = m_nowMs + 1000 + i;
            e.source = QStringLiteral("replay");
            e.direction = QStringLiteral("to_oracle");
            e.outcome = QStringLiteral("ok");
            e.zohoId = QStringLiteral("fresh-%1").arg(i);
            fresh << e;
        }
        QVERIFY(m_log->appendMany(fresh).ok());
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QCOMPARE(model.refresh(), 2);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(model.rowCount(), before + 2);
        QCOMPARE(model.eventAt(0).zohoId, QStringLiteral("fresh-1"));
        QCOMPARE(model.eventAt(1).zohoId, QStringLiteral("fresh-0"));
        QCOMPARE(model.eventAt(2).id, oldTop);
        QCOMPARE(model.refresh(), 0);
    }

    void filtersTypedIntoTheBarChangeTheRows()
    {
        AuditBrowserWidget w(*m_log, *m_reader);
        QAbstractItemModelTester tester(w.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        w.resize(1200, 800);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        AuditTableModel* model = w.model();
        QVERIFY(model->rowCount() >= AuditTableModel::kDefaultPageSize);

        // Status: failed, chosen with the keyboard.
        auto* status = w.findChild<QComboBox*>(QStringLiteral("statusFilter"));
        QVERIFY(status);
        QVERIFY(!status->accessibleName().isEmpty());
        status->setFocus();
        QTest::keyClick(status, Qt::Key_End);
        QCOMPARE(status->currentText(), QStringLiteral("Failed"));
        AuditFilter failed;
        failed.outcomes = {QStringLiteral("failed")};
        const qint64 failures = m_log->count(failed).value();
        QTRY_COMPARE(qint64(model->rowCount()), failures);
        for (int row = 0; row < model->rowCount(); ++row)
            QVERIFY(AuditTableModel::isFailure(model->eventAt(row)));

        // Plus a Zoho id, typed: only that record's failures.
        auto* zoho = w.findChild<QLineEdit*>(QStringLiteral("zohoIdFilter"));
        QVERIFY(zoho);
        QTest::keyClicks(zoho, zohoId(7));
        failed.zohoId = zohoId(7);
        const qint64 recordFailures = m_log->count(failed).value();
        QVERIFY(recordFailures > 0 && recordFailures < failures);
        QTRY_COMPARE(qint64(model->rowCount()), recordFailures);
        for (int row = 0; row < model->rowCount(); ++row) {
            QCOMPARE(model->eventAt(row).zohoId, zohoId(7));
            QVERIFY(AuditTableModel::isFailure(model->eventAt(row)));
        }
        // Back to all outcomes: every event of the record.
        QTest::keyClick(status, Qt::Key_Home);
        QTRY_COMPARE(model->rowCount(), kEvents / kRecords);
    }

    void freeTextFilter()
    {
        AuditBrowserWidget w(*m_log, *m_reader);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* text = w.findChild<QLineEdit*>(QStringLiteral("textFilter"));
        QVERIFY(text);
        QTest::keyClicks(text, QStringLiteral("postal code"));
        QTRY_VERIFY(w.model()->rowCount() > 0 && w.model()->rowCount() < 100);
        const AuditFilter expected = w.currentFilter();
        QCOMPARE(expected.text, QStringLiteral("postal code"));
        QCOMPARE(qint64(w.model()->rowCount()), m_log->count(expected).value());
        for (int row = 0; row < w.model()->rowCount(); ++row)
            QVERIFY(w.model()->eventAt(row).reason.contains(QStringLiteral("postal code")));
        // Clearing the text shows everything again.
        text->clear();
        QTRY_VERIFY(w.model()->rowCount() >= AuditTableModel::kDefaultPageSize);
    }

    void detailPaneShowsTimelineAndPrettyRequest()
    {
        AuditBrowserWidget w(*m_log, *m_reader);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* status = w.findChild<QComboBox*>(QStringLiteral("statusFilter"));
        status->setCurrentIndex(status->findText(QStringLiteral("Failed")));
        QTRY_VERIFY(w.model()->rowCount() > 0 && AuditTableModel::isFailure(w.model()->eventAt(0)));

        auto* table = w.findChild<QTableView*>(QStringLiteral("auditTable"));
        QVERIFY(table);
        table->setFocus();
        table->selectRow(0);
        const AuditEvent selected = w.model()->eventAt(0);
        auto* detail = w.findChild<QTextBrowser*>(QStringLiteral("detailPane"));
        QVERIFY(detail);
        QTRY_VERIFY(detail->toPlainText().contains(selected.reason));
        const QString text = detail->toPlainText();
        // Pretty-printed request, the response as it was (not JSON), the mapping version.
        QVERIFY2(text.contains(QStringLiteral("\n    \"PartyNumber\": \"") + selected.partyNumber + QLatin1Char('"')),
                 qPrintable(text));
        QVERIFY(text.contains(QStringLiteral("not json:")));
        QVERIFY(text.contains(QStringLiteral("Mapping version")));
        // The timeline: every attempt of this record, ok ones included.
        const auto timeline = m_log->timeline(selected.zohoId).value();
        QCOMPARE(timeline.size(), kEvents / kRecords);
        QVERIFY(text.contains(QStringLiteral("Timeline of ") + selected.zohoId));
        for (const AuditEvent& step : timeline) {
            const QString time = QDateTime::fromMSecsSinceEpoch(step.tsMs).toLocalTime().toString(
                QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
            QVERIFY2(text.contains(time), qPrintable(time));
        }
        // Clearing the selection with a new filter clears the pane.
        status->setCurrentIndex(0);
        QTRY_VERIFY(detail->toPlainText().isEmpty());
    }

    void replayButtonsEmitIdsAndOptions()
    {
        AuditBrowserWidget w(*m_log, *m_reader);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* replaySelected = w.findChild<QPushButton*>(QStringLiteral("replaySelectedButton"));
        auto* replayAll = w.findChild<QPushButton*>(QStringLiteral("replayAllFailedButton"));
        auto* dryRun = w.findChild<QCheckBox*>(QStringLiteral("dryRunCheck"));
        auto* mapping = w.findChild<QComboBox*>(QStringLiteral("mappingVersionCombo"));
        QVERIFY(replaySelected && replayAll && dryRun && mapping);
        QVERIFY(!replaySelected->isEnabled());

        QSignalSpy selectedSpy(&w, &AuditBrowserWidget::replayRequested);
        QSignalSpy allSpy(&w, &AuditBrowserWidget::replayAllFailedRequested);
        auto* table = w.table();
        // Rows 0, 1 and 50 (the same record as row 0): three rows, two records.
        table->selectRow(0);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, Qt::ControlModifier,
                          table->visualRect(w.model()->index(1, 0)).center());
        table->selectionModel()->select(w.model()->index(kRecords, 0),
                                        QItemSelectionModel::Select | QItemSelectionModel::Rows);
        QCOMPARE(table->selectionModel()->selectedRows().size(), 3);
        QTRY_VERIFY(replaySelected->isEnabled());
        QTest::mouseClick(dryRun, Qt::LeftButton);
        QVERIFY(dryRun->isChecked());
        QTest::mouseClick(replaySelected, Qt::LeftButton);
        QCOMPARE(selectedSpy.size(), 1);
        const QStringList expectedIds{w.model()->eventAt(0).zohoId, w.model()->eventAt(1).zohoId};
        QCOMPARE(selectedSpy.at(0).at(0).toStringList(), expectedIds);
        QCOMPARE(selectedSpy.at(0).at(1).toBool(), true);
        QCOMPARE(selectedSpy.at(0).at(2).toBool(), false);

        mapping->setCurrentIndex(mapping->findText(QStringLiteral("Recorded mapping")));
        dryRun->setChecked(false);
        // A real replay of every failed record is confirmed first; declining sends nothing.
        auto dialogs = std::make_shared<ScriptedDialogs>();
        dialogs->answers = {false, true};
        w.setDialogs(dialogs);
        replayAll->setFocus();
        QTest::keyClick(replayAll, Qt::Key_Space);
        QTRY_COMPARE(dialogs->questions.size(), 1);
        QCoreApplication::processEvents();
        QCOMPARE(allSpy.size(), 0);
        QTest::keyClick(replayAll, Qt::Key_Space);
        QTRY_COMPARE(allSpy.size(), 1);
        QCOMPARE(dialogs->questions.size(), 2);
        QCOMPARE(allSpy.at(0).at(0).toBool(), false);
        QCOMPARE(allSpy.at(0).at(1).toBool(), true);
    }

    void exportWritesOnlyTheFilteredRows()
    {
        AuditBrowserWidget w(*m_log, *m_reader);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QString target = m_dir.filePath(QStringLiteral("export-%1.csv").arg(m_run));
        auto dialogs = std::make_shared<ScriptedDialogs>();
        dialogs->path = target;
        w.setDialogs(dialogs);
        auto* status = w.findChild<QComboBox*>(QStringLiteral("statusFilter"));
        status->setCurrentIndex(status->findText(QStringLiteral("Failed")));
        auto* module = w.findChild<QComboBox*>(QStringLiteral("moduleFilter"));
        module->setCurrentIndex(module->findText(QStringLiteral("Accounts")));
        // Typed but not yet applied: the export still uses it.
        QTest::keyClicks(w.findChild<QLineEdit*>(QStringLiteral("textFilter")), QStringLiteral("said no"));

        QSignalSpy exported(&w, &AuditBrowserWidget::exported);
        QTest::mouseClick(w.findChild<QPushButton*>(QStringLiteral("exportButton")), Qt::LeftButton);
        QTRY_COMPARE(exported.size(), 1);
        QVERIFY(dialogs->fileRequests.first().nameFilter.contains(QStringLiteral("*.csv")));
        QCOMPARE(dialogs->fileRequests.first().mode, Gui::Dialogs::FileMode::Save);

        AuditFilter expected;
        expected.outcomes = {QStringLiteral("failed"), QStringLiteral("dead")};
        expected.module = QStringLiteral("Accounts");
        expected.text = QStringLiteral("said no");
        const qint64 expectedRows = m_log->count(expected).value();
        QVERIFY(expectedRows > 0);
        AuditFilter allFailures;
        allFailures.outcomes = expected.outcomes;
        QVERIFY(expectedRows < m_log->count(allFailures).value());
        QCOMPARE(exported.at(0).at(1).toLongLong(), expectedRows);

        QFile file(target);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QStringList lines = QString::fromUtf8(file.readAll()).split(QStringLiteral("\r\n"), Qt::SkipEmptyParts);
        QCOMPARE(qint64(lines.size()), expectedRows + 1);
        const QStringList header = csvCells(lines.first());
        const int outcome = header.indexOf(QStringLiteral("outcome"));
        const int moduleColumn = header.indexOf(QStringLiteral("module"));
        const int reason = header.indexOf(QStringLiteral("reason"));
        QVERIFY(outcome >= 0 && moduleColumn >= 0 && reason >= 0);
        for (int i = 1; i < lines.size(); ++i) {
            const QStringList cells = csvCells(lines.at(i));
            QCOMPARE(cells.size(), header.size());
            QCOMPARE(cells.at(outcome), QStringLiteral("failed"));
            QCOMPARE(cells.at(moduleColumn), QStringLiteral("Accounts"));
            QVERIFY(cells.at(reason).contains(QStringLiteral("said no")));
        }

        // Cancelling the dialog writes nothing.
        dialogs->path.clear();
        QTest::mouseClick(w.findChild<QPushButton*>(QStringLiteral("exportButton")), Qt::LeftButton);
        QTRY_COMPARE(dialogs->fileRequests.size(), 2);
        QCoreApplication::processEvents();
        QCOMPARE(exported.size(), 1);
    }

    void everyControlIsNamedAndReachableByTab()
    {
        AuditBrowserWidget w(*m_log, *m_reader);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QStringList names{QStringLiteral("timeRangeFilter"),
                                QStringLiteral("statusFilter"),
                                QStringLiteral("moduleFilter"),
                                QStringLiteral("sourceFilter"),
                                QStringLiteral("zohoIdFilter"),
                                QStringLiteral("partyNumberFilter"),
                                QStringLiteral("textFilter"),
                                QStringLiteral("auditTable"),
                                QStringLiteral("detailPane"),
                                QStringLiteral("dryRunCheck"),
                                QStringLiteral("mappingVersionCombo"),
                                QStringLiteral("replaySelectedButton"),
                                QStringLiteral("replayAllFailedButton"),
                                QStringLiteral("refreshButton"),
                                QStringLiteral("exportButton")};
        for (const QString& objectName : names) {
            auto* control = w.findChild<QWidget*>(objectName);
            QVERIFY2(control, qPrintable(objectName));
            QVERIFY2(!control->accessibleName().isEmpty(), qPrintable(objectName));
        }
        // Tab walks the filter bar in order, starting at the time range.
        w.findChild<QWidget*>(names.first())->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), w.findChild<QWidget*>(names.first()));
        for (int i = 1; i < 7; ++i) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            QCOMPARE(QApplication::focusWidget()->objectName(), names.at(i));
        }
        // Ctrl+F jumps to the search field.
        w.findChild<QWidget*>(QStringLiteral("auditTable"))->setFocus();
        QTest::keyClick(&w, Qt::Key_F, Qt::ControlModifier);
        QTRY_COMPARE(QApplication::focusWidget()->objectName(), QStringLiteral("textFilter"));
    }

    void timeRangeFilter()
    {
        // One old event, a week and a day ago: "Last day" hides it, "All time" shows it.
        AuditEvent old;
        old.tsMs = m_nowMs - 8LL * 24 * 3600 * 1000;
        old.source = QStringLiteral("manual");
        old.direction = QStringLiteral("to_oracle");
        old.outcome = QStringLiteral("ok");
        old.zohoId = QStringLiteral("old-record");
        QVERIFY(m_log->append(old).ok());
        AuditBrowserWidget w(*m_log, *m_reader);
        auto* zoho = w.findChild<QLineEdit*>(QStringLiteral("zohoIdFilter"));
        QTest::keyClicks(zoho, QStringLiteral("old-record"));
        QTRY_COMPARE(w.model()->rowCount(), 1);
        auto* range = w.findChild<QComboBox*>(QStringLiteral("timeRangeFilter"));
        range->setCurrentIndex(range->findText(QStringLiteral("Last day")));
        QCOMPARE(w.model()->rowCount(), 0);
        range->setCurrentIndex(range->findText(QStringLiteral("All time")));
        QCOMPARE(w.model()->rowCount(), 1);
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_run = 0;
    qint64 m_nowMs = 0;
    std::unique_ptr<Core::Database> m_db;
    std::unique_ptr<Core::AuditLog> m_log;
    std::unique_ptr<Core::ReadConnection> m_reader;
};

QTEST_MAIN(tst_AuditBrowser)
#include "tst_AuditBrowser.moc"
