#include "Application.h"

#include "Logging.h"
#include "MainWindow.h"
#include "audit/AuditBrowserWidget.h"
#include "config/Profile.h"
#include "demo/DemoProfile.h"
#include "demo/SimulatorLauncher.h"
#include "mapping/MappingEditorWidget.h"
#include "net/ConnectionTester.h"
#include "net/Connections.h"
#include "oracle/OracleClient.h"
#include "secrets/MemoryCredentialStore.h"
#include "settings/OracleSettingsPage.h"
#include "settings/ZohoSettingsPage.h"
#include "storage/Database.h"
#include "sync/ChannelManager.h"
#include "sync/FullSync.h"
#include "sync/MappingFields.h"
#include "sync/Replay.h"
#include "sync/SyncEngine.h"
#include "sync/SyncService.h"
#include "sync/SyncSession.h"
#include "tray/QtTrayBackend.h"
#include "tray/TrayController.h"
#include "zoho/ZohoClient.h"

#include <QCoreApplication>
#include <QDir>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QSettings>
#include <QStatusBar>
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

Application::~Application()
{
    // Tear down against the build order: the service and the tray use the session and the window,
    // the widgets read through the read connection, and all of them go before the session does.
    delete m_statusTimer;
    delete m_service;
    delete m_tray;
    m_window.reset();
}

int Application::start()
{
    if (!m_commandLine.selfCheck) {
        m_window = std::make_unique<Gui::MainWindow>();
        connect(m_window.get(), &Gui::MainWindow::testConnectionsRequested, this, &Application::testConnections);
        // The tray decides whether the window shows (--minimized) and whether closing it quits.
        m_tray = new Gui::TrayController(new Gui::QtTrayBackend, this);
        m_tray->setWindow(m_window.get());
        connect(m_tray, &Gui::TrayController::syncNowRequested, this, &Application::syncNow);
        connect(m_tray, &Gui::TrayController::quitRequested, qApp, &QCoreApplication::quit);
        connect(m_tray, &Gui::TrayController::pauseToggled, this, [this](bool paused) {
            if (!m_session)
                return;
            paused ? m_session->engine().pause() : m_session->engine().resume();
            m_tray->setState(paused ? Gui::TrayState::Paused : Gui::TrayState::Ok);
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
        openSession(baseUrl);
    }
}

void Application::openSession(const QUrl& simulatorBaseUrl)
{
    // The demo profile points at the simulator; it lives in the throw-away directory.
    auto profile = Core::Profile::open(m_demoProfileDir ? m_demoProfileDir->path() : QString());
    if (!profile) {
        m_window->setSyncSummary(profile.error().message);
        return;
    }
    const QString base = simulatorBaseUrl.toString(QUrl::StripTrailingSlash);
    for (const auto& [key, value] :
         QList<QPair<QString, QString>>{{QStringLiteral("zoho.dc"), QStringLiteral("custom")},
                                        {QStringLiteral("zoho.accounts_url"), base},
                                        {QStringLiteral("zoho.api_url"), base},
                                        {QStringLiteral("zoho.client_id"), QStringLiteral("sim-zoho-client-id")},
                                        {QStringLiteral("oracle.pod_url"), base},
                                        {QStringLiteral("oracle.username"), QStringLiteral("integration.user")},
                                        {QStringLiteral("webhook.listen"), QStringLiteral("127.0.0.1:0")}})
        warnIfFailed(lcDemo(), profile.value().set(key, value), "configuring the demo profile");
    auto session = Core::SyncSession::open(profile.value(), {}, m_network, m_secrets);
    if (!session) {
        m_window->setSyncSummary(session.error().message);
        return;
    }
    m_session = std::move(session.value());
    auto reader = m_session->database().openReadConnection();
    if (!reader) {
        m_window->setSyncSummary(reader.error().message);
        return;
    }
    m_reader = std::make_unique<Core::ReadConnection>(std::move(reader.value()));

    auto* mapping = new Gui::MappingEditorWidget(&m_session->mappings());
    Core::ZohoClient* zoho = m_session->connections().zoho();
    Core::OracleClient* oracle = m_session->connections().oracle();
    Gui::RecordSource source;
    source.search = [this, zoho](const QString& module, const QString& text,
                                 std::function<void(const QList<QJsonObject>&)> done) {
        const QStringList fields = Core::zohoFieldsFor(m_session->mapping(), module);
        zoho->firstPage(module, fields, 200, this, [text, done](Core::Result<QList<QJsonObject>> page) {
            QList<QJsonObject> matches;
            for (const QJsonObject& r : page ? page.value() : QList<QJsonObject>()) {
                const QString haystack = QString::fromUtf8(QJsonDocument(r).toJson(QJsonDocument::Compact));
                if (text.isEmpty() || haystack.contains(text, Qt::CaseInsensitive))
                    matches << r;
            }
            done(matches);
        });
    };
    source.currentOracle = [this, oracle](const QString& zohoId,
                                          std::function<void(const std::optional<QJsonObject>&)> done) {
        oracle->findBySourceReference(zohoId, this, [done](Core::Result<QList<Core::OracleAccount>> found) {
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
    connect(audit, &Gui::AuditBrowserWidget::replayAllFailedRequested, this, [this](bool dryRun, bool recorded) {
        if (dryRun) {
            m_window->statusBar()->showMessage(
                tr("A dry run of a replay works on a copy of the database: use ml-connector-cli replay --failed "
                   "--dry-run"),
                20000);
            return;
        }
        m_session->engine().setUseRecordedMapping(recorded);
        warnIfFailed(lcDemo(), m_session->outbox().requeueAllFailed(), "queueing the failed records again");
        m_session->engine().wake();
    });
    connect(audit, &Gui::AuditBrowserWidget::replayRequested, this,
            [this](const QStringList& ids, bool dryRun, bool recorded) {
                if (dryRun) {
                    m_window->statusBar()->showMessage(
                        tr("A dry run of a replay works on a copy of the database: use ml-connector-cli replay "
                           "--dry-run %1")
                            .arg(ids.join(QLatin1Char(' '))),
                        20000);
                    return;
                }
                m_session->engine().setUseRecordedMapping(recorded);
                auto queued =
                    Core::queueReplay(m_session->outbox(), m_session->links(), m_session->profile().zohoModules(), ids);
                m_window->statusBar()->showMessage(
                    queued ? tr("Replaying %1 record(s)").arg(queued.value()) : queued.error().message, 15000);
                m_session->engine().wake();
            });
    connect(&m_session->engine(), &Core::SyncEngine::countsChanged, audit, &Gui::AuditBrowserWidget::refresh);
    m_window->addPage(audit, tr("&Audit"), QStringLiteral("auditPage"));

    connect(&m_session->engine(), &Core::SyncEngine::countsChanged, this, &Application::showCounts);
    connect(&m_session->fullSync(), &Core::FullSync::finished, this, [this](const Core::Result<int>& queued) {
        m_syncing = false;
        if (!queued)
            m_window->setSyncSummary(queued.error().message);
        m_session->engine().wake();
    });
    auto* settings = new QWidget;
    auto* settingsLayout = new QHBoxLayout(settings);
    auto* zohoSettings = new Gui::ZohoSettingsPage;
    auto* oracleSettings = new Gui::OracleSettingsPage;
    settingsLayout->addWidget(zohoSettings, 1);
    settingsLayout->addWidget(oracleSettings, 1);
    zohoSettings->setCredentialStore(m_secrets);
    oracleSettings->setCredentialStore(m_secrets);
    zohoSettings->load(m_session->profile());
    oracleSettings->load(m_session->profile());
    m_window->addPage(settings, tr("&Connections"), QStringLiteral("settingsPage"));

    connect(m_window.get(), &Gui::MainWindow::syncNowRequested, this, &Application::syncNow);
    // Webhook, channels, poller, engine and reverse flow keep running in the background (and
    // from the tray when the window is closed).
    m_service = new Core::SyncService(m_session.get(), this);
    if (auto started = m_service->start(); !started) {
        m_window->setSyncSummary(started.error().message);
        return;
    }
    m_statusTimer = new QTimer(this);
    connect(m_statusTimer, &QTimer::timeout, this, &Application::showCounts);
    m_statusTimer->start(1000);
    m_window->setSyncEnabled(true);
    syncNow();
}

void Application::syncNow()
{
    if (!m_session || m_syncing)
        return;
    m_syncing = true;
    if (m_tray)
        m_tray->setState(Gui::TrayState::Syncing);
    m_window->setSyncSummary(tr("Syncing: reading changed records from Zoho…"));
    m_session->fullSync().start(false);
}

void Application::raiseWindow()
{
    if (!m_window)
        return;
    m_window->show();
    m_window->raise();
    m_window->activateWindow();
}

void Application::showCounts()
{
    const Core::SyncCounts c = m_session->engine().counts();
    if (m_tray && !m_tray->isPaused()) {
        m_tray->setState(c.failed > 0 ? Gui::TrayState::Attention : Gui::TrayState::Ok);
        if (c.failed > m_reportedFailures)
            m_tray->notifyFailure(
                tr("%1 record(s) could not be synced; see the Audit page").arg(c.failed - m_reportedFailures));
        m_reportedFailures = c.failed;
    }
    QString text = tr("Since start: %1 created, %2 updated, %3 unchanged, %4 skipped, %5 failed in Oracle.")
                       .arg(c.created)
                       .arg(c.updated)
                       .arg(c.unchanged)
                       .arg(c.skipped)
                       .arg(c.failed);
    if (auto queue = m_session->outbox().counts())
        text += tr("<br>Queue: %1 waiting, %2 failed, %3 dead-lettered.")
                    .arg(queue.value().pending + queue.value().running)
                    .arg(queue.value().failed)
                    .arg(queue.value().dead);
    if (m_service && m_service->channels()) {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        for (const Core::ChannelStatus& channel : m_service->channels()->channels()) {
            text += tr("<br>%1 notifications: %2").arg(channel.module, Core::ChannelStatus::stateName(channel.state));
            if (channel.expiry.isValid())
                text += tr(", expires in %1 min").arg(qMax<qint64>(0, now.secsTo(channel.expiry) / 60));
            if (channel.nextAction.isValid())
                text += tr(", next renewal %1").arg(channel.nextAction.toLocalTime().toString(QStringLiteral("HH:mm")));
        }
    }
    m_window->setSyncSummary(text);
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
