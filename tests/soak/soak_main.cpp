// ml-soak: the crash and fault soak. A headless `ml-connector-cli serve` runs against the simulator
// while Zoho users create and edit contacts and accounts; it is SIGKILLed at seeded random points and
// restarted, and the simulator injects 5xx, 429, token expiry, dropped connections and latency spikes
// past the client's transfer timeout. After the last restart the faults stop, serve drains and stops
// on SIGTERM, and the Oracle state must equal, exactly, what the mapper makes of every Zoho record's
// last version. Prints the counts; exits 0 only when nothing is missing, duplicated or wrong.
#include "OutboxProbe.h"
#include "SimTestClient.h"
#include "SoakCheck.h"
#include "SoakEvents.h"
#include "SoakProcesses.h"

#include "audit/AuditLog.h"
#include "storage/Database.h"
#include "storage/MappingStore.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <cstdio>
#include <optional>

namespace {

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

struct Options
{
    int kills = 10;
    int records = 300;
    quint32 seed = 1;
    double rate = 15;     // events per second while serve runs
    double durationS = 0; // live time before the final start; 0: 5 s per kill
    int spikeMs = 35000;  // past the client's 30 s transfer timeout
    int drainTimeoutS = 600;
    QString sim;
    QString cli;
    QString workDir;
};

std::optional<Options> parse(const QStringList& arguments, QString* why)
{
    QCommandLineParser p;
    p.setApplicationDescription(
        QStringLiteral("Crash and fault soak of ml-connector-cli serve against the simulator."));
    p.addHelpOption();
    p.addOptions({
        {QStringLiteral("kills"), QStringLiteral("SIGKILLs of serve, at least 10 (default 10)."), QStringLiteral("N"),
         QStringLiteral("10")},
        {QStringLiteral("records"), QStringLiteral("Seeded Zoho records, 2/3 contacts (default 300)."),
         QStringLiteral("N"), QStringLiteral("300")},
        {QStringLiteral("seed"), QStringLiteral("Seed of the data, the faults, the events and the kills (default 1)."),
         QStringLiteral("S"), QStringLiteral("1")},
        {QStringLiteral("rate"), QStringLiteral("Zoho events per second while serve runs (default 15)."),
         QStringLiteral("R"), QStringLiteral("15")},
        {QStringLiteral("duration"), QStringLiteral("Seconds serve runs before the final start (default 5 per kill)."),
         QStringLiteral("S"), QStringLiteral("0")},
        {QStringLiteral("spike-ms"), QStringLiteral("Latency of a spike (default 35000, past the 30 s timeout)."),
         QStringLiteral("MS"), QStringLiteral("35000")},
        {QStringLiteral("drain-timeout"), QStringLiteral("Seconds the final drain may take (default 600)."),
         QStringLiteral("S"), QStringLiteral("600")},
        {QStringLiteral("sim"), QStringLiteral("ml-connector-sim (default: beside this program)."),
         QStringLiteral("PATH")},
        {QStringLiteral("cli"), QStringLiteral("ml-connector-cli (default: beside this program)."),
         QStringLiteral("PATH")},
        {QStringLiteral("work-dir"),
         QStringLiteral("Where the profile and logs go (default: a temporary directory, "
                        "kept when the check fails)."),
         QStringLiteral("DIR")},
    });
    if (!p.parse(arguments)) {
        *why = p.errorText();
        return std::nullopt;
    }
    if (p.isSet(QStringLiteral("help"))) {
        out() << p.helpText();
        out().flush();
        std::exit(0);
    }
    Options o;
    bool ok1 = false, ok2 = false, ok3 = false, ok4 = false, ok5 = false, ok6 = false, ok7 = false;
    o.kills = p.value(QStringLiteral("kills")).toInt(&ok1);
    o.records = p.value(QStringLiteral("records")).toInt(&ok2);
    o.seed = p.value(QStringLiteral("seed")).toUInt(&ok3);
    o.rate = p.value(QStringLiteral("rate")).toDouble(&ok4);
    o.durationS = p.value(QStringLiteral("duration")).toDouble(&ok5);
    o.spikeMs = p.value(QStringLiteral("spike-ms")).toInt(&ok6);
    o.drainTimeoutS = p.value(QStringLiteral("drain-timeout")).toInt(&ok7);
    if (!(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) || o.kills < 10 || o.records < 3 || o.rate <= 0 ||
        o.durationS < 0 || o.drainTimeoutS <= 0) {
        *why = QStringLiteral("bad option value (--kills needs at least 10, --records at least 3)");
        return std::nullopt;
    }
    if (o.durationS == 0)
        o.durationS = 5.0 * o.kills;
    const QString here = QCoreApplication::applicationDirPath();
    o.sim = p.value(QStringLiteral("sim"));
    if (o.sim.isEmpty())
        o.sim = QDir(here).filePath(QStringLiteral("ml-connector-sim"));
    o.cli = p.value(QStringLiteral("cli"));
    if (o.cli.isEmpty())
        o.cli = QDir(here).filePath(QStringLiteral("ml-connector-cli"));
    o.workDir = p.value(QStringLiteral("work-dir"));
    return o;
}

quint16 freePort()
{
    QTcpServer probe;
    if (!probe.listen(QHostAddress::LocalHost, 0))
        return 0;
    return probe.serverPort();
}

QByteArray oracleFingerprint(SimTest::Client& control)
{
    const auto r = control.get(QStringLiteral("/_sim/oracle/accounts"));
    return r.status == 200 ? QCryptographicHash::hash(r.body, QCryptographicHash::Sha1) : QByteArray();
}

int countIn(const QString& path, qint64 from, const QByteArray& needle)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly) || !f.seek(from))
        return 0;
    return int(f.readAll().count(needle));
}

class SoakRun
{
public:
    explicit SoakRun(Options options)
        : m_o(std::move(options))
        , m_rng(m_o.seed ^ 0x5eedu)
    { }

    int run();

private:
    bool setUp();
    bool configureProfile();
    bool setFaults(bool withRetryAfter);
    void keepRefreshWindowOpen(bool force);
    void liveFor(qint64 ms);
    bool restart();
    bool drain(qint64* drainMs);
    int checkAndReport(bool drained, int terminateCode, qint64 drainMs);

    Options m_o;
    QRandomGenerator m_rng;
    std::unique_ptr<QTemporaryDir> m_tempDir;
    Soak::Paths m_paths;
    quint16 m_webhookPort = 0;
    Soak::SimProcess m_sim;
    SimTest::Client m_control;
    std::unique_ptr<Soak::EventDriver> m_events;
    std::unique_ptr<Soak::ServeProcess> m_serve;
    qint64 m_refreshesAtAdvance = 0;
    int m_clockAdvances = 0;
    int m_kills = 0;
    int m_restarts = 0;
    int m_unexpectedExits = 0;
    QStringList m_problems;
    QElapsedTimer m_wall;
};

bool SoakRun::setUp()
{
    if (m_o.workDir.isEmpty()) {
        m_tempDir = std::make_unique<QTemporaryDir>(QDir::temp().filePath(QStringLiteral("ml-soak-XXXXXX")));
        if (!m_tempDir->isValid()) {
            m_problems << QStringLiteral("cannot create a temporary directory");
            return false;
        }
        m_paths.workDir = m_tempDir->path();
    } else {
        m_paths.workDir = QFileInfo(m_o.workDir).absoluteFilePath();
        QDir().mkpath(m_paths.workDir);
    }
    m_paths.sim = m_o.sim;
    m_paths.cli = m_o.cli;
    m_paths.profile = QDir(m_paths.workDir).filePath(QStringLiteral("profile"));

    const int contacts = qMax(1, m_o.records * 2 / 3);
    QString why;
    if (!m_sim.start(m_o.sim,
                     {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--seed"),
                      QString::number(m_o.seed), QStringLiteral("--contacts"), QString::number(contacts),
                      QStringLiteral("--accounts"), QString::number(m_o.records - contacts)},
                     QDir(m_paths.workDir).filePath(QStringLiteral("sim.log")), &why)) {
        m_problems << why;
        return false;
    }
    m_control.setBase(m_sim.base());
    m_webhookPort = freePort();
    if (m_webhookPort == 0) {
        m_problems << QStringLiteral("no free loopback port for the webhook");
        return false;
    }
    m_events = std::make_unique<Soak::EventDriver>(m_control, m_o.seed);
    if (!m_events->loadIds()) {
        m_problems << QStringLiteral("the simulator does not list its records");
        return false;
    }
    m_serve = std::make_unique<Soak::ServeProcess>(m_paths);
    return configureProfile();
}

bool SoakRun::configureProfile()
{
    const QString base = m_sim.base().toString(QUrl::StripTrailingSlash);
    const QList<QPair<QString, QString>> settings{
        {QStringLiteral("zoho.dc"), QStringLiteral("custom")},
        {QStringLiteral("zoho.accounts_url"), base},
        {QStringLiteral("zoho.api_url"), base},
        {QStringLiteral("zoho.client_id"), QStringLiteral("sim-zoho-client-id")},
        {QStringLiteral("oracle.pod_url"), base},
        // OAuth, so Oracle's tokens expire too.
        {QStringLiteral("oracle.auth"), QStringLiteral("oauth")},
        {QStringLiteral("oracle.token_url"), base + QStringLiteral("/oauth2/v1/token")},
        {QStringLiteral("oracle.client_id"), QStringLiteral("sim-oracle-client-id")},
        {QStringLiteral("oracle.username"), QStringLiteral("integration.user")},
        // One fixed port, so the channels' notify_url stays right across restarts.
        {QStringLiteral("webhook.listen"), QStringLiteral("127.0.0.1:%1").arg(m_webhookPort)},
        {QStringLiteral("sync.poll_interval_s"), QStringLiteral("10")},
        {QStringLiteral("sync.reverse_interval_s"), QStringLiteral("15")},
        {QStringLiteral("channel.lifetime_s"), QStringLiteral("604800")},
    };
    for (const auto& [key, value] : settings) {
        const Soak::CliRun run = Soak::runCli(m_paths, {QStringLiteral("config"), QStringLiteral("set"), key, value});
        if (run.exitCode != 0) {
            m_problems << QStringLiteral("config set %1 failed: %2").arg(key, run.err.trimmed());
            return false;
        }
    }
    return true;
}

bool SoakRun::setFaults(bool withRetryAfter)
{
    const QJsonObject faults{{QStringLiteral("scope"), QStringLiteral("all")},
                             {QStringLiteral("token_expire_after_calls"), 50},
                             {QStringLiteral("rate_5xx"), 0.10},
                             {QStringLiteral("rate_429"), 0.05},
                             {QStringLiteral("retry_after_s"), withRetryAfter ? QJsonValue(1) : QJsonValue()},
                             {QStringLiteral("drop_rate"), 0.02},
                             {QStringLiteral("latency_spike_ms"), m_o.spikeMs},
                             {QStringLiteral("latency_spike_rate"), 0.005}};
    const auto r = m_control.control("POST", QStringLiteral("/_sim/faults"), faults);
    if (r.status != 200)
        m_problems << QStringLiteral("cannot set the faults: %1").arg(r.describe());
    return r.status == 200;
}

// Zoho allows 10 token refreshes in 10 minutes, and every start of serve is one. A real server is not
// restarted a dozen times a minute: move the simulator's clock past the window while serve is down.
void SoakRun::keepRefreshWindowOpen(bool force)
{
    const qint64 refreshes =
        m_control.get(QStringLiteral("/_sim/stats")).json().value(QStringLiteral("token_refreshes")).toInteger();
    if (!force && refreshes - m_refreshesAtAdvance < 6)
        return;
    if (m_control.advanceClock(601).status == 200) {
        m_refreshesAtAdvance = refreshes;
        ++m_clockAdvances;
    }
}

void SoakRun::liveFor(qint64 ms)
{
    const qint64 gapMs = qMax<qint64>(1, qint64(1000.0 / m_o.rate));
    QElapsedTimer life;
    life.start();
    qint64 next = 0;
    while (life.elapsed() < ms) {
        if (!m_serve->isRunning())
            return;
        if (life.elapsed() >= next) {
            m_events->sendOne(false);
            next += gapMs;
        }
        QTest::qWait(int(qBound<qint64>(qint64(1), next - life.elapsed(), qint64(20))));
    }
}

bool SoakRun::restart()
{
    QString why;
    if (!m_serve->start(&why)) {
        m_problems << why;
        return false;
    }
    ++m_restarts;
    return true;
}

bool SoakRun::drain(qint64* drainMs)
{
    const Soak::OutboxProbe probe(QDir(m_paths.profile).filePath(QStringLiteral("ml-connector.db")));
    const QString log = m_serve->logPath();
    const qint64 logOffset = QFileInfo(log).size();
    QElapsedTimer timer;
    timer.start();
    QByteArray lastFingerprint;
    qint64 lastTotal = -1;
    qint64 quietSince = -1;
    while (timer.elapsed() < qint64(m_o.drainTimeoutS) * 1000) {
        QTest::qWait(1000);
        if (!m_serve->isRunning()) {
            m_problems << QStringLiteral("serve exited during the drain");
            return false;
        }
        const Soak::OutboxState state = probe.read();
        const QByteArray fingerprint = oracleFingerprint(m_control);
        // Two finished polls per module after the faults stopped: the second began after it, so every
        // change made while serve was down has been listed.
        const bool polled =
            countIn(log, logOffset, "Polled Contacts:") >= 2 && countIn(log, logOffset, "Polled Accounts:") >= 2;
        const bool quiet = state.readable && state.pending == 0 && state.running == 0 && polled &&
                           fingerprint == lastFingerprint && state.total() == lastTotal;
        lastFingerprint = fingerprint;
        lastTotal = state.total();
        if (!quiet) {
            quietSince = -1;
            continue;
        }
        if (quietSince < 0)
            quietSince = timer.elapsed();
        if (timer.elapsed() - quietSince >= 5000) {
            *drainMs = timer.elapsed();
            return true;
        }
    }
    const Soak::OutboxState state = probe.read();
    m_problems << QStringLiteral("serve did not drain within %1 s (outbox: %2 pending, %3 running)")
                      .arg(m_o.drainTimeoutS)
                      .arg(state.pending)
                      .arg(state.running);
    *drainMs = timer.elapsed();
    return false;
}

int SoakRun::run()
{
    m_wall.start();
    if (!setUp() || !setFaults(true)) {
        for (const QString& p : std::as_const(m_problems))
            out() << "ml-soak: " << p << '\n';
        return 2;
    }
    out() << "ml-soak: seed " << m_o.seed << ", " << m_o.records << " records, " << m_o.kills << " kills, work in "
          << m_paths.workDir << '\n';
    out().flush();

    if (!restart())
        return checkAndReport(false, -1, 0);
    const double meanLifeMs = m_o.durationS * 1000.0 / m_o.kills;
    for (int k = 0; k < m_o.kills; ++k) {
        const qint64 lifeMs = qint64(meanLifeMs * (0.3 + 1.4 * m_rng.generateDouble()));
        liveFor(lifeMs);
        if (!m_serve->isRunning()) {
            ++m_unexpectedExits;
            m_problems
                << QStringLiteral("serve exited by itself in life %1 (see %2)").arg(k + 1).arg(m_serve->logPath());
        } else if (m_serve->kill()) {
            ++m_kills;
        }
        // While serve is dead: changes whose callbacks go nowhere; only polling finds them.
        const int whileDown = int(m_rng.bounded(7u));
        for (int i = 0; i < whileDown; ++i)
            m_events->sendOne(true);
        setFaults(k % 2 == 1); // 429 with and without Retry-After
        keepRefreshWindowOpen(k == m_o.kills - 1);
        if (!restart())
            return checkAndReport(false, -1, 0);
        out() << "kill " << (k + 1) << "/" << m_o.kills << " after " << lifeMs << " ms; " << whileDown
              << " changes while down; restarted\n";
        out().flush();
    }
    // The last life starts under faults too; then the faults stop and serve drains.
    liveFor(qint64(meanLifeMs));
    if (m_control.control("DELETE", QStringLiteral("/_sim/faults")).status != 200)
        m_problems << QStringLiteral("cannot clear the faults");
    qint64 drainMs = 0;
    const bool drained = drain(&drainMs);
    const int code = m_serve->terminate(120000);
    if (code != 0)
        m_problems << QStringLiteral("serve did not stop cleanly on SIGTERM (exit %1)").arg(code);
    return checkAndReport(drained, code, drainMs);
}

int SoakRun::checkAndReport(bool drained, int terminateCode, qint64 drainMs)
{
    const QString dbPath = QDir(m_paths.profile).filePath(QStringLiteral("ml-connector.db"));
    const Soak::OutboxState outbox = Soak::OutboxProbe(dbPath).read();
    auto db = Core::Database::open(dbPath);
    if (!db) {
        out() << "ml-soak: cannot open " << dbPath << ": " << db.error().message << '\n';
        return 2;
    }
    Core::MappingStore mappings(*db.value());
    Core::MappingSet mapping = Core::MappingSet::defaults();
    if (auto latest = mappings.latest(); latest && latest.value()) {
        auto parsed = Core::MappingSet::fromJson(latest.value()->json.toUtf8());
        if (parsed)
            mapping = parsed.value();
    }
    Core::AuditLog audit(*db.value());
    QHash<QString, QJsonArray> zoho;
    for (const QString& module : {QStringLiteral("Contacts"), QStringLiteral("Accounts")})
        zoho.insert(module, SimTest::listOf(m_control.get(QStringLiteral("/_sim/zoho/") + module)));
    const QJsonArray oracle = SimTest::listOf(m_control.get(QStringLiteral("/_sim/oracle/accounts")));
    const Soak::CheckCounts c = Soak::Verifier(mapping, QStringLiteral("ZOHOCRM")).check(zoho, oracle, audit);
    Core::AuditFilter failedFilter;
    failedFilter.outcomes = {QStringLiteral("failed"), QStringLiteral("dead")};
    const auto failedEvents = audit.count(failedFilter);

    const QJsonObject stats = m_control.get(QStringLiteral("/_sim/stats")).json();
    const QJsonObject faults = stats.value(QStringLiteral("faults_injected")).toObject();
    const Soak::EventCounts& e = m_events->counts();

    out() << "\n== ml-soak results ==\n";
    out() << "kills survived:        " << m_kills << " (asked " << m_o.kills << "; restarts " << m_restarts
          << ", unexpected exits " << m_unexpectedExits << ")\n";
    out() << "events sent:           " << e.total() << " (" << e.creates << " creates, " << e.edits << " edits; "
          << e.whileDown << " while serve was down; " << e.badVersions << " unmappable; " << e.refused << " refused)\n";
    out() << "records checked:       " << c.checked << " of " << c.zohoRecords << " Zoho records (" << c.rejected
          << " rejected by the mapper)\n";
    out() << "missing:               " << c.missing << '\n';
    out() << "duplicated:            " << c.duplicated << '\n';
    out() << "wrong fields:          " << c.wrongFields << " (in " << c.recordsWrong << " records)\n";
    out() << "orphans in Oracle:     " << c.orphans << '\n';
    out() << "rejected, not failed in audit: " << c.rejectedUnreported << '\n';
    out() << "audit failed events:   " << (failedEvents ? QString::number(failedEvents.value()) : QStringLiteral("?"))
          << '\n';
    out() << "outbox at the end:     " << outbox.done << " done, " << outbox.failed << " failed, " << outbox.dead
          << " dead, " << outbox.pending << " pending, " << outbox.running << " running\n";
    out() << "faults injected:       ";
    for (auto it = faults.begin(); it != faults.end(); ++it)
        out() << it.key() << ' ' << it.value().toInteger() << "  ";
    out() << "(total " << stats.value(QStringLiteral("faults_injected_total")).toInteger() << ")\n";
    out() << "sim api calls:         " << stats.value(QStringLiteral("statuses")).toObject().size()
          << " statuses; token refreshes " << stats.value(QStringLiteral("token_refreshes")).toInteger()
          << "; clock moved " << m_clockAdvances << " x 601 s past Zoho's refresh window\n";
    out() << "drain:                 "
          << (drained ? QStringLiteral("%1 s").arg(drainMs / 1000.0, 0, 'f', 1) : QStringLiteral("did not finish"))
          << "; SIGTERM exit " << terminateCode << '\n';
    out() << "wall time:             " << QString::number(m_wall.elapsed() / 1000.0, 'f', 1) << " s\n";
    for (const QString& s : c.samples)
        out() << "  - " << s << '\n';
    for (const QString& p : std::as_const(m_problems))
        out() << "  ! " << p << '\n';

    const bool pass = drained && terminateCode == 0 && m_kills >= m_o.kills && m_unexpectedExits == 0 &&
                      c.discrepancies() == 0 && c.checked > 0 && e.refused == 0 && m_problems.isEmpty();
    if (!pass && m_tempDir)
        m_tempDir->setAutoRemove(false);
    out() << (pass ? "PASS" : "FAIL")
          << (pass ? QString() : QStringLiteral(" (profile and logs kept in %1)").arg(m_paths.workDir)) << '\n';
    out().flush();
    return pass ? 0 : 1;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ml-soak"));
    QString why;
    const auto options = parse(QCoreApplication::arguments(), &why);
    if (!options) {
        out() << "ml-soak: " << why << '\n';
        return 2;
    }
    SoakRun soak(*options);
    return soak.run();
}
