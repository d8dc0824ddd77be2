#pragma once

#include "CommandLine.h"
#include "net/ConnectionStatus.h"

#include <QObject>

#include <memory>

class QNetworkAccessManager;
class QTemporaryDir;
class QTimer;

namespace Core {
class ConnectionTester;
class Connections;
class CredentialStore;
class ReadConnection;
class SimulatorLauncher;
class SyncService;
class SyncSession;
} // namespace Core

namespace Gui {
class MainWindow;
class TrayController;
} // namespace Gui

// The composition root: builds every service, wires them together and owns their lifetimes.
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
    void startDemo();
    void onSimulatorReady(const QUrl& baseUrl);
    void testConnections();
    void onStatus(Core::Service service, const Core::ConnectionStatus& status);
    void finishSelfCheck(bool timedOut);
    void openSession(const QUrl& simulatorBaseUrl);
    void syncNow();
    void showCounts();

    CommandLine m_commandLine;
    QNetworkAccessManager* m_network;
    Core::CredentialStore* m_secrets = nullptr;
    Core::Connections* m_connections = nullptr;
    Core::ConnectionTester* m_tester = nullptr;
    std::unique_ptr<Gui::MainWindow> m_window;
    Gui::TrayController* m_tray = nullptr;
    std::unique_ptr<QTemporaryDir> m_demoProfileDir;
    Core::SimulatorLauncher* m_simulator = nullptr;
    Core::ConnectionStatus m_zohoStatus;
    Core::ConnectionStatus m_oracleStatus;
    bool m_selfCheckDone = false;
    std::unique_ptr<Core::SyncSession> m_session;
    std::unique_ptr<Core::ReadConnection> m_reader;
    bool m_syncing = false;
    Core::SyncService* m_service = nullptr;
    QTimer* m_statusTimer = nullptr;
    int m_reportedFailures = 0;
};
