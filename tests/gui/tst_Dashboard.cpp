#include "../integration/SimSession.h"
#include "MainWindow.h"
#include "audit/AuditLog.h"
#include "audit/AuditStats.h"
#include "dashboard/ChannelTableModel.h"
#include "dashboard/DashboardController.h"
#include "dashboard/DashboardWidget.h"
#include "sync/FullSync.h"
#include "sync/SyncEngine.h"
#include "sync/SyncSchedule.h"
#include "zoho/ZohoCreditMeter.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QBarSeries>
#include <QBarSet>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTest>

using Core::ChannelStatus;
using Gui::ChannelTableModel;
using Gui::DashboardController;
using Gui::DashboardWidget;

namespace {

template <typename T>
T* child(QWidget* parent, const char* name)
{
    T* found = parent->findChild<T*>(QLatin1String(name));
    if (!found)
        qFatal("no %s", name);
    return found;
}

ChannelStatus channel(const QString& module, ChannelStatus::State state, const QDateTime& expiry, const QDateTime& next)
{
    ChannelStatus c;
    c.module = module;
    c.state = state;
    c.channelId = QStringLiteral("1000000") + module;
    c.expiry = expiry;
    c.nextAction = next;
    return c;
}

// Today's counts straight from the audit trail's rows, not through AuditStats.
Core::SyncTally countFromLog(Core::AuditLog& log, const Core::ReadConnection& reader, qint64 fromMs, qint64 toMs)
{
    Core::AuditFilter filter;
    filter.fromMs = fromMs;
    filter.toMs = toMs;
    filter.limit = 0;
    Core::SyncTally t;
    const auto events = log.query(filter, &reader); // kept: the loop must not run over a temporary
    if (!events)
        qFatal("%s", qPrintable(events.error().message));
    for (const Core::AuditEvent& e : events.value()) {
        if (e.direction != QLatin1String("to_oracle"))
            continue;
        if (e.outcome == QLatin1String("failed") || e.outcome == QLatin1String("dead"))
            ++t.failed;
        else if (e.outcome == QLatin1String("ok") && e.action == QLatin1String("create"))
            ++t.created;
        else if (e.outcome == QLatin1String("ok") && e.action == QLatin1String("update"))
            ++t.updated;
        else if (e.outcome == QLatin1String("ok") && e.action == QLatin1String("unchanged"))
            ++t.unchanged;
    }
    return t;
}

struct ProgressLog
{
    QList<QPair<int, int>> seen; // (value, maximum) while the bar was shown
};

} // namespace

// The dashboard page: its model, the view's controls, and the controller running real syncs
// against the simulator over loopback.
class tst_Dashboard : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QApplication::setQuitOnLastWindowClosed(false);
        QString why;
        m_base = SimTest::startSimulator(m_simulator, {QStringLiteral("--seed"), QStringLiteral("9")}, &why);
        QVERIFY2(m_base.isValid(), qPrintable(why));
        m_control.setBase(m_base);
    }

    void channelModelPassesTheModelTester()
    {
        ChannelTableModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QDateTime now = QDateTime::currentDateTimeUtc();
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setChannels(
            {channel(QStringLiteral("Contacts"), ChannelStatus::State::Healthy, now.addSecs(2 * 3600 + 5 * 60 + 30),
                     now.addSecs(3600 + 60)),
             channel(QStringLiteral("Accounts"), ChannelStatus::State::PollingFallback, {}, now.addSecs(45))},
            now);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), 4);
        QCOMPARE(reset.count(), 1);
        QCOMPARE(model.index(0, ChannelTableModel::ExpiresColumn).data().toString(), QStringLiteral("2 h 05 min"));
        QCOMPARE(model.index(0, ChannelTableModel::StateColumn).data().toString(),
                 ChannelStatus::stateName(ChannelStatus::State::Healthy));
        QVERIFY(
            model.index(0, ChannelTableModel::RenewalColumn).data().toString().contains(QStringLiteral("1 h 01 min")));
        QCOMPARE(model.index(1, ChannelTableModel::ExpiresColumn).data().toString(), QStringLiteral("–"));
        QVERIFY(model.index(1, ChannelTableModel::RenewalColumn).data().toString().contains(QStringLiteral("45 s")));
        QVERIFY(model.index(0, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("1000000Contacts")));

        // A minute later, same modules: the countdown ticks without a reset.
        model.setChannels(model.channels(), now.addSecs(60));
        QCOMPARE(reset.count(), 1);
        QCOMPARE(changed.count(), 1);
        QCOMPARE(model.index(0, ChannelTableModel::ExpiresColumn).data().toString(), QStringLiteral("2 h 04 min"));
        // Past the expiry.
        model.setChannels(model.channels(), now.addSecs(3 * 3600));
        QCOMPARE(model.index(0, ChannelTableModel::ExpiresColumn).data().toString(), QStringLiteral("expired"));
        // Another set of modules resets.
        model.setChannels({channel(QStringLiteral("Leads"), ChannelStatus::State::Starting, {}, {})}, now);
        QCOMPARE(reset.count(), 2);
        QCOMPARE(model.rowCount(), 1);
        model.setChannels({}, now);
        QCOMPARE(model.rowCount(), 0);
    }

    void everyControlIsNamedAndReachable()
    {
        DashboardWidget w;
        w.setSyncEnabled(true);
        w.setRunning(true);
        w.show();
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        for (QWidget* control : w.findChildren<QWidget*>()) {
            if (control->focusPolicy() == Qt::NoFocus && !qobject_cast<QProgressBar*>(control))
                continue;
            if (!control->isVisibleTo(&w) || control->objectName().startsWith(QLatin1String("qt_")) ||
                !control->parentWidget() || qobject_cast<QSpinBox*>(control->parentWidget()) ||
                qobject_cast<QComboBox*>(control->parentWidget()) ||
                qobject_cast<QAbstractScrollArea*>(control->parentWidget()) ||
                qobject_cast<QAbstractScrollArea*>(control->parentWidget()->parentWidget()))
                continue; // inner parts of a compound control
            QVERIFY2(!control->accessibleName().isEmpty(),
                     qPrintable(QStringLiteral("%1 (%2) has no accessible name")
                                    .arg(control->objectName(), control->metaObject()->className())));
        }
        // Tab order: Sync now, Pause, Cancel, interval, window, chart period, channel table. Sync now is
        // disabled during a run, so the walk starts at Pause.
        QCOMPARE(child<QWidget>(&w, "syncNowButton")->nextInFocusChain(), child<QWidget>(&w, "pauseButton"));
        const QStringList order = {QStringLiteral("pauseButton"),     QStringLiteral("cancelButton"),
                                   QStringLiteral("intervalSpin"),    QStringLiteral("windowEdit"),
                                   QStringLiteral("chartRangeCombo"), QStringLiteral("channelTable")};
        auto* first = child<QWidget>(&w, "pauseButton");
        first->setFocus();
        QTRY_COMPARE(QApplication::focusWidget(), first);
        for (int i = 1; i < order.size(); ++i) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            QCOMPARE(QApplication::focusWidget()->objectName(), order.at(i));
        }
    }

    void controlsSayWhatTheUserAsked()
    {
        DashboardWidget w;
        QSignalSpy sync(&w, &DashboardWidget::syncNowRequested);
        QSignalSpy paused(&w, &DashboardWidget::pauseToggled);
        QSignalSpy cancel(&w, &DashboardWidget::cancelRequested);
        QSignalSpy schedule(&w, &DashboardWidget::scheduleChanged);
        auto* syncButton = child<QPushButton>(&w, "syncNowButton");
        auto* pause = child<QPushButton>(&w, "pauseButton");
        auto* progress = child<QProgressBar>(&w, "syncProgress");
        auto* cancelButton = child<QPushButton>(&w, "cancelButton");
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));

        QVERIFY(!syncButton->isEnabled()); // no session yet
        w.setSyncEnabled(true);
        QTest::mouseClick(syncButton, Qt::LeftButton);
        QCOMPARE(sync.count(), 1);
        QVERIFY(!progress->isVisible());
        QVERIFY(!cancelButton->isVisible());

        w.setRunning(true);
        QVERIFY(progress->isVisible() && cancelButton->isVisible());
        QVERIFY(!syncButton->isEnabled()); // one run at a time
        w.setProgress(0, 0);
        QCOMPARE(progress->maximum(), 0); // busy until the run's size is known
        w.setProgress(3, 12);
        QCOMPARE(progress->maximum(), 12);
        QCOMPARE(progress->value(), 3);
        QTest::mouseClick(cancelButton, Qt::LeftButton);
        QCOMPARE(cancel.count(), 1);
        w.setRunning(false);
        QVERIFY(!progress->isVisible());

        QTest::mouseClick(pause, Qt::LeftButton);
        QCOMPARE(paused.count(), 1);
        QCOMPARE(paused.last().at(0).toBool(), true);
        QCOMPARE(pause->text(), QStringLiteral("&Resume"));
        w.setPaused(false); // from the controller: no signal back
        QCOMPARE(paused.count(), 1);
        QCOMPARE(pause->text(), QStringLiteral("&Pause"));

        auto* interval = child<QSpinBox>(&w, "intervalSpin");
        auto* window = child<QLineEdit>(&w, "windowEdit");
        auto* error = child<QLabel>(&w, "scheduleErrorLabel");
        window->setFocus();
        QTest::keyClicks(window, QStringLiteral("Mon-Fry 08:00-18:00"));
        QVERIFY2(error->text().contains(QStringLiteral("Fry")), qPrintable(error->text()));
        QTest::keyClick(window, Qt::Key_Return);
        QCOMPARE(schedule.count(), 0); // refused
        window->clear();
        QTest::keyClicks(window, QStringLiteral("Mon-Fri 08:00-18:00"));
        QVERIFY(error->text().isEmpty());
        QTest::keyClick(window, Qt::Key_Return);
        QCOMPARE(schedule.count(), 1);
        QCOMPARE(schedule.last().at(1).toString(), QStringLiteral("Mon-Fri 08:00-18:00"));
        interval->setValue(45);
        QCOMPARE(schedule.last().at(0).toInt(), 45);
        QCOMPARE(interval->text(), QStringLiteral("45 min"));
        interval->setValue(0);
        QCOMPARE(interval->text(), QStringLiteral("Off"));
    }

    void mainWindowHostsTheDashboardAndF5SyncsNow()
    {
        Gui::MainWindow window;
        QCOMPARE(window.pages()->widget(0), window.dashboard());
        QCOMPARE(window.zohoCard(), window.dashboard()->zohoCard());
        QSignalSpy requested(&window, &Gui::MainWindow::syncNowRequested);
        window.show();
        window.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&window)); // window shortcuts need the active window
        QTest::keyClick(&window, Qt::Key_F5);
        QCOMPARE(requested.count(), 0); // not before a session exists
        window.setSyncEnabled(true);
        QTest::keyClick(&window, Qt::Key_F5);
        QCOMPARE(requested.count(), 1);
        QTest::mouseClick(child<QPushButton>(window.dashboard(), "syncNowButton"), Qt::LeftButton);
        QCOMPARE(requested.count(), 2);
    }

    void syncNowShowsProgressThenTheAuditTrailsCounts()
    {
        resetSimulator(300, 40);
        SimTest::SimSession s;
        const QString opened = s.open(m_base);
        QVERIFY2(opened.isEmpty(), qPrintable(opened));
        QVERIFY(s.session->engine().start().ok());
        DashboardWidget w;
        DashboardController controller(s.session.get(), nullptr, s.reader.get(), &w);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* bar = child<QProgressBar>(&w, "syncProgress");
        ProgressLog log;
        connect(bar, &QProgressBar::valueChanged, this, [&log, bar](int value) {
            if (bar->isVisible())
                log.seen << qMakePair(value, bar->maximum());
        });
        QSignalSpy finished(&controller, &DashboardController::runFinished);

        QTest::mouseClick(child<QPushButton>(&w, "syncNowButton"), Qt::LeftButton);
        QVERIFY(bar->isVisible());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 180000);
        QCOMPARE(finished.at(0).at(2).toBool(), false);
        QVERIFY(!bar->isVisible());
        bool determinate = false;
        for (const auto& [value, maximum] : std::as_const(log.seen))
            determinate = determinate || (maximum > 0 && value > 0 && value < maximum);
        QVERIFY2(determinate, "the bar never showed a part of a known total");
        QVERIFY(!log.seen.isEmpty());
        QCOMPARE(log.seen.last().first, log.seen.last().second);
        QCOMPARE(log.seen.last().second, 300);

        // Today's counts and the chart say what the audit trail says.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const Core::SyncTally today = countFromLog(s.session->audit(), *s.reader, Core::AuditStats::startOfDayMs(now),
                                                   now.toMSecsSinceEpoch() + 1);
        QCOMPARE(today.created, 300);
        const QLocale locale;
        QCOMPARE(child<QLabel>(&w, "todayCreatedLabel")->text(), locale.toString(today.created));
        QCOMPARE(child<QLabel>(&w, "todayUpdatedLabel")->text(), locale.toString(today.updated));
        QCOMPARE(child<QLabel>(&w, "todayUnchangedLabel")->text(), locale.toString(today.unchanged));
        QCOMPARE(child<QLabel>(&w, "todayFailedLabel")->text(), locale.toString(today.failed));

        auto* chartView = child<QChartView>(&w, "syncChart");
        auto* series = qobject_cast<QBarSeries*>(chartView->chart()->series().value(0));
        QVERIFY(series);
        QCOMPARE(series->barSets().size(), 2);
        const QBarSet* synced = series->barSets().at(0);
        const QBarSet* failed = series->barSets().at(1);
        QCOMPARE(synced->count(), 24);
        const QList<qint64> edges = Core::AuditStats::hourEdges(now, 24);
        const Core::SyncTally day = countFromLog(s.session->audit(), *s.reader, edges.first(), edges.last());
        qreal syncedSum = 0;
        qreal failedSum = 0;
        for (int i = 0; i < synced->count(); ++i) {
            syncedSum += synced->at(i);
            failedSum += failed->at(i);
        }
        QCOMPARE(qint64(syncedSum), day.synced());
        QCOMPARE(qint64(failedSum), day.failed);
        // This run's records sit in the current hour's bar (or the two around a change of hour).
        QVERIFY(synced->at(23) + synced->at(22) >= 300);

        // The 14-day view adds up the same.
        child<QComboBox>(&w, "chartRangeCombo")->setCurrentIndex(1);
        QCOMPARE(synced->count(), 14);
        syncedSum = 0;
        for (int i = 0; i < synced->count(); ++i)
            syncedSum += synced->at(i);
        QCOMPARE(qint64(syncedSum), day.synced());

        // The credits bar shows the meter's count of this run's Zoho calls against the default budget.
        controller.refresh();
        auto* credits = child<QProgressBar>(&w, "creditsBar");
        QCOMPARE(credits->maximum(), 50250); // Standard edition, one licensed user
        QCOMPARE(qint64(credits->value()), controller.creditMeter()->usage().value().used);
        QVERIFY(credits->value() >= 2); // the listing pages at least
        QVERIFY(!child<QLabel>(&w, "lastSyncLabel")->text().contains(QStringLiteral("never")));
    }

    void cancelMidRunThenResumeLosesNothing()
    {
        constexpr int kContacts = 500;
        resetSimulator(kContacts, 60);
        SimTest::SimSession s;
        const QString opened = s.open(m_base);
        QVERIFY2(opened.isEmpty(), qPrintable(opened));
        QVERIFY(s.session->engine().start().ok());
        DashboardWidget w;
        DashboardController controller(s.session.get(), nullptr, s.reader.get(), &w);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto* bar = child<QProgressBar>(&w, "syncProgress");
        auto* pause = child<QPushButton>(&w, "pauseButton");
        QSignalSpy finished(&controller, &DashboardController::runFinished);

        QTest::mouseClick(child<QPushButton>(&w, "syncNowButton"), Qt::LeftButton);
        // Once the run's size is known, cancel while Oracle still works through it.
        QTRY_VERIFY_WITH_TIMEOUT(bar->maximum() > 0, 60000);
        QTest::mouseClick(child<QPushButton>(&w, "cancelButton"), Qt::LeftButton);
        QCOMPARE(finished.count(), 1);
        QCOMPARE(finished.at(0).at(2).toBool(), true);
        QVERIFY(!bar->isVisible());
        QVERIFY(pause->isChecked());
        QCOMPARE(pause->text(), QStringLiteral("&Resume"));
        QVERIFY(s.session->engine().isPaused());
        QVERIFY(child<QLabel>(&w, "syncSummaryLabel")->text().contains(QStringLiteral("stay queued")));
        // The round in flight finishes; the rest waits, durably queued.
        QTRY_VERIFY_WITH_TIMEOUT(!s.session->engine().isBusy(), 60000);
        auto held = s.session->outbox().counts();
        QVERIFY(held.ok());
        QVERIFY2(held.value().pending > 0, "the run ended before the cancel");
        QCOMPARE(held.value().total(), kContacts);
        QVERIFY(SimTest::oracleReferences(m_control).size() < kContacts);

        QTest::mouseClick(pause, Qt::LeftButton); // Resume
        QVERIFY(!s.session->engine().isPaused());
        QCOMPARE(pause->text(), QStringLiteral("&Pause"));
        QTRY_VERIFY_WITH_TIMEOUT(s.session->outbox().counts().value().done == kContacts, 180000);
        const QHash<QString, int> inOracle = SimTest::oracleReferences(m_control);
        const QStringList ids = SimTest::zohoIds(m_control);
        QCOMPARE(ids.size(), kContacts);
        for (const QString& id : ids)
            QVERIFY2(inOracle.value(id) == 1,
                     qPrintable(QStringLiteral("%1 is in Oracle %2 times").arg(id).arg(inOracle.value(id))));
        QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(&w, "todayCreatedLabel")->text(), QLocale().toString(kContacts), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(child<QLabel>(&w, "queueLabel")->text().left(2), QStringLiteral("0 "), 20000);
    }

    void scheduleChangesAreWrittenToTheProfile()
    {
        resetSimulator(5, 0);
        SimTest::SimSession s;
        QVERIFY(s.open(m_base).isEmpty());
        DashboardWidget w;
        DashboardController controller(s.session.get(), nullptr, s.reader.get(), &w);
        auto* window = child<QLineEdit>(&w, "windowEdit");
        window->setText(QStringLiteral("Sat-Sun 10:00-12:00"));
        emit window->editingFinished();
        child<QSpinBox>(&w, "intervalSpin")->setValue(90);
        QCOMPARE(s.session->profile().value(QStringLiteral("schedule.interval_min")), QStringLiteral("90"));
        QCOMPARE(s.session->profile().value(QStringLiteral("schedule.window")), QStringLiteral("Sat-Sun 10:00-12:00"));
        QVERIFY(controller.scheduler()->schedule().isOn());
        QVERIFY(controller.scheduler()->nextRun().isValid());
        QVERIFY(controller.scheduler()->schedule().window.contains(controller.scheduler()->nextRun(),
                                                                   QTimeZone::systemTimeZone()));
        QVERIFY(child<QLabel>(&w, "nextSyncLabel")->text() != QStringLiteral("not scheduled"));
        // A new controller on the same profile (a restart) starts from the stored schedule.
        DashboardWidget again;
        DashboardController restarted(s.session.get(), nullptr, s.reader.get(), &again);
        QCOMPARE(child<QSpinBox>(&again, "intervalSpin")->value(), 90);
        QCOMPARE(child<QLineEdit>(&again, "windowEdit")->text(), QStringLiteral("Sat-Sun 10:00-12:00"));
    }

private:
    void resetSimulator(int contacts, int oracleLatencyMs)
    {
        const auto reset = m_control.reset(QJsonObject{{QStringLiteral("seed"), 9},
                                                       {QStringLiteral("demo"), false},
                                                       {QStringLiteral("contacts"), contacts},
                                                       {QStringLiteral("accounts"), 0}});
        QVERIFY2(reset.status == 200, qPrintable(reset.describe()));
        QCOMPARE(m_control.control("DELETE", QStringLiteral("/_sim/faults")).status, 200);
        if (oracleLatencyMs > 0)
            QCOMPARE(m_control
                         .control("POST", QStringLiteral("/_sim/faults"),
                                  QJsonObject{{QStringLiteral("latency_ms"), oracleLatencyMs},
                                              {QStringLiteral("scope"), QStringLiteral("oracle")}})
                         .status,
                     200);
    }

    Core::SimulatorLauncher m_simulator;
    QUrl m_base;
    SimTest::Client m_control;
};

QTEST_MAIN(tst_Dashboard)
#include "tst_Dashboard.moc"
