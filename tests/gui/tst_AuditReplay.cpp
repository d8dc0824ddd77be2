// The audit browser on a real sync session against the simulator: filter down to a failed record,
// fix it in Zoho, see a dry run of its replay, then replay it for real and see it succeed.
#include "audit/AuditBrowserWidget.h"
#include "audit/AuditReplay.h"
#include "audit/AuditTableModel.h"

#include "ScriptedDialogs.h"
#include "SimSession.h"
#include "demo/SimulatorLauncher.h"
#include "sync/FullSync.h"
#include "sync/SyncEngine.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTest>

using SimTest::problem;

namespace {
constexpr int kSyncWaitMs = 60000;

// Lets the engine work off its queue, then waits until it has nothing left in hand.
bool drain(Core::SyncSession& session)
{
    session.engine().wake();
    return QTest::qWaitFor(
        [&session] {
            const auto counts = session.outbox().counts();
            return !session.engine().isBusy() && counts && counts.value().pending + counts.value().running == 0;
        },
        kSyncWaitMs);
}
} // namespace

class tst_AuditReplay : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString why;
        m_base = SimTest::startSimulator(m_simulator, {QStringLiteral("--seed"), QStringLiteral("7")}, &why);
        QVERIFY2(m_base.isValid(), qPrintable(why));
        m_control.setBase(m_base);
    }

    void filterDryRunThenReplayAFixedRecord()
    {
        // A contact whose name is too long for Oracle fails, with the reason in the audit trail.
        const auto created =
            m_control.control("POST", QStringLiteral("/_sim/zoho/Contacts"),
                              QJsonObject{{QStringLiteral("First_Name"), QStringLiteral("Very")},
                                          {QStringLiteral("Last_Name"), QString(380, QLatin1Char('x'))},
                                          {QStringLiteral("Email"), QStringLiteral("very@example.com")}});
        QVERIFY2(created.status == 200 || created.status == 201, qPrintable(created.describe()));
        const QString badId = SimTest::findKey(created.json(), QStringLiteral("id")).toString();
        QVERIFY(!badId.isEmpty());

        SimTest::SimSession s;
        const QString opened = s.open(m_base);
        QVERIFY2(opened.isEmpty(), qPrintable(opened));
        Core::SyncSession& session = *s.session;
        QVERIFY(session.engine().start().ok());
        bool listed = false;
        connect(&session.fullSync(), &Core::FullSync::finished, this, [&listed] { listed = true; });
        session.fullSync().start(true);
        QTRY_VERIFY_WITH_TIMEOUT(listed, kSyncWaitMs);
        QVERIFY(drain(session));
        QCOMPARE(SimTest::oracleReferences(m_control).value(badId), 0);

        Gui::AuditBrowserWidget browser(session.audit(), *s.reader);
        auto dialogs = std::make_shared<ScriptedDialogs>();
        browser.setDialogs(dialogs);
        auto* replay = new Gui::AuditReplay(&browser, &session, &s.network, &s.secrets);
        browser.resize(1100, 700);
        browser.show();
        QVERIFY(QTest::qWaitForWindowExposed(&browser));

        // Filter: failed events of this record only.
        auto* status = browser.findChild<QComboBox*>(QStringLiteral("statusFilter"));
        status->setCurrentIndex(status->findText(QStringLiteral("Failed")));
        QTest::keyClicks(browser.findChild<QLineEdit*>(QStringLiteral("zohoIdFilter")), badId);
        browser.applyFilter();
        QTRY_VERIFY(browser.model()->rowCount() >= 1);
        for (int row = 0; row < browser.model()->rowCount(); ++row) {
            QCOMPARE(browser.model()->eventAt(row).zohoId, badId);
            QVERIFY(browser.model()->eventAt(row).reason.contains(QStringLiteral("Oracle allows at most 360")));
        }

        // Fixed in Zoho; the dry run shows the create it would make and writes nothing.
        const auto fixed = m_control.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + badId,
                                             QJsonObject{{QStringLiteral("Last_Name"), QStringLiteral("Fixed")}});
        QVERIFY2(fixed.status == 200, qPrintable(fixed.describe()));
        browser.table()->selectRow(0);
        QCOMPARE(browser.selectedZohoIds(), QStringList{badId});
        QTest::mouseClick(browser.findChild<QCheckBox*>(QStringLiteral("dryRunCheck")), Qt::LeftButton);
        QSignalSpy previewed(replay, &Gui::AuditReplay::previewReady);
        QSignalSpy queued(replay, &Gui::AuditReplay::replayQueued);
        dialogs->answers = {false}; // first: look only
        QTest::mouseClick(browser.findChild<QPushButton*>(QStringLiteral("replaySelectedButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(previewed.count(), 1, kSyncWaitMs);
        const QString summary = previewed.at(0).at(0).toString();
        QVERIFY2(summary.contains(QStringLiteral("would create 1")), qPrintable(summary));
        QVERIFY2(summary.contains(badId), qPrintable(summary));
        QTRY_COMPARE(dialogs->questions.size(), 1);
        QCOMPARE(dialogs->questions.first().acceptText, QStringLiteral("Replay for real"));
        QCoreApplication::processEvents();
        QCOMPARE(queued.count(), 0);
        QCOMPARE(SimTest::oracleReferences(m_control).value(badId), 0);
        auto counts = session.outbox().counts();
        QVERIFY(counts && counts.value().failed + counts.value().dead >= 1); // the real queue is untouched

        // Again, and this time replay for real: the record reaches Oracle once, and the browser shows it.
        dialogs->answers = {true};
        QTest::mouseClick(browser.findChild<QPushButton*>(QStringLiteral("replaySelectedButton")), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(queued.count(), 1, kSyncWaitMs);
        QCOMPARE(queued.at(0).at(0).toInt(), 1);
        QVERIFY(drain(session));
        QTRY_COMPARE_WITH_TIMEOUT(SimTest::oracleReferences(m_control).value(badId), 1, kSyncWaitMs);
        status->setCurrentIndex(status->findText(QStringLiteral("OK")));
        browser.applyFilter();
        QTRY_VERIFY(browser.model()->rowCount() >= 1);
        QCOMPARE(browser.model()->eventAt(0).zohoId, badId);
        QCOMPARE(browser.model()->eventAt(0).action, QStringLiteral("create"));
    }

private:
    Core::SimulatorLauncher m_simulator;
    SimTest::Client m_control;
    QUrl m_base;
};

QTEST_MAIN(tst_AuditReplay)
#include "tst_AuditReplay.moc"
