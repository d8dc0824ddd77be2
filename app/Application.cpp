#include "Application.h"

#include "Logging.h"
#include "MainWindow.h"
#include "audit/AuditBrowserWidget.h"
#include "audit/AuditReplay.h"
#include "common/Dialogs.h"
#include "dashboard/DashboardController.h"
#include "demo/DemoProfile.h"
#include "demo/SimulatorLauncher.h"
#include "mapping/MappingEditorWidget.h"
#include "net/ConnectionTester.h"
#include "net/Connections.h"
#include "oracle/OracleClient.h"
#include "oracle/OracleEndpoint.h"
#include "secrets/KeychainCredentialStore.h"
#include "secrets/MemoryCredentialStore.h"
#include "settings/ConnectionsPage.h"
#include "setup/SetupWizard.h"
#include "storage/Database.h"
#include "sync/ChannelManager.h"
#include "sync/FullSync.h"
#include "sync/MappingFields.h"
#include "sync/SyncEngine.h"
#include "sync/SyncService.h"
#include "sync/SyncSession.h"
#include "tray/QtTrayBackend.h"
#include "tray/TrayController.h"
#include "zoho/ZohoClient.h"
#include "zoho/ZohoTokenManager.h"

#include <QCoreApplication>
#include <QDir>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

using Core::ConnectionStatus;
using Core::Service;

Q_LOGGING_CATEGORY(lcApp, "ml.app", QtInfoMsg)

namespace {
// A background connection test notices a revoked grant or an expired password between syncs.
constexpr int kHealthCheckMs = 15 * 60 * 1000;
} // namespace

Application::Application(CommandLine commandLine, QObject* parent)
    : QObject(parent)
    , m_commandLine(std::move(commandLine))
    , m_network(new QNetworkAccessManager(this))
    , m_dialogs(std::make_shared<Gui::QtDialogs>())
{ }

Application::~Application()
{
    delete m_wizard;
    closeSession();
    delete m_tray;
    m_window.reset();
}

int Application::start()
{
    if (!m_commandLine.selfCheck)
        buildWindow();
    if (m_commandLine.demo)
        startDemo();
    else
        openUserProfile();
    return 0;
}

void Application::buildWindow()
{
    m_window = std::make_unique<Gui::MainWindow>();
    connect(m_window.get(), &Gui::MainWindow::testConnectionsRequested, this, &Application::testConnections);
    connect(m_window.get(), &Gui::MainWindow::syncNowRequested, this, &Application::syncNow);
    // The tray decides whether the window shows (--minimized) and whether closing it quits.
    m_tray = new Gui::TrayController(new Gui::QtTrayBackend, this);
    m_tray->setWindow(m_window.get());
    connect(m_tray, &Gui::TrayController::syncNowRequested, this, &Application::syncNow);
    connect(m_tray, &Gui::TrayController::quitRequested, this, &Application::confirmQuit);
    connect(m_tray, &Gui::TrayController::pauseToggled, this, [this](bool paused) {
        if (m_dashboard)
            m_dashboard->setPaused(paused);
    });
    connect(m_tray, &Gui::TrayController::inWindowNotice, m_window.get(),
            [this](const QString& text) { m_window->statusBar()->showMessage(text, 15000); });
    // Demo mode keeps the user's layout untouched.
    if (!m_commandLine.demo) {
        m_window->restoreLayout(QSettings());
        connect(m_window.get(), &Gui::MainWindow::closing, this, [this] {
            QSettings settings;
            m_window->saveLayout(settings);
        });
    }
    m_tray->start(m_commandLine.minimized);
}

void Application::confirmQuit()
{
    const auto queue =
        m_session ? m_session->outbox().counts() : Core::Result<Core::OutboxCounts>(Core::OutboxCounts{});
    const int waiting = queue ? queue.value().pending + queue.value().running : 0;
    if (!(m_dashboard && m_dashboard->isRunning()) && waiting == 0) {
        QCoreApplication::quit();
        return;
    }
    // Nothing is lost either way (the queue is on disk); the question is only whether to wait.
    m_dialogs->confirm(m_window.get(),
                       {tr("Quit ml-connector"), tr("%n record(s) are still waiting to be synced.", nullptr, waiting),
                        tr("They stay queued and are synced the next time ml-connector or "
                           "ml-connector-cli serve runs. Webhook events arriving while it is closed are "
                           "picked up by the next poll."),
                        tr("Quit now")},
                       [](bool quit) {
                           if (quit)
                               QCoreApplication::quit();
                       });
}

void Application::showProblem(const QString& text)
{
    qCWarning(lcApp).noquote() << text;
    if (m_window)
        m_window->setSyncSummary(text.toHtmlEscaped());
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
    auto profile = Core::Profile::open(m_demoProfileDir ? m_demoProfileDir->path() : QString());
    if (!profile) {
        showProblem(profile.error().message);
        return;
    }
    m_profile = profile.value();
    const auto demo = Core::DemoProfile::forSimulator(baseUrl);
    for (const auto& [key, value] : demo.settings())
        warnIfFailed(lcDemo(), m_profile->set(key, value), "configuring the demo profile");
    // Demo secrets stay in memory: demo mode never touches the user's keychain.
    m_secrets = new Core::MemoryCredentialStore(this);
    auto pendingWrites = std::make_shared<int>(int(demo.secrets.size()));
    for (const auto& secret : demo.secrets) {
        m_secrets->write(secret.first, secret.second, this, [this, pendingWrites](Core::Result<Core::Ok> written) {
            if (!written)
                qCWarning(lcDemo).noquote() << written.error().message;
            if (--*pendingWrites == 0)
                profileReady();
        });
    }
    if (m_window)
        m_window->setModeText(
            tr("Demo mode: simulator at %1, profile in %2. Secrets are kept in memory, never in your keychain.")
                .arg(baseUrl.toDisplayString(), m_profile->directory()));
}

void Application::openUserProfile()
{
    auto profile = Core::Profile::open(m_commandLine.profileDirectory);
    if (!profile) {
        showProblem(profile.error().message);
        m_window->setModeText(tr("The profile cannot be opened"));
        return;
    }
    m_profile = profile.value();
    m_window->setModeText(tr("Profile %1: checking the keychain…").arg(m_profile->directory()));
    chooseCredentialStore();
}

void Application::chooseCredentialStore()
{
    // Reading a secret tells a working keychain from a missing, locked or refused one; the store
    // never falls back to a file, so without a keychain secrets stay in memory for this session.
    auto* keychain = new Core::KeychainCredentialStore(m_profile->id(), m_profile->directory(), this);
    keychain->read(QString::fromLatin1(Core::ZohoTokenManager::kClientSecretKey), this,
                   [this, keychain](Core::Result<QString> read) {
                       if (read || read.error().kind == Core::Error::Kind::NotFound) {
                           m_secrets = keychain;
                       } else {
                           m_keychainProblem = read.error().message;
                           keychain->deleteLater();
                           m_secrets = new Core::MemoryCredentialStore(this);
                           qCWarning(lcApp).noquote() << "no keychain, secrets stay in memory:" << m_keychainProblem;
                       }
                       profileReady();
                   });
}

bool Application::isConfigured() const
{
    const auto oracle = m_profile->oracle();
    return !m_profile->zoho().clientId.isEmpty() && (!oracle.podUrl.isEmpty() || !oracle.pod.isEmpty());
}

void Application::profileReady()
{
    if (m_window && !m_connectionsPage) {
        m_connectionsPage = new Gui::ConnectionsPage(*m_profile, m_secrets);
        connect(m_connectionsPage, &Gui::ConnectionsPage::applied, this, &Application::reconnect);
        m_window->addPage(m_connectionsPage, tr("&Connections"), QStringLiteral("settingsPage"));
    }
    if (m_commandLine.demo) {
        openSession(true);
        return;
    }
    QString mode = tr("Profile %1").arg(m_profile->directory());
    if (!m_keychainProblem.isEmpty())
        mode += tr(" — no keychain (%1): secrets are kept in memory for this session only").arg(m_keychainProblem);
    m_window->setModeText(mode);
    // Without a keychain the secrets of an earlier session are gone, so setup asks for them again.
    if (!isConfigured() || !m_keychainProblem.isEmpty()) {
        const ConnectionStatus notConfigured{ConnectionStatus::State::Unknown, tr("Not configured"),
                                             tr("Finish the setup, or fill in the Connections page")};
        m_window->setConnectionStatus(Service::Zoho, notConfigured);
        m_window->setConnectionStatus(Service::Oracle, notConfigured);
        showSetupWizard();
        return;
    }
    openSession(false);
}

void Application::showSetupWizard()
{
    if (m_wizard) {
        m_wizard->raise();
        return;
    }
    m_wizard = new Gui::SetupWizard(*m_profile, m_secrets, m_window.get());
    m_wizard->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_wizard, &Gui::SetupWizard::configured, this, [this] {
        const bool firstSync = m_wizard->firstSyncRequested();
        m_connectionsPage->revert();
        closeSession();
        openSession(firstSync);
    });
    connect(m_wizard, &QWizard::rejected, this, [this] {
        if (!m_session)
            m_window->setSyncSummary(tr("Not set up yet: fill in both sides on the Connections page and apply."));
    });
    // Window-modal and answered through signals: no nested event loop.
    m_wizard->open();
}

void Application::openSession(bool firstSync)
{
    auto session = Core::SyncSession::open(*m_profile, {}, m_network, m_secrets);
    if (!session) {
        showProblem(session.error().message);
        return;
    }
    m_session = std::move(session.value());
    m_tester = new Core::ConnectionTester(&m_session->connections(), this);
    connect(m_tester, &Core::ConnectionTester::statusChanged, this, &Application::onStatus);
    testConnections();
    if (!m_window)
        return; // the self-check only tests the connections

    m_window->setZohoEndpoint(m_session->connections().zoho()->apiDomain().toDisplayString() +
                              QStringLiteral("/crm/v8"));
    m_window->setOracleEndpoint(
        Core::OracleEndpoint::crmResource(m_session->connections().oraclePod(), {}).toDisplayString());
    auto reader = m_session->database().openReadConnection();
    if (!reader) {
        showProblem(reader.error().message);
        return;
    }
    m_reader = std::make_unique<Core::ReadConnection>(std::move(reader.value()));
    addSessionPages();

    connect(&m_session->engine(), &Core::SyncEngine::countsChanged, this, &Application::updateTray);
    // Webhook, channels, poller, engine and reverse flow keep running in the background (and
    // from the tray when the window is closed).
    m_service = new Core::SyncService(m_session.get(), this);
    if (auto started = m_service->start(); !started) {
        showProblem(started.error().message);
        return;
    }
    connect(m_service->channels(), &Core::ChannelManager::fallbackActivated, this, [this](const QString& module) {
        if (m_tray)
            m_tray->notifyChannelProblem(
                tr("Zoho notifications for %1 could not be renewed; polling keeps the sync going").arg(module));
    });
    m_dashboard = new Gui::DashboardController(m_session.get(), m_service, m_reader.get(), m_window->dashboard(), this);
    connect(m_dashboard, &Gui::DashboardController::pausedChanged, this, [this](bool paused) {
        m_tray->setPaused(paused);
        updateTray();
    });
    connect(m_dashboard, &Gui::DashboardController::runStarted, this, &Application::updateTray);
    connect(m_dashboard, &Gui::DashboardController::runFinished, this, &Application::updateTray);
    connect(m_dashboard, &Gui::DashboardController::problem, this,
            [this](const QString& message) { m_window->statusBar()->showMessage(message, 20000); });
    m_healthTimer = new QTimer(this);
    connect(m_healthTimer, &QTimer::timeout, this, &Application::testConnections);
    m_healthTimer->start(kHealthCheckMs);
    m_window->setSyncEnabled(true);
    if (firstSync)
        syncNow();
}

void Application::addSessionPages()
{
    auto* mapping = new Gui::MappingEditorWidget(&m_session->mappings());
    Core::ZohoClient* zoho = m_session->connections().zoho();
    Core::OracleClient* oracle = m_session->connections().oracle();
    Gui::RecordSource source;
    source.search = [this, zoho, mapping](const QString& module, const QString& text,
                                          std::function<void(const QList<QJsonObject>&)> done) {
        const QStringList fields = Core::zohoFieldsFor(m_session->mapping(), module);
        zoho->firstPage(module, fields, 200, mapping, [text, done](Core::Result<QList<QJsonObject>> page) {
            QList<QJsonObject> matches;
            for (const QJsonObject& r : page ? page.value() : QList<QJsonObject>()) {
                const QString haystack = QString::fromUtf8(QJsonDocument(r).toJson(QJsonDocument::Compact));
                if (text.isEmpty() || haystack.contains(text, Qt::CaseInsensitive))
                    matches << r;
            }
            done(matches);
        });
    };
    source.currentOracle = [oracle, mapping](const QString& zohoId,
                                             std::function<void(const std::optional<QJsonObject>&)> done) {
        oracle->findBySourceReference(zohoId, mapping, [done](Core::Result<QList<Core::OracleAccount>> found) {
            done(found && !found.value().isEmpty() ? std::optional<QJsonObject>(found.value().first().item)
                                                   : std::nullopt);
        });
    };
    mapping->setRecordSource(source);
    connect(mapping, &Gui::MappingEditorWidget::saved, this, [this](int version) {
        auto stored = m_session->mappings().get(version);
        if (stored && stored.value()) {
            auto parsed = Core::MappingSet::fromJson(stored.value()->json.toUtf8());
            if (parsed)
                m_session->engine().setMapping(parsed.value(), version);
        }
    });
    m_window->addPage(mapping, tr("&Mapping"), QStringLiteral("mappingPage"));

    auto* audit = new Gui::AuditBrowserWidget(m_session->audit(), *m_reader);
    audit->setModules(m_session->profile().zohoModules());
    // Replays (a dry run first, when asked) go through the same session as everything else.
    new Gui::AuditReplay(audit, m_session.get(), m_network, m_secrets);
    connect(&m_session->engine(), &Core::SyncEngine::countsChanged, audit, &Gui::AuditBrowserWidget::refresh);
    m_window->addPage(audit, tr("&Audit"), QStringLiteral("auditPage"));

    // The session's pages sit between the dashboard and the Connections page.
    if (m_connectionsPage) {
        QTabWidget* pages = m_window->pages();
        pages->tabBar()->moveTab(pages->indexOf(m_connectionsPage), pages->count() - 1);
    }
    m_sessionPages = {mapping, audit};
}

void Application::closeSession()
{
    // Against the build order: timers, the service and the pages use the session; the pages read
    // through the read connection; all of them go before the session does.
    delete m_healthTimer;
    m_healthTimer = nullptr;
    // The dashboard's credit meter writes to the session's database on the way out.
    delete m_dashboard;
    m_dashboard = nullptr;
    if (m_service)
        m_service->shutdown();
    delete m_service;
    m_service = nullptr;
    for (const QPointer<QWidget>& page : std::as_const(m_sessionPages))
        delete page.data();
    m_sessionPages.clear();
    delete m_tester;
    m_tester = nullptr;
    m_reader.reset();
    m_session.reset();
    m_reportedFailures = 0;
    if (m_window)
        m_window->setSyncEnabled(false);
}

void Application::reconnect()
{
    closeSession();
    if (!isConfigured()) {
        m_window->setSyncSummary(tr("Both sides need settings before a sync can start."));
        return;
    }
    openSession(false);
}

void Application::syncNow()
{
    if (m_dashboard)
        m_dashboard->syncNow();
}

void Application::raiseWindow()
{
    if (!m_window)
        return;
    m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

void Application::updateTray()
{
    if (!m_session || !m_tray)
        return;
    const Core::SyncCounts c = m_session->engine().counts();
    if (c.failed > m_reportedFailures)
        m_tray->notifyFailure(
            tr("%n record(s) could not be synced; see the Audit page", nullptr, c.failed - m_reportedFailures));
    m_reportedFailures = c.failed;
    if (m_tray->isPaused())
        return;
    m_tray->setState(m_dashboard && m_dashboard->isRunning() ? Gui::TrayState::Syncing
                     : c.failed > 0                          ? Gui::TrayState::Attention
                                                             : Gui::TrayState::Ok);
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
    ConnectionStatus& last = service == Service::Zoho ? m_zohoStatus : m_oracleStatus;
    const bool newlyRejected =
        status.state == ConnectionStatus::State::Failed && status.failure == Core::Error::Kind::Auth &&
        !(last.state == ConnectionStatus::State::Failed && last.failure == Core::Error::Kind::Auth);
    last = status;
    if (m_window)
        m_window->setConnectionStatus(service, status);
    if (newlyRejected && m_tray)
        m_tray->notifyReauthorisation(service == Service::Zoho ? QStringLiteral("Zoho CRM")
                                                               : QStringLiteral("Oracle Fusion"));
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
