#include "Cli.h"

#include "SignalWatcher.h"

#include "Logging.h"
#include "net/ConnectionTester.h"
#include "net/Connections.h"
#include "secrets/EnvironmentCredentialStore.h"
#include "secrets/KeychainCredentialStore.h"
#include "storage/Database.h"
#include "sync/FullSync.h"
#include "sync/Replay.h"
#include "sync/SyncEngine.h"
#include "sync/SyncService.h"
#include "sync/SyncSession.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <unistd.h>

using namespace Core;

namespace {
QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

QTextStream& err()
{
    static QTextStream stream(stderr);
    return stream;
}

const QString kHelp =
    QStringLiteral("Commands:\n"
                   "  config set KEY VALUE | config get KEY | config show [--json]\n"
                   "  secret set KEY                 (value from stdin, into the keychain)\n"
                   "  ping zoho|oracle\n"
                   "  sync [--full] [--dry-run]      exit 1 if any record failed\n"
                   "  serve                          webhook + channels + poller + reverse flow until SIGINT/SIGTERM\n"
                   "  channels [--json]\n"
                   "  replay (--failed | ID...) [--dry-run] [--mapping current|recorded]\n"
                   "  audit [--json] [--status ok|failed] [--record ZOHO_ID] [--limit N]\n"
                   "  audit export --format csv|jsonl --output FILE\n"
                   "Exit codes: 0 ok, 1 some records failed, 2 usage or config error, 3 auth error, 4 unreachable.");
} // namespace

Cli::Cli(QObject* parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
{
    m_progressToTerminal = isatty(STDERR_FILENO);
}

Cli::~Cli() = default;

int Cli::exitCodeFor(const Error& error)
{
    switch (error.kind) {
    case Error::Kind::Config:
    case Error::Kind::InvalidInput:
        return Usage;
    case Error::Kind::Auth:
    case Error::Kind::Forbidden:
    case Error::Kind::Unavailable:
        return AuthFailed;
    case Error::Kind::Network:
    case Error::Kind::Timeout:
        return Unreachable;
    default:
        break;
    }
    return RecordsFailed;
}

int Cli::fail(const Error& error)
{
    err() << "ml-connector-cli: " << error.message << '\n';
    err().flush();
    return exitCodeFor(error);
}

int Cli::usage(const QString& message)
{
    err() << "ml-connector-cli: " << message << "\n\n" << kHelp << '\n';
    err().flush();
    return Usage;
}

void Cli::finish(int code)
{
    out().flush();
    err().flush();
    QTimer::singleShot(0, qApp, [code] { QCoreApplication::exit(code); });
}

void Cli::progress(const QString& line)
{
    if (!m_progressToTerminal)
        return;
    err() << '\r' << line << "\x1b[K";
    err().flush();
}

int Cli::start(const QStringList& arguments)
{
    m_parser.setApplicationDescription(
        QStringLiteral("Keeps Oracle Fusion Cloud ERP's customer master in sync with Zoho CRM, headless.\n\n") + kHelp);
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addOptions({
        {QStringLiteral("profile"), QStringLiteral("Profile directory (default: the desktop's)."),
         QStringLiteral("DIR")},
        {QStringLiteral("secrets-from-env"),
         QStringLiteral(
             "Read secrets from ZOHO_CLIENT_SECRET, ZOHO_REFRESH_TOKEN, ORACLE_PASSWORD, ORACLE_CLIENT_SECRET "
             "instead of the keychain.")},
        {QStringLiteral("full"), QStringLiteral("sync: every record, not only those changed since the last sync.")},
        {QStringLiteral("dry-run"), QStringLiteral("sync, replay: show what would be sent; send and change nothing.")},
        {QStringLiteral("json"), QStringLiteral("Machine-readable output.")},
        {QStringLiteral("failed"), QStringLiteral("replay: every failed record.")},
        {QStringLiteral("mapping"), QStringLiteral("replay: the current mapping or the one recorded at the time."),
         QStringLiteral("current|recorded"), QStringLiteral("current")},
        {QStringLiteral("status"), QStringLiteral("audit: only ok or failed events."), QStringLiteral("ok|failed")},
        {QStringLiteral("record"), QStringLiteral("audit: only this Zoho record."), QStringLiteral("ZOHO_ID")},
        {QStringLiteral("limit"), QStringLiteral("audit: at most N events (default 50)."), QStringLiteral("N"),
         QStringLiteral("50")},
        {QStringLiteral("format"), QStringLiteral("audit export: csv or jsonl."), QStringLiteral("csv|jsonl")},
        {QStringLiteral("output"), QStringLiteral("audit export: the file to write."), QStringLiteral("FILE")},
    });
    m_parser.addPositionalArgument(QStringLiteral("command"), QStringLiteral("What to do (see Commands)."));
    if (!m_parser.parse(arguments))
        return usage(m_parser.errorText());
    if (m_parser.isSet(QStringLiteral("help"))) {
        out() << m_parser.helpText();
        return Ok;
    }
    if (m_parser.isSet(QStringLiteral("version"))) {
        out() << QCoreApplication::applicationName() << ' ' << QCoreApplication::applicationVersion() << '\n';
        return Ok;
    }
    const QStringList args = m_parser.positionalArguments();
    if (args.isEmpty())
        return usage(QStringLiteral("no command given"));

    auto profile = Profile::open(m_parser.value(QStringLiteral("profile")));
    if (!profile)
        return fail(profile.error());
    m_profile = std::make_unique<Profile>(profile.value());
    if (m_parser.isSet(QStringLiteral("secrets-from-env")))
        m_secrets = new EnvironmentCredentialStore(QProcessEnvironment::systemEnvironment(), this);
    else
        m_secrets = new KeychainCredentialStore(m_profile->id(), m_profile->directory(), this);
    m_dryRun = m_parser.isSet(QStringLiteral("dry-run"));

    const QString command = args.first();
    const QStringList rest = args.mid(1);
    if (command == QLatin1String("config"))
        return runConfig(rest);
    if (command == QLatin1String("secret"))
        return runSecret(rest);
    if (command == QLatin1String("ping"))
        return runPing(rest);
    if (command == QLatin1String("sync"))
        return rest.isEmpty() ? runSync() : usage(QStringLiteral("sync takes no arguments"));
    if (command == QLatin1String("replay"))
        return runReplay(rest);
    if (command == QLatin1String("channels"))
        return runChannels();
    if (command == QLatin1String("audit"))
        return runAudit(rest);
    if (command == QLatin1String("serve"))
        return runServe();
    return usage(QStringLiteral("unknown command \"%1\"").arg(command));
}

int Cli::runConfig(const QStringList& args)
{
    const QString verb = args.value(0);
    if (verb == QLatin1String("set") && args.size() == 3) {
        auto set = m_profile->set(args.at(1), args.at(2));
        return set ? Ok : fail(set.error());
    }
    if (verb == QLatin1String("get") && args.size() == 2) {
        if (!Profile::findKey(args.at(1)))
            return fail(Error(Error::Kind::InvalidInput, QStringLiteral("Unknown setting \"%1\"").arg(args.at(1))));
        out() << m_profile->value(args.at(1)) << '\n';
        return Ok;
    }
    if (verb == QLatin1String("show") && args.size() == 1) {
        if (m_parser.isSet(QStringLiteral("json"))) {
            out() << QJsonDocument(m_profile->toJson()).toJson(QJsonDocument::Indented);
        } else {
            for (const auto& key : Profile::keys())
                out() << key.name << " = " << m_profile->value(key.name) << '\n';
            out() << "# profile " << m_profile->directory() << "; secrets are in the "
                  << (m_parser.isSet(QStringLiteral("secrets-from-env")) ? "environment" : "keychain") << '\n';
        }
        return Ok;
    }
    return usage(QStringLiteral("config needs: set KEY VALUE | get KEY | show [--json]"));
}

int Cli::runSecret(const QStringList& args)
{
    if (args.size() != 2 || args.at(0) != QLatin1String("set"))
        return usage(QStringLiteral("secret needs: set KEY (the value is read from stdin)"));
    const QString storeKey = Profile::secretStoreKey(args.at(1));
    if (storeKey.isEmpty())
        return fail(
            Error(Error::Kind::InvalidInput, QStringLiteral("\"%1\" is not a secret; secrets are %2")
                                                 .arg(args.at(1), Profile::secretNames().join(QStringLiteral(", ")))));
    QTextStream in(stdin);
    const QString value = in.readLine().trimmed();
    if (value.isEmpty())
        return fail(Error(Error::Kind::InvalidInput, QStringLiteral("no value on stdin for %1").arg(args.at(1))));
    m_secrets->write(storeKey, value, this, [this, name = args.at(1)](Result<Core::Ok> written) {
        if (!written) {
            finish(fail(written.error()));
            return;
        }
        err() << name << " stored in the " << m_secrets->name() << '\n';
        finish(Ok);
    });
    return -1;
}

int Cli::runPing(const QStringList& args)
{
    const QString side = args.value(0);
    if (args.size() != 1 || (side != QLatin1String("zoho") && side != QLatin1String("oracle")))
        return usage(QStringLiteral("ping needs: zoho or oracle"));
    auto* connections =
        new Connections(m_network, m_secrets, m_profile->zoho(), m_profile->oracle(), {}, nullptr, this);
    auto* tester = new ConnectionTester(connections, this);
    connect(tester, &ConnectionTester::statusChanged, this, [this](Service, const ConnectionStatus& s) {
        if (s.state == ConnectionStatus::State::Checking)
            return;
        const bool ok = s.state == ConnectionStatus::State::Connected;
        (ok ? out() : err()) << s.summary << ": " << s.detail << '\n';
        if (ok) {
            finish(Ok);
            return;
        }
        finish(exitCodeFor(Error(s.failure, {})));
    });
    if (side == QLatin1String("zoho"))
        tester->testZoho();
    else
        tester->testOracle();
    return -1;
}

Result<SyncSession*> Cli::openSession(bool onACopy)
{
    QString path = m_profile->databasePath();
    if (onACopy) {
        // A dry run works on a snapshot, so the real outbox, links and audit stay untouched.
        auto db = Database::open(path);
        if (!db)
            return db.error();
        m_dryRunDir = std::make_unique<QTemporaryDir>();
        const QString copy = QDir(m_dryRunDir->path()).filePath(QStringLiteral("dry-run.db"));
        if (auto copied = db.value()->snapshotTo(copy); !copied)
            return copied.error();
        path = copy;
    }
    SyncConfig config;
    config.dryRun = onACopy;
    auto session = SyncSession::open(*m_profile, path, m_network, m_secrets, config);
    if (!session)
        return session.error();
    m_session = std::move(session.value());
    return m_session.get();
}

void Cli::reportCounts(const SyncCounts& c)
{
    if (m_progressToTerminal)
        err() << "\r\x1b[K";
    out() << (m_dryRun ? "dry run: " : "") << "created " << c.created << ", updated " << c.updated << ", unchanged "
          << c.unchanged << ", skipped " << c.skipped << ", failed " << c.failed;
    if (m_dryRun)
        out() << ", would write " << c.wouldWrite;
    out() << '\n';
    if (!m_dryRun || !m_session)
        return;
    // Show what would have been sent, from the dry run's own (throw-away) audit trail.
    AuditFilter filter;
    filter.outcomes = {QStringLiteral("dry_run")};
    filter.limit = 50;
    auto planned = m_session->audit().query(filter);
    if (!planned)
        return;
    for (const AuditEvent& e : planned.value())
        out() << "would " << e.action << ' ' << e.module << ' ' << e.zohoId
              << (e.partyNumber.isEmpty() ? QString() : QStringLiteral(" (") + e.partyNumber + QLatin1Char(')')) << ": "
              << e.request << '\n';
    if (c.wouldWrite > planned.value().size())
        out() << "... and " << c.wouldWrite - planned.value().size() << " more\n";
}

void Cli::runEngineUntilIdle(std::function<void()> afterIdle)
{
    SyncEngine& engine = m_session->engine();
    connect(&engine, &SyncEngine::countsChanged, this, [this](const SyncCounts& c) {
        progress(QStringLiteral("synced %1 records (%2 failed)").arg(c.total()).arg(c.failed));
    });
    connect(&engine, &SyncEngine::idle, this, [this, afterIdle] {
        if (m_listingDone && !m_session->engine().isBusy() && !m_finished) {
            m_finished = true;
            afterIdle();
        }
    });
    auto started = engine.start();
    if (!started)
        finish(fail(started.error()));
}

int Cli::runSync()
{
    auto session = openSession(m_dryRun);
    if (!session)
        return fail(session.error());
    const bool full = m_parser.isSet(QStringLiteral("full"));
    FullSync& listing = m_session->fullSync();
    connect(&listing, &FullSync::finished, this, [this](const Result<int>& queued) {
        if (!queued) {
            reportCounts(m_session->engine().counts());
            finish(fail(queued.error()));
            return;
        }
        m_listingDone = true;
        m_session->engine().wake();
    });
    runEngineUntilIdle([this] {
        const SyncCounts counts = m_session->engine().counts();
        reportCounts(counts);
        if (counts.failed > 0)
            err() << "see `ml-connector-cli audit --status failed` for the reasons\n";
        finish(counts.failed > 0 ? RecordsFailed : Ok);
    });
    listing.start(full);
    return -1;
}

int Cli::runReplay(const QStringList& ids)
{
    const bool all = m_parser.isSet(QStringLiteral("failed"));
    if (all == !ids.isEmpty())
        return usage(QStringLiteral("replay needs --failed or Zoho record ids, not both"));
    const QString mapping = m_parser.value(QStringLiteral("mapping"));
    if (mapping != QLatin1String("current") && mapping != QLatin1String("recorded"))
        return usage(QStringLiteral("--mapping takes current or recorded, not \"%1\"").arg(mapping));
    auto session = openSession(m_dryRun);
    if (!session)
        return fail(session.error());
    m_session->engine().setUseRecordedMapping(mapping == QLatin1String("recorded"));
    OutboxStore& outbox = m_session->outbox();
    int requeued = 0;
    if (all) {
        auto n = outbox.requeueAllFailed();
        if (!n)
            return fail(n.error());
        requeued = n.value();
    } else {
        auto n = queueReplay(outbox, m_session->links(), m_session->profile().zohoModules(), ids);
        if (!n)
            return fail(n.error());
        requeued = n.value();
    }
    err() << "replaying " << requeued << " records" << (m_dryRun ? " (dry run)" : "") << '\n';
    m_listingDone = true;
    runEngineUntilIdle([this] {
        const SyncCounts counts = m_session->engine().counts();
        reportCounts(counts);
        finish(counts.failed > 0 ? RecordsFailed : Ok);
    });
    return -1;
}

int Cli::runChannels()
{
    auto db = Database::open(m_profile->databasePath());
    if (!db)
        return fail(db.error());
    ChannelStore store(*db.value());
    auto channels = store.list();
    if (!channels)
        return fail(channels.error());
    if (m_parser.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const auto& c : channels.value())
            list.append(QJsonObject{{QStringLiteral("module"), c.module},
                                    {QStringLiteral("channel_id"), c.channelId},
                                    {QStringLiteral("events"), c.events},
                                    {QStringLiteral("expires_at"),
                                     QDateTime::fromMSecsSinceEpoch(c.expiresAtMs, Qt::UTC).toString(Qt::ISODate)},
                                    {QStringLiteral("state"), c.state},
                                    {QStringLiteral("last_error"), c.lastError}});
        out() << QJsonDocument(list).toJson(QJsonDocument::Indented);
        return Ok;
    }
    if (channels.value().isEmpty())
        out() << "no notification channels (run `serve` to set them up)\n";
    for (const auto& c : channels.value())
        out() << c.module << "  channel " << c.channelId << "  " << c.state << "  expires "
              << QDateTime::fromMSecsSinceEpoch(c.expiresAtMs, Qt::UTC).toString(Qt::ISODate)
              << (c.lastError.isEmpty() ? QString() : QStringLiteral("  (%1)").arg(c.lastError)) << '\n';
    return Ok;
}

int Cli::runAudit(const QStringList& args)
{
    auto db = Database::open(m_profile->databasePath());
    if (!db)
        return fail(db.error());
    AuditLog audit(*db.value());
    AuditFilter filter;
    const QString status = m_parser.value(QStringLiteral("status"));
    if (!status.isEmpty()) {
        if (status != QLatin1String("ok") && status != QLatin1String("failed"))
            return usage(QStringLiteral("--status takes ok or failed, not \"%1\"").arg(status));
        filter.outcomes = status == QLatin1String("failed")
                              ? QStringList{QStringLiteral("failed"), QStringLiteral("dead")}
                              : QStringList{QStringLiteral("ok")};
    }
    filter.zohoId = m_parser.value(QStringLiteral("record"));
    if (args.value(0) == QLatin1String("export")) {
        const QString format = m_parser.value(QStringLiteral("format"));
        const QString output = m_parser.value(QStringLiteral("output"));
        if ((format != QLatin1String("csv") && format != QLatin1String("jsonl")) || output.isEmpty())
            return usage(QStringLiteral("audit export needs --format csv|jsonl and --output FILE"));
        QFile file(output);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return fail(Error(Error::Kind::InvalidInput,
                              QStringLiteral("Cannot write %1: %2").arg(output, file.errorString())));
        auto rows = audit.exportTo(
            file, format == QLatin1String("csv") ? AuditLog::Format::Csv : AuditLog::Format::Jsonl, filter);
        if (!rows)
            return fail(rows.error());
        err() << "exported " << rows.value() << " events to " << output << '\n';
        return Ok;
    }
    if (!args.isEmpty())
        return usage(QStringLiteral("audit takes no arguments except `export`"));
    bool ok = false;
    filter.limit = m_parser.value(QStringLiteral("limit")).toInt(&ok);
    if (!ok || filter.limit <= 0)
        return usage(QStringLiteral("--limit needs a positive number"));
    auto events = audit.query(filter);
    if (!events)
        return fail(events.error());
    for (const AuditEvent& e : events.value()) {
        if (m_parser.isSet(QStringLiteral("json"))) {
            QJsonObject o{
                {QStringLiteral("id"), e.id},
                {QStringLiteral("time"), QDateTime::fromMSecsSinceEpoch(e.tsMs, Qt::UTC).toString(Qt::ISODateWithMs)},
                {QStringLiteral("source"), e.source},
                {QStringLiteral("module"), e.module},
                {QStringLiteral("zoho_id"), e.zohoId},
                {QStringLiteral("party_number"), e.partyNumber},
                {QStringLiteral("direction"), e.direction},
                {QStringLiteral("action"), e.action},
                {QStringLiteral("outcome"), e.outcome},
                {QStringLiteral("reason_class"), e.reasonClass},
                {QStringLiteral("reason"), e.reason}};
            if (e.mappingVersion)
                o.insert(QStringLiteral("mapping_version"), *e.mappingVersion);
            out() << QJsonDocument(o).toJson(QJsonDocument::Compact) << '\n';
        } else {
            out() << QDateTime::fromMSecsSinceEpoch(e.tsMs, Qt::UTC).toString(Qt::ISODate) << "  " << e.outcome << "  "
                  << e.action << "  " << e.module << ' ' << e.zohoId
                  << (e.partyNumber.isEmpty() ? QString() : QStringLiteral(" -> ") + e.partyNumber)
                  << (e.reason.isEmpty() ? QString() : QStringLiteral("  ") + e.reason) << '\n';
        }
    }
    return Ok;
}

int Cli::runServe()
{
    auto session = openSession(false);
    if (!session)
        return fail(session.error());
    auto* watcher = new SignalWatcher(this);
    m_serve = new SyncService(m_session.get(), this);
    connect(m_serve, &SyncService::stopped, this, [this] { finish(Ok); });
    connect(watcher, &SignalWatcher::terminationRequested, this, [this] {
        err() << "stopping: no new events; finishing the records in hand\n";
        m_serve->shutdown();
    });
    auto started = m_serve->start();
    if (!started)
        return fail(started.error());
    err() << "serving: " << m_serve->describe() << '\n';
    err().flush(); // a supervisor (or a test) waits for this line
    return -1;
}
