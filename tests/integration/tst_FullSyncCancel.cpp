#include "SimSession.h"
#include "net/Connections.h"
#include "storage/CursorStore.h"
#include "sync/FullSync.h"
#include "sync/SyncEngine.h"
#include "zoho/ZohoClient.h"
#include "zoho/ZohoCreditMeter.h"

#include <QSignalSpy>
#include <QTest>

using SimTest::problem;

namespace {
qint64 simCreditsUsed(SimTest::Client& control)
{
    return SimTest::findKey(control.get(QStringLiteral("/_sim/stats")).json(), QStringLiteral("credits_used"))
        .toInteger(-1);
}
} // namespace

// A sync run against the simulator: progress, cancel in the middle of listing, resume, and the
// Zoho credit meter against the simulator's own count.
class tst_FullSyncCancel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString why;
        m_base = SimTest::startSimulator(m_simulator, {QStringLiteral("--seed"), QStringLiteral("5")}, &why);
        QVERIFY2(m_base.isValid(), qPrintable(why));
        m_control.setBase(m_base);
    }

    void cancelMidRunThenResumeSyncsEveryRecordOnce()
    {
        constexpr int kContacts = 500;
        const auto reset = m_control.reset(QJsonObject{{QStringLiteral("seed"), 5},
                                                       {QStringLiteral("demo"), false},
                                                       {QStringLiteral("contacts"), kContacts},
                                                       {QStringLiteral("accounts"), 0}});
        QVERIFY2(reset.status == 200, qPrintable(reset.describe()));
        // Oracle slow enough that the run is still going when it is cancelled.
        QCOMPARE(m_control
                     .control("POST", QStringLiteral("/_sim/faults"),
                              QJsonObject{{QStringLiteral("latency_ms"), 40},
                                          {QStringLiteral("scope"), QStringLiteral("oracle")}})
                     .status,
                 200);
        SimTest::SimSession s;
        const QString opened = s.open(m_base);
        QVERIFY2(opened.isEmpty(), qPrintable(opened));
        Core::SyncSession& session = *s.session;
        Core::ZohoCreditMeter meter(session.database());
        meter.attach(session.connections().zohoApi());
        QVERIFY(session.engine().start().ok());

        Core::FullSync& run = session.fullSync();
        QSignalSpy finished(&run, &Core::FullSync::runFinished);
        QSignalSpy progress(&run, &Core::FullSync::progress);
        // Cancel as soon as the first page is queued, from the event loop as a click would.
        connect(
            &run, &Core::FullSync::queued, this, [&run] { QTimer::singleShot(0, &run, [&run] { run.cancel(); }); },
            Qt::SingleShotConnection);
        run.start(false);
        QVERIFY(run.isRunning());
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(finished.at(0).at(2).toBool(), true); // cancelled
        QVERIFY(!run.isRunning());
        QVERIFY(session.engine().isPaused());
        // The listing stopped before its end: the cursor did not move.
        auto cursor = session.cursors().get(Core::FullSync::cursorName(QStringLiteral("Contacts")));
        QVERIFY(cursor.ok());
        QVERIFY(!cursor.value().has_value());
        // The round in flight finishes; what was queued stays queued.
        QTRY_VERIFY_WITH_TIMEOUT(!session.engine().isBusy(), 60000);
        auto counts = session.outbox().counts();
        QVERIFY(counts.ok());
        QCOMPARE(counts.value().running, 0);
        QCOMPARE(counts.value().total(), 200); // one page of 200 was queued
        QVERIFY2(counts.value().pending > 0, "the whole page was worked off before the cancel took effect");
        QCOMPARE(SimTest::oracleReferences(m_control).size(), int(counts.value().done));

        // Sync now (and resume): the next run lists everything again and works off the rest.
        session.engine().resume();
        run.start(false);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 180000);
        QCOMPARE(finished.at(1).at(2).toBool(), false);
        const int done = finished.at(1).at(0).toInt();
        const int total = finished.at(1).at(1).toInt();
        QCOMPARE(done, total);
        QVERIFY2(total >= kContacts - 200, qPrintable(QString::number(total)));
        // Determinate once listing ended, and counting up to the total.
        QCOMPARE(progress.last().at(0).toInt(), total);
        QCOMPARE(progress.last().at(1).toInt(), total);
        QVERIFY(session.cursors().get(Core::FullSync::cursorName(QStringLiteral("Contacts"))).value().has_value());

        counts = session.outbox().counts();
        QCOMPARE(counts.value().pending + counts.value().running + counts.value().failed + counts.value().dead, 0);
        const QHash<QString, int> inOracle = SimTest::oracleReferences(m_control);
        const QStringList ids = SimTest::zohoIds(m_control);
        QCOMPARE(ids.size(), kContacts);
        for (const QString& id : ids)
            QVERIFY2(inOracle.value(id) == 1,
                     qPrintable(QStringLiteral("%1 is in Oracle %2 times").arg(id).arg(inOracle.value(id))));

        // Every Zoho CRM call was counted, and only those (no token calls).
        QTRY_COMPARE_WITH_TIMEOUT(meter.usage().value().ourCalls, simCreditsUsed(m_control), 20000);
        QVERIFY(meter.usage().value().ourCalls >= 4); // at least the pages listed
        QCOMPARE(m_control.control("DELETE", QStringLiteral("/_sim/faults")).status, 200);
    }

    void creditMeterFollowsZohosRemainingFigure()
    {
        // Its own simulator, with a budget: X-API-CREDITS-REMAINING comes once half of it is used.
        Core::SimulatorLauncher limited;
        QString why;
        const QUrl base = SimTest::startSimulator(limited,
                                                  {QStringLiteral("--seed"), QStringLiteral("5"),
                                                   QStringLiteral("--zoho-daily-credits"), QStringLiteral("40")},
                                                  &why);
        QVERIFY2(base.isValid(), qPrintable(why));
        SimTest::Client control(base);
        SimTest::SimSession s;
        const QString opened = s.open(base);
        QVERIFY2(opened.isEmpty(), qPrintable(opened));
        Core::ZohoCreditMeter meter(s.session->database());
        meter.setBudget(40);
        meter.attach(s.session->connections().zohoApi());
        Core::ZohoClient* zoho = s.session->connections().zoho();

        const auto call = [&] {
            SimTest::Waiter<QList<QJsonObject>> page;
            zoho->firstPage(QStringLiteral("Contacts"), {QStringLiteral("Last_Name")}, 5, &control.nam(),
                            page.callback());
            return page.wait() && page->ok();
        };
        for (int i = 0; i < 5; ++i)
            QVERIFY(call());
        QCOMPARE(meter.usage().value().ourCalls, 5);
        QCOMPARE(meter.usage().value().used, 5);

        // Another app of the same org spends 20 credits the meter cannot see.
        QString tokenWhy;
        const QString token = control.zohoAccessToken(SimTest::kZohoRefreshToken, &tokenWhy);
        QVERIFY2(!token.isEmpty(), qPrintable(tokenWhy));
        for (int i = 0; i < 20; ++i) {
            const int status =
                control
                    .get(QStringLiteral("/crm/v8/Contacts"), {{"Authorization", SimTest::zohoAuth(token)}},
                         {{QStringLiteral("fields"), QStringLiteral("Last_Name")}})
                    .status;
            QVERIFY2(status == 200 || status == 204, qPrintable(QString::number(status)));
        }
        QCOMPARE(simCreditsUsed(control), 25);
        // Our next call carries Zoho's figure: the estimate follows it down.
        QVERIFY(call());
        QCOMPARE(meter.usage().value().ourCalls, 6);
        QCOMPARE(meter.usage().value().used, 26);
        QCOMPARE(*meter.usage().value().reportedRemaining, 14);
        QVERIFY(meter.flush().ok());

        // Stored: a new meter on the same profile (a restart) knows it.
        Core::ZohoCreditMeter restarted(s.session->database());
        restarted.setBudget(40);
        QCOMPARE(restarted.usage().value().used, 26);
        QCOMPARE(restarted.usage().value().ourCalls, 6);
    }

private:
    Core::SimulatorLauncher m_simulator;
    QUrl m_base;
    SimTest::Client m_control;
};

QTEST_GUILESS_MAIN(tst_FullSyncCancel)
#include "tst_FullSyncCancel.moc"
