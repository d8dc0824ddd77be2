#include "tray/QtTrayBackend.h"
#include "tray/TrayController.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QSignalSpy>
#include <QTest>
#include <QWidget>

#include <chrono>

using namespace std::chrono_literals;
using Gui::TrayController;
using Gui::TrayState;

namespace {

// Records what the controller asked of the tray; availability is set by the test.
class FakeTrayBackend final : public Gui::TrayBackend
{
public:
    struct Message
    {
        QString title;
        QString text;
        Gui::TraySeverity severity;
    };

    bool available = true;
    int availabilityChecks = 0;
    bool visible = false;
    TrayState icon = TrayState::Ok;
    int iconChanges = 0;
    QString toolTip;
    QMenu* menu = nullptr;
    int menuSets = 0;
    QList<Message> messages;

    bool isAvailable() const override
    {
        ++const_cast<FakeTrayBackend*>(this)->availabilityChecks;
        return available;
    }
    void show() override { visible = true; }
    void hide() override { visible = false; }
    void setIcon(TrayState state) override
    {
        icon = state;
        ++iconChanges;
    }
    void setToolTip(const QString& text) override { toolTip = text; }
    void setMenu(QMenu* m) override
    {
        menu = m;
        ++menuSets;
    }
    void showMessage(const QString& title, const QString& text, Gui::TraySeverity severity) override
    {
        messages.append({title, text, severity});
    }
    void click() { emit activated(); }
};

} // namespace

class tst_Tray : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        // Start each test from the opposite of what it expects, so a missing call shows up.
        QApplication::setQuitOnLastWindowClosed(true);
    }

    void withTrayKeepsRunningWhenWindowCloses()
    {
        auto* backend = new FakeTrayBackend;
        TrayController tray(backend);
        QApplication::setQuitOnLastWindowClosed(true);
        tray.start(false);
        QVERIFY(tray.trayAvailable());
        QVERIFY(!QApplication::quitOnLastWindowClosed());
        QVERIFY(backend->visible);
        QCOMPARE(backend->menu, tray.menu());
        QCOMPARE(backend->icon, TrayState::Ok);
        QVERIFY(backend->toolTip.contains(QStringLiteral("in sync")));
    }

    void stateChangesIconAndToolTip()
    {
        auto* backend = new FakeTrayBackend;
        TrayController tray(backend);
        tray.start(false);
        const struct
        {
            TrayState state;
            const char* words;
        } cases[] = {{TrayState::Syncing, "syncing"},
                     {TrayState::Attention, "needs attention"},
                     {TrayState::Paused, "paused"},
                     {TrayState::Ok, "in sync"}};
        for (const auto& c : cases) {
            tray.setState(c.state);
            QCOMPARE(backend->icon, c.state);
            QCOMPARE(tray.state(), c.state);
            QVERIFY2(backend->toolTip.contains(QLatin1String(c.words)), qPrintable(backend->toolTip));
        }
        // The menu is built once and never replaced.
        QCOMPARE(backend->menuSets, 1);
    }

    void iconPathsPointAtBundledSvgs()
    {
        for (const auto state : {TrayState::Ok, TrayState::Syncing, TrayState::Attention, TrayState::Paused}) {
            const QString path = Gui::QtTrayBackend::iconPath(state);
            QVERIFY2(QFile::exists(path), qPrintable(path));
            const QIcon icon = Gui::QtTrayBackend::pixmapIcon(path);
            QVERIFY2(!icon.availableSizes().isEmpty(), qPrintable(path));
        }
        QVERIFY(Gui::QtTrayBackend::iconPath(TrayState::Ok) != Gui::QtTrayBackend::iconPath(TrayState::Attention));
    }

    void menuActionsEmitSignals()
    {
        auto* backend = new FakeTrayBackend;
        TrayController tray(backend);
        QWidget window;
        tray.setWindow(&window);
        tray.start(true);
        QSignalSpy open(&tray, &TrayController::openRequested);
        QSignalSpy sync(&tray, &TrayController::syncNowRequested);
        QSignalSpy pause(&tray, &TrayController::pauseToggled);
        QSignalSpy quit(&tray, &TrayController::quitRequested);

        QCOMPARE(tray.menu()->actions().count(), 5); // Open, Sync now, Pause, separator, Quit
        QAction* pauseAction = tray.pauseAction();
        const QString pauseText = pauseAction->text();
        QVERIFY(pauseText.contains(QStringLiteral("Pause")));

        tray.openAction()->trigger();
        QCOMPARE(open.count(), 1);
        QVERIFY(window.isVisible());
        tray.syncNowAction()->trigger();
        QCOMPARE(sync.count(), 1);
        pauseAction->trigger();
        QCOMPARE(pause.count(), 1);
        QCOMPARE(pause.at(0).at(0).toBool(), true);
        QVERIFY(tray.isPaused());
        QVERIFY(pauseAction->text().contains(QStringLiteral("Resume")));
        // Updated in place: still the same action in the same menu.
        QCOMPARE(tray.menu()->actions().at(2), pauseAction);
        pauseAction->trigger();
        QCOMPARE(pause.count(), 2);
        QCOMPARE(pause.at(1).at(0).toBool(), false);
        QCOMPARE(pauseAction->text(), pauseText);

        // A pause from elsewhere updates the menu without echoing the signal.
        tray.setPaused(true);
        QVERIFY(pauseAction->text().contains(QStringLiteral("Resume")));
        QCOMPARE(pause.count(), 2);

        tray.quitAction()->trigger();
        QCOMPARE(quit.count(), 1);
        window.hide();
        backend->click();
        QCOMPARE(open.count(), 2);
        QVERIFY(window.isVisible());
    }

    void startMinimizedWithTrayKeepsWindowHidden()
    {
        auto* backend = new FakeTrayBackend;
        TrayController tray(backend);
        QWidget window;
        tray.setWindow(&window);
        tray.start(true);
        QVERIFY(!window.isVisible());
    }

    void startNormallyWithTrayShowsWindow()
    {
        auto* backend = new FakeTrayBackend;
        TrayController tray(backend);
        QWidget window;
        tray.setWindow(&window);
        tray.start(false);
        QVERIFY(window.isVisible());
    }

    void burstOfFailuresGivesOneMessage()
    {
        auto* backend = new FakeTrayBackend;
        TrayController tray(backend);
        tray.setNotificationInterval(200ms);
        QSignalSpy notices(&tray, &TrayController::inWindowNotice);
        tray.start(false);
        for (int i = 0; i < 10; ++i) {
            tray.notifyFailure(QStringLiteral("record %1 failed").arg(i));
        }
        QCOMPARE(backend->messages.count(), 1);
        QVERIFY(backend->messages.at(0).text.contains(QStringLiteral("record 0")));
        // Other kinds have their own budget.
        tray.notifyReauthorisation(QStringLiteral("Zoho CRM"));
        tray.notifyChannelProblem(QStringLiteral("channel expired"));
        QCOMPARE(backend->messages.count(), 3);
        QVERIFY(backend->messages.at(1).text.contains(QStringLiteral("Zoho CRM")));
        QCOMPARE(backend->messages.at(1).severity, Gui::TraySeverity::Critical);
        // The nine suppressed failures become one summary at the end of the interval.
        QTRY_COMPARE(backend->messages.count(), 4);
        QVERIFY2(backend->messages.at(3).text.contains(QStringLiteral("9")), qPrintable(backend->messages.at(3).text));
        QCOMPARE(notices.count(), 0);
    }

    void trayAppearingDuringRetriesIsAdopted()
    {
        auto* backend = new FakeTrayBackend;
        backend->available = false;
        TrayController tray(backend);
        tray.setRetryPolicy(5, 20ms);
        QSignalSpy changed(&tray, &TrayController::trayAvailabilityChanged);
        tray.start(false);
        QVERIFY(!tray.trayAvailable());
        QVERIFY(QApplication::quitOnLastWindowClosed());
        QTRY_VERIFY(backend->availabilityChecks >= 3);
        backend->available = true;
        QTRY_VERIFY(tray.trayAvailable());
        QVERIFY(backend->visible);
        QVERIFY(!QApplication::quitOnLastWindowClosed());
        QCOMPARE(changed.count(), 1);
    }

    void retriesStopAfterTheConfiguredAttempts()
    {
        auto* backend = new FakeTrayBackend;
        backend->available = false;
        TrayController tray(backend);
        tray.setRetryPolicy(3, 10ms);
        tray.start(false);
        QTRY_COMPARE(backend->availabilityChecks, 4); // the start check plus three retries
        QTest::qWait(100);                            // nothing else may happen: no further checks
        QCOMPARE(backend->availabilityChecks, 4);
        QVERIFY(!tray.trayAvailable());
    }

    // The real backend under offscreen: no tray.
    void withoutTrayQuitsOnLastWindowClose()
    {
        auto* backend = new Gui::QtTrayBackend;
        QVERIFY(!backend->isAvailable());
        TrayController tray(backend);
        tray.setRetryPolicy(0, 10ms);
        QApplication::setQuitOnLastWindowClosed(false);
        tray.start(false);
        QVERIFY(!tray.trayAvailable());
        QVERIFY(QApplication::quitOnLastWindowClosed());
    }

    void withoutTrayStartMinimizedStillShowsWindow()
    {
        TrayController tray(new Gui::QtTrayBackend);
        tray.setRetryPolicy(0, 10ms);
        QWidget window;
        tray.setWindow(&window);
        tray.start(true);
        QVERIFY(window.isVisible());
    }

    void withoutTrayNotificationsGoToTheWindow()
    {
        TrayController tray(new Gui::QtTrayBackend);
        tray.setRetryPolicy(0, 10ms);
        tray.setNotificationInterval(10s);
        QSignalSpy notices(&tray, &TrayController::inWindowNotice);
        tray.start(false);
        tray.notifyFailure(QStringLiteral("ACME GmbH: Oracle rejected the address"));
        tray.notifyFailure(QStringLiteral("second"));
        tray.notifyReauthorisation(QStringLiteral("Oracle Fusion"));
        QCOMPARE(notices.count(), 2);
        QVERIFY(notices.at(0).at(0).toString().contains(QStringLiteral("ACME GmbH")));
        QVERIFY(notices.at(1).at(0).toString().contains(QStringLiteral("Oracle Fusion")));
    }
};

QTEST_MAIN(tst_Tray)
#include "tst_Tray.moc"
