#include "Application.h"

#include "Logging.h"
#include "MainWindow.h"
#include "demo/DemoProfile.h"
#include "demo/SimulatorLauncher.h"
#include "net/ConnectionTester.h"
#include "net/Connections.h"
#include "secrets/MemoryCredentialStore.h"
#include "zoho/ZohoClient.h"

#include <QCoreApplication>
#include <QDir>
#include <QNetworkAccessManager>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

#include <cstdio>

using Core::ConnectionStatus;
using Core::Service;

Application::Application(CommandLine commandLine, QObject* parent)
    : QObject(parent)
    , m_commandLine(std::move(commandLine))
    , m_network(new QNetworkAccessManager(this))
{ }

Application::~Application() = default;

int Application::start()
{
    if (!m_commandLine.selfCheck) {
        m_window = std::make_unique<Gui::MainWindow>();
        connect(m_window.get(), &Gui::MainWindow::testConnectionsRequested, this, &Application::testConnections);
        m_window->show();
    }
    if (m_commandLine.demo) {
        startDemo();
        return 0;
    }
    m_window->setModeText(tr("Not configured yet: start with --demo to try the bundled simulator"));
    const ConnectionStatus notConfigured{ConnectionStatus::State::Unknown, tr("Not configured"), {}};
    m_window->setConnectionStatus(Service::Zoho, notConfigured);
    m_window->setConnectionStatus(Service::Oracle, notConfigured);
    return 0;
}

void Application::startDemo()
{
    // Demo mode must never touch a real profile: everything lives in a directory removed at exit.
    m_demoProfileDir =
        std::make_unique<QTemporaryDir>(QDir::temp().filePath(QStringLiteral("ml-connector-demo-XXXXXX")));
    if (!m_demoProfileDir->isValid())
        qCWarning(lcDemo) << "could not create a demo profile directory:" << m_demoProfileDir->errorString();

    m_simulator = new Core::SimulatorLauncher(this);
    if (!m_commandLine.simulatorPath.isEmpty())
        m_simulator->setExecutable(m_commandLine.simulatorPath);
    m_simulator->setArguments({QStringLiteral("--demo"), QStringLiteral("--seed"), QStringLiteral("1")});
    connect(m_simulator, &Core::SimulatorLauncher::ready, this, &Application::onSimulatorReady);
    connect(m_simulator, &Core::SimulatorLauncher::failed, this, [this](const Core::Error& error) {
        const ConnectionStatus failed{ConnectionStatus::State::Failed, tr("Simulator not running"), error.message};
        onStatus(Service::Zoho, failed);
        onStatus(Service::Oracle, failed);
    });
    connect(m_simulator, &Core::SimulatorLauncher::exited, this, [this](int code) {
        const ConnectionStatus gone{ConnectionStatus::State::Failed, tr("Simulator stopped"),
                                    tr("The bundled simulator exited with code %1").arg(code)};
        onStatus(Service::Zoho, gone);
        onStatus(Service::Oracle, gone);
    });
    if (m_window) {
        m_window->setModeText(tr("Demo mode: starting the bundled simulator…"));
        const ConnectionStatus starting{ConnectionStatus::State::Checking, tr("Starting simulator…"), {}};
        m_window->setConnectionStatus(Service::Zoho, starting);
        m_window->setConnectionStatus(Service::Oracle, starting);
    }
    if (m_commandLine.selfCheck)
        QTimer::singleShot(m_commandLine.selfCheckTimeoutS * 1000, this, [this] { finishSelfCheck(true); });
    m_simulator->start();
}

void Application::onSimulatorReady(const QUrl& baseUrl)
{
    const auto demo = Core::DemoProfile::forSimulator(baseUrl);
    // Demo secrets stay in memory: demo mode never touches the user's keychain.
    m_secrets = new Core::MemoryCredentialStore(this);
    auto pendingWrites = std::make_shared<int>(int(demo.secrets.size()));
    for (const auto& secret : demo.secrets) {
        m_secrets->write(secret.first, secret.second, this, [this, pendingWrites](Core::Result<Core::Ok> written) {
            if (!written)
                qCWarning(lcDemo).noquote() << written.error().message;
            if (--*pendingWrites == 0)
                testConnections();
        });
    }
    m_connections = new Core::Connections(m_network, m_secrets, demo.zoho, demo.oracle, {}, nullptr, this);
    m_tester = new Core::ConnectionTester(m_connections, this);
    connect(m_tester, &Core::ConnectionTester::statusChanged, this, &Application::onStatus);
    if (m_window) {
        m_window->setModeText(
            tr("Demo mode: simulator at %1, profile in %2")
                .arg(baseUrl.toDisplayString(), m_demoProfileDir ? m_demoProfileDir->path() : QString()));
        m_window->setZohoEndpoint(m_connections->zoho()->apiDomain().toDisplayString() + QStringLiteral("/crm/v8"));
        m_window->setOracleEndpoint(m_connections->oraclePod().toDisplayString() +
                                    QStringLiteral("/crmRestApi/resources/11.13.18.05"));
    }
}

void Application::testConnections()
{
    if (!m_tester)
        return;
    m_tester->testZoho();
    m_tester->testOracle();
}

void Application::onStatus(Service service, const ConnectionStatus& status)
{
    (service == Service::Zoho ? m_zohoStatus : m_oracleStatus) = status;
    if (m_window)
        m_window->setConnectionStatus(service, status);
    if (!m_commandLine.selfCheck)
        return;
    const auto settled = [](const ConnectionStatus& s) {
        return s.state == ConnectionStatus::State::Connected || s.state == ConnectionStatus::State::Failed;
    };
    if (settled(m_zohoStatus) && settled(m_oracleStatus))
        finishSelfCheck(false);
}

void Application::finishSelfCheck(bool timedOut)
{
    if (m_selfCheckDone)
        return;
    m_selfCheckDone = true;
    QTextStream out(stdout);
    const auto line = [&out](const char* side, const ConnectionStatus& s) {
        out << side << ": " << (s.state == ConnectionStatus::State::Connected ? "connected" : "NOT connected") << " - "
            << s.summary << (s.detail.isEmpty() ? QString() : QStringLiteral(" (") + s.detail + QLatin1Char(')'))
            << '\n';
    };
    line("zoho", m_zohoStatus);
    line("oracle", m_oracleStatus);
    const bool ok = !timedOut && m_zohoStatus.state == ConnectionStatus::State::Connected &&
                    m_oracleStatus.state == ConnectionStatus::State::Connected;
    if (timedOut)
        out << "self-check timed out after " << m_commandLine.selfCheckTimeoutS << " s\n";
    out << "self-check: " << (ok ? "ok" : "FAILED") << '\n';
    out.flush();
    QCoreApplication::exit(ok ? 0 : 1);
}
