#include "MainWindow.h"
#include "dashboard/ConnectionCard.h"
#include "demo/DemoProfile.h"
#include "demo/SimulatorLauncher.h"
#include "net/ConnectionTester.h"
#include "net/Connections.h"
#include "secrets/MemoryCredentialStore.h"

#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using Core::ConnectionStatus;

// The real window, wired to the real connection test, against the real simulator over loopback.
class tst_MainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QApplication::setQuitOnLastWindowClosed(false);
        QSignalSpy ready(&m_simulator, &Core::SimulatorLauncher::ready);
        m_simulator.setArguments({QStringLiteral("--demo")});
        m_simulator.start();
        QVERIFY(ready.wait(20000));
    }

    void showsBothConnectionsConnectedInDemoMode()
    {
        Fixture f(m_simulator.baseUrl());
        f.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&f.window));

        f.tester.testZoho();
        f.tester.testOracle();
        QCOMPARE(f.window.zohoCard()->state(), ConnectionStatus::State::Checking);
        QTRY_COMPARE_WITH_TIMEOUT(f.window.zohoCard()->state(), ConnectionStatus::State::Connected, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(f.window.oracleCard()->state(), ConnectionStatus::State::Connected, 20000);
        QCOMPARE(f.window.zohoCard()->statusText(), QStringLiteral("Connected"));
        const auto* detail = f.window.oracleCard()->findChild<QLabel*>(QStringLiteral("detailLabel"));
        QVERIFY(detail && detail->text().contains(QString::number(m_simulator.baseUrl().port())));
    }

    void explainsRejectedCredentialsOnEachSide()
    {
        Fixture f(m_simulator.baseUrl(), {{QStringLiteral("zoho/client_secret"), QStringLiteral("wrong-secret")},
                                          {QStringLiteral("oracle/password"), QStringLiteral("wrong-password")}});
        f.window.show();
        f.tester.testZoho();
        f.tester.testOracle();
        QTRY_COMPARE_WITH_TIMEOUT(f.window.zohoCard()->state(), ConnectionStatus::State::Failed, 20000);
        QTRY_COMPARE_WITH_TIMEOUT(f.window.oracleCard()->state(), ConnectionStatus::State::Failed, 20000);
        const QString zohoDetail = f.window.zohoCard()->findChild<QLabel*>(QStringLiteral("detailLabel"))->text();
        QVERIFY2(zohoDetail.contains(QStringLiteral("rejected the client id")), qPrintable(zohoDetail));
        QVERIFY2(!zohoDetail.contains(QStringLiteral("wrong-secret")), "a secret reached the window");
        const QString oracleDetail = f.window.oracleCard()->findChild<QLabel*>(QStringLiteral("detailLabel"))->text();
        QVERIFY2(oracleDetail.contains(QStringLiteral("Oracle credentials rejected (401)")), qPrintable(oracleDetail));
        QVERIFY(!oracleDetail.contains(QStringLiteral("wrong-password")));
    }

    void explainsAnUnreachablePod()
    {
        auto profile = Core::DemoProfile::forSimulator(m_simulator.baseUrl());
        profile.oracle.podUrl = QStringLiteral("http://127.0.0.1:1");
        Fixture f(profile);
        f.tester.testOracle();
        QTRY_COMPARE_WITH_TIMEOUT(f.window.oracleCard()->state(), ConnectionStatus::State::Failed, 60000);
        const QString detail = f.window.oracleCard()->findChild<QLabel*>(QStringLiteral("detailLabel"))->text();
        QVERIFY2(detail.contains(QStringLiteral("Oracle pod URL does not answer")), qPrintable(detail));
    }

    void testConnectionsActionAsksForACheck()
    {
        Gui::MainWindow window;
        QSignalSpy requested(&window, &Gui::MainWindow::testConnectionsRequested);
        auto* action = window.findChild<QAction*>(QStringLiteral("actionTestConnections"));
        QVERIFY(action);
        action->trigger();
        QCOMPARE(requested.count(), 1);
    }

    void syncNowIsOfferedOnlyOnceASessionExists()
    {
        Gui::MainWindow window;
        auto* action = window.findChild<QAction*>(QStringLiteral("actionSyncNow"));
        QVERIFY(action);
        QVERIFY(!action->isEnabled());
        QSignalSpy requested(&window, &Gui::MainWindow::syncNowRequested);
        window.setSyncEnabled(true);
        QVERIFY(action->isEnabled());
        action->trigger();
        QCOMPARE(requested.count(), 1);
        window.setSyncSummary(QStringLiteral("Since start: 3 created"));
        QCOMPARE(window.findChild<QLabel*>(QStringLiteral("syncSummaryLabel"))->text(),
                 QStringLiteral("Since start: 3 created"));
    }

    void pagesSitBesideTheDashboard()
    {
        Gui::MainWindow window;
        QCOMPARE(window.pages()->count(), 1);
        window.addPage(new QWidget, QStringLiteral("&Audit"), QStringLiteral("auditPage"));
        QCOMPARE(window.pages()->count(), 2);
        QVERIFY(window.findChild<QWidget*>(QStringLiteral("auditPage")));
        QCOMPARE(window.pages()->tabText(1), QStringLiteral("&Audit"));
    }

    void remembersGeometryAndTheLastPage()
    {
        QTemporaryDir dir;
        QSettings settings(dir.filePath(QStringLiteral("layout.ini")), QSettings::IniFormat);
        {
            Gui::MainWindow window;
            window.addPage(new QWidget, QStringLiteral("&Audit"), QStringLiteral("auditPage"));
            window.resize(777, 555);
            window.pages()->setCurrentIndex(1);
            window.saveLayout(settings);
        }
        Gui::MainWindow restored;
        restored.restoreLayout(settings);
        QCOMPARE(restored.size(), QSize(777, 555));
        QCOMPARE(restored.pages()->currentIndex(), 0); // the page does not exist yet
        restored.addPage(new QWidget, QStringLiteral("&Mapping"), QStringLiteral("mappingPage"));
        QCOMPARE(restored.pages()->currentIndex(), 0);
        restored.addPage(new QWidget, QStringLiteral("&Audit"), QStringLiteral("auditPage"));
        QCOMPARE(restored.pages()->currentWidget()->objectName(), QStringLiteral("auditPage"));
    }

private:
    struct Fixture
    {
        explicit Fixture(const Core::DemoProfile& profile, const QList<QPair<QString, QString>>& overrides = {})
            : connections(&network, &secrets, profile.zoho, profile.oracle)
            , tester(&connections)
        {
            for (const auto& secret : profile.secrets + overrides)
                secrets.write(secret.first, secret.second, &window, [](Core::Result<Core::Ok>) {});
            QObject::connect(&tester, &Core::ConnectionTester::statusChanged, &window,
                             &Gui::MainWindow::setConnectionStatus);
        }
        Fixture(const QUrl& simulator, const QList<QPair<QString, QString>>& overrides = {})
            : Fixture(Core::DemoProfile::forSimulator(simulator), overrides)
        { }

        Gui::MainWindow window;
        QNetworkAccessManager network;
        Core::MemoryCredentialStore secrets;
        Core::Connections connections;
        Core::ConnectionTester tester;
    };

    Core::SimulatorLauncher m_simulator;
};

QTEST_MAIN(tst_MainWindow)
#include "tst_MainWindow.moc"
