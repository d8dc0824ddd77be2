#pragma once

#include "CommandLine.h"
#include "config/Profile.h"
#include "net/ConnectionStatus.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <optional>

class QNetworkAccessManager;
class QTemporaryDir;
class QTimer;

namespace Core {
class ConnectionTester;
class CredentialStore;
class ReadConnection;
class SimulatorLauncher;
class SyncService;
class SyncSession;
} // namespace Core

namespace Gui {
class ConnectionsPage;
class DashboardController;
class Dialogs;
class MainWindow;
class SetupWizard;
class TrayController;
} // namespace Gui

// The composition root: builds every service, wires them together and owns their lifetimes.
//
// A profile goes through: open it, pick the credential store (the keychain, or memory when there is
// none), set it up with the wizard when it is not configured, then open its sync session. Applying new
// connection settings closes the session and opens it again.
class Application final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Application)

public:
    explicit Application(CommandLine commandLine, QObject* parent = nullptr);
    ~Application() override;

    // Starts the app; the returned code is non-zero when it cannot start at all.
    int start();
    void raiseWindow();

private:
    void buildWindow();
    void startDemo();
    void onSimulatorReady(const QUrl& baseUrl);
    void openUserProfile();
    void chooseCredentialStore();
    void profileReady();
    bool isConfigured() const;
    void showSetupWizard();
    void openSession(bool firstSync);
    void closeSession();
    void addSessionPages();
    void reconnect();
    void testConnections();
    void onStatus(Core::Service service, const Core::ConnectionStatus& status);
    void finishSelfCheck(bool timedOut);
    void syncNow();
    void updateTray();
    void showProblem(const QString& text);
    void confirmQuit();

    CommandLine m_commandLine;
    QNetworkAccessManager* m_network;
    std::shared_ptr<Gui::Dialogs> m_dialogs;
    std::optional<Core::Profile> m_profile;
    Core::CredentialStore* m_secrets = nullptr;
    QString m_keychainProblem; // why secrets live in memory only, when they do
    std::unique_ptr<Gui::MainWindow> m_window;
    Gui::TrayController* m_tray = nullptr;
    Gui::ConnectionsPage* m_connectionsPage = nullptr;
    QPointer<Gui::SetupWizard> m_wizard;
    std::unique_ptr<QTemporaryDir> m_demoProfileDir;
    Core::SimulatorLauncher* m_simulator = nullptr;
    Core::ConnectionStatus m_zohoStatus;
    Core::ConnectionStatus m_oracleStatus;
    bool m_selfCheckDone = false;

    // Everything below belongs to the open session and goes with it.
    std::unique_ptr<Core::SyncSession> m_session;
    std::unique_ptr<Core::ReadConnection> m_reader;
    Core::ConnectionTester* m_tester = nullptr;
    Core::SyncService* m_service = nullptr;
    Gui::DashboardController* m_dashboard = nullptr;
    QTimer* m_healthTimer = nullptr;
    QList<QPointer<QWidget>> m_sessionPages;
    int m_reportedFailures = 0;
};
