// No secret at rest or in a log: the real ml-connector-cli runs everything a user runs against the
// simulator with debug logging on (config, secrets from the environment and from stdin into a real
// keychain, ping, full sync, serve with webhook events, the reverse flow and forced token refreshes on
// both sides, replay, audit export), and then every file of the profile (config.ini, the SQLite file
// and its -wal/-shm, also copied while serve was running, credential-keys.json, the exports) and every
// captured stdout/stderr is searched for every secret the simulator issued or accepts
// (GET /_sim/secrets: client secrets, refresh tokens, access tokens, passwords), raw, as an
// Authorization header, URL-encoded and base64-encoded.
//
// Channel verification tokens are the one exception, by design: Zoho echoes a channel's token in
// every callback and signs nothing, so the receiver must keep the token to check callbacks, and it
// lives in the channel table of the database (per-user profile directory, mode 0700). They may be
// found there and nowhere else: not in config.ini, exports, logs or the outbox.
#include "CliHarness.h"

#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTest>

#include <memory>

namespace {

constexpr int kWaitMs = 180000; // generous: two loaded cores

template <typename Pred>
bool waitFor(Pred pred, int ms = kWaitMs)
{
    QElapsedTimer t;
    t.start();
    while (!pred()) {
        if (t.elapsed() > ms)
            return false;
        QTest::qWait(100);
    }
    return true;
}

bool isDatabaseFile(const QString& path)
{
    const QString name = QFileInfo(path).fileName();
    return name == QLatin1String("ml-connector.db") || name == QLatin1String("ml-connector.db-wal") ||
           name == QLatin1String("ml-connector.db-shm");
}

// One value of a read-only query on a SQLite file another process may be writing.
QVariant scalar(const QString& file, const QString& sql)
{
    const QString name = QStringLiteral("scalar-%1").arg(QRandomGenerator::global()->generate());
    QVariant value;
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(file);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY;QSQLITE_BUSY_TIMEOUT=5000"));
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(sql) && q.next())
                value = q.value(0);
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(name);
    return value;
}

QString endpointCount(const QJsonObject& stats, const QString& endpoint)
{
    return QString::number(stats.value(QStringLiteral("endpoints")).toObject().value(endpoint).toInt());
}

int endpoints(const QJsonObject& stats, const QString& endpoint)
{
    return stats.value(QStringLiteral("endpoints")).toObject().value(endpoint).toInt();
}

} // namespace

class tst_SecretLeaks : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString why;
        m_base = SimTest::startSimulator(m_simulator,
                                         {QStringLiteral("--seed"), QStringLiteral("11"),
                                          QStringLiteral("--callback-timeout-ms"), QStringLiteral("60000")},
                                         &why);
        QVERIFY2(m_base.isValid(), qPrintable(why));
        m_control.setBase(m_base);
        const auto reset = m_control.reset(QJsonObject{{QStringLiteral("seed"), 11}, {QStringLiteral("demo"), true}});
        QVERIFY2(reset.status == 200, qPrintable(reset.describe()));
        QVERIFY(m_logs.isValid() && m_cli.valid());
        if (qEnvironmentVariableIsSet("ML_KEEP_TEST_FILES")) { // to look at a failure
            m_logs.setAutoRemove(false);
            m_keychainHome.setAutoRemove(false);
            m_cli.keepFiles();
            qInfo().noquote() << "keeping" << m_logs.path() << m_keychainHome.path() << m_cli.profile();
        }
        m_cli.environment().insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("ml.*.debug=true"));
        m_cli.setLogFiles(m_logs.filePath(QStringLiteral("env-cli.stdout.log")),
                          m_logs.filePath(QStringLiteral("env-cli.stderr.log")));
    }

    // Secrets from the environment (--secrets-from-env), the keychain-less path of servers.
    void aFullRunWithSecretsFromTheEnvironment()
    {
        const QString configured =
            m_cli.configureFor(m_base, {{QStringLiteral("webhook.listen"), QStringLiteral("127.0.0.1:0")},
                                        {QStringLiteral("sync.poll_interval_s"), QStringLiteral("10")},
                                        {QStringLiteral("sync.reverse_interval_s"), QStringLiteral("10")},
                                        // Far below the default 1 MiB: shows serve takes the profile's limits.
                                        {QStringLiteral("webhook.max_body_bytes"), QStringLiteral("2048")}});
        QVERIFY2(configured.isEmpty(), qPrintable(configured));
        for (const QString& side : {QStringLiteral("zoho"), QStringLiteral("oracle")}) {
            const CliTest::Run ping = m_cli.run({QStringLiteral("ping"), side});
            QVERIFY2(ping.exitCode == 0, qPrintable(ping.all()));
        }
        // The demo set holds one record Oracle refuses: exit 1.
        const CliTest::Run sync = m_cli.run({QStringLiteral("sync"), QStringLiteral("--full")});
        QVERIFY2(sync.exitCode == 0 || sync.exitCode == 1, qPrintable(sync.all()));
        QVERIFY2(m_cli.run({QStringLiteral("config"), QStringLiteral("show")}).exitCode == 0, "config show failed");

        // Oracle through its IAM token from here on, so both sides have access tokens to refresh.
        const QString oauth =
            m_cli.configureFor(m_base, {{QStringLiteral("oracle.auth"), QStringLiteral("oauth")},
                                        {QStringLiteral("oracle.token_url"), m_base.toString(QUrl::StripTrailingSlash) +
                                                                                 QStringLiteral("/oauth2/v1/token")},
                                        {QStringLiteral("oracle.client_id"), SimTest::kOracleClientId}});
        QVERIFY2(oauth.isEmpty(), qPrintable(oauth));
        const CliTest::Run ping = m_cli.run({QStringLiteral("ping"), QStringLiteral("oracle")});
        QVERIFY2(ping.exitCode == 0, qPrintable(ping.all()));

        // Access tokens die after a few calls: serve must refresh them, on both sides, while running.
        for (const QString& scope : {QStringLiteral("zoho"), QStringLiteral("oracle")}) {
            const auto fault = m_control.control(
                "POST", QStringLiteral("/_sim/faults"),
                QJsonObject{{QStringLiteral("token_expire_after_calls"), 8}, {QStringLiteral("scope"), scope}});
            QVERIFY2(fault.status == 200, qPrintable(fault.describe()));
        }
        // Zoho allows ten refreshes per refresh token in ten minutes; every CLI run starts with one.
        QVERIFY(m_control.advanceClock(601).status == 200);
        const QJsonObject before = m_control.get(QStringLiteral("/_sim/stats")).json();

        auto serve = std::make_unique<CliTest::Serve>(m_cli);
        QVERIFY(serve->start());
        // The "serving: webhook at …" line is flushed at once (a supervisor waits for it).
        QVERIFY2(waitFor([&] { return !serve->running() || serve->webhookPort() != 0; }), qPrintable(serve->output()));
        QVERIFY2(serve->running(), qPrintable(serve->output()));
        {
            // webhook.max_body_bytes from the profile: 4 KiB is refused, as 1 MiB would not be.
            QTcpSocket socket;
            QByteArray answer;
            connect(&socket, &QTcpSocket::readyRead, this, [&] { answer += socket.readAll(); });
            socket.connectToHost(QHostAddress::LocalHost, serve->webhookPort());
            QVERIFY(socket.waitForConnected(30000));
            socket.write("POST /zoho/notify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                         "Content-Length: 4096\r\n\r\n" +
                         QByteArray(4096, ' '));
            QVERIFY2(waitFor([&] { return answer.startsWith("HTTP/1.1 "); }, 60000), answer.constData());
            QVERIFY2(answer.startsWith("HTTP/1.1 413"), answer.left(100).constData());
            socket.disconnect(this);
        }
        QVERIFY2(waitFor([&] {
                     return !serve->running() ||
                            SimTest::listOf(m_control.get(QStringLiteral("/_sim/channels"))).size() == 2;
                 }),
                 qPrintable(serve->output().right(3000)));

        // Zoho users edit records: callbacks reach the receiver and the changes reach Oracle.
        const QJsonArray contacts = SimTest::listOf(m_control.get(QStringLiteral("/_sim/zoho/Contacts")));
        QVERIFY(contacts.size() > 10);
        QStringList edited;
        for (int i = 0; i < 4; ++i) {
            const QString id = contacts.at(i * 7).toObject().value(QStringLiteral("id")).toString();
            const QString email = QStringLiteral("leak.check.%1@example.com").arg(i);
            const auto edit = m_control.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + id,
                                                QJsonObject{{QStringLiteral("Email"), email}});
            QVERIFY2(edit.status == 200, qPrintable(edit.describe()));
            edited << id + QLatin1Char('=') + email;
        }
        QVERIFY2(waitFor([&] {
                     int landed = 0;
                     for (const auto& a : SimTest::listOf(m_control.get(QStringLiteral("/_sim/oracle/accounts")))) {
                         const QJsonObject o = a.toObject();
                         const QString key = o.value(QStringLiteral("SourceSystemReferenceValue")).toString() +
                                             QLatin1Char('=') + o.value(QStringLiteral("EmailAddress")).toString();
                         landed += edited.contains(key) ? 1 : 0;
                     }
                     return landed == edited.size() || !serve->running();
                 }),
                 qPrintable(serve->output().right(3000)));
        QVERIFY2(
            scalar(m_cli.databasePath(), QStringLiteral("SELECT COUNT(*) FROM audit_event WHERE source = 'webhook'"))
                    .toInt() >= edited.size(),
            "the webhook events are not in the audit trail");
        // The reverse flow writes to Zoho (every 10 s), and both sides refreshed expired tokens.
        QVERIFY2(waitFor([&] {
                     const QJsonObject now = m_control.get(QStringLiteral("/_sim/stats")).json();
                     return !serve->running() ||
                            (scalar(m_cli.databasePath(),
                                    QStringLiteral("SELECT COUNT(*) FROM audit_event WHERE direction = 'to_zoho'"))
                                     .toInt() > 0 &&
                             endpoints(now, QStringLiteral("zoho.token")) >=
                                 endpoints(before, QStringLiteral("zoho.token")) + 2 &&
                             endpoints(now, QStringLiteral("oracle.token")) >=
                                 endpoints(before, QStringLiteral("oracle.token")) + 2);
                 }),
                 qPrintable(QStringLiteral("token calls before %1/%2, now %3/%4; serve: %5")
                                .arg(endpointCount(before, QStringLiteral("zoho.token")),
                                     endpointCount(before, QStringLiteral("oracle.token")),
                                     endpointCount(m_control.get(QStringLiteral("/_sim/stats")).json(),
                                                   QStringLiteral("zoho.token")),
                                     endpointCount(m_control.get(QStringLiteral("/_sim/stats")).json(),
                                                   QStringLiteral("oracle.token")),
                                     serve->output().right(3000))));
        QVERIFY2(serve->running(), qPrintable(serve->output().right(3000)));
        // The files as they are while serve runs: the WAL and shared memory hold the newest pages.
        QVERIFY(copyTree(m_cli.profile(), m_logs.filePath(QStringLiteral("live-profile"))));
        QVERIFY2(serve->stop(), qPrintable(serve->output().right(3000)));
        serve.reset();
        QVERIFY(m_control.control("DELETE", QStringLiteral("/_sim/faults")).status == 200);
        QVERIFY(m_control.advanceClock(601).status == 200);

        const CliTest::Run replay = m_cli.run({QStringLiteral("replay"), QStringLiteral("--failed")});
        QVERIFY2(replay.exitCode == 0 || replay.exitCode == 1, qPrintable(replay.all()));
        const CliTest::Run replayOne =
            m_cli.run({QStringLiteral("replay"), edited.first().section(QLatin1Char('='), 0, 0)});
        QVERIFY2(replayOne.exitCode == 0, qPrintable(replayOne.all()));
        QVERIFY(QDir(m_cli.profile()).mkpath(QStringLiteral("exports")));
        for (const QString& format : {QStringLiteral("csv"), QStringLiteral("jsonl")}) {
            const QString file = QDir(m_cli.profile()).filePath(QStringLiteral("exports/audit.") + format);
            const CliTest::Run r = m_cli.run({QStringLiteral("audit"), QStringLiteral("export"),
                                              QStringLiteral("--format"), format, QStringLiteral("--output"), file});
            QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
            QVERIFY(QFileInfo(file).size() > 1000);
        }
        for (const QStringList& args : {QStringList{QStringLiteral("audit"), QStringLiteral("--json"),
                                                    QStringLiteral("--limit"), QStringLiteral("500")},
                                        QStringList{QStringLiteral("channels"), QStringLiteral("--json")}}) {
            const CliTest::Run r = m_cli.run(args);
            QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
        }
        // Debug logging really was on: the scan below reads what a verbose run prints.
        QFile err(m_logs.filePath(QStringLiteral("env-cli.stderr.log")));
        QVERIFY(err.open(QIODevice::ReadOnly));
        const QByteArray log = err.readAll();
        QVERIFY2(log.contains("ml.") && log.size() > 10000, "the debug log is missing or short");
        m_envRunDone = true;
    }

    // `secret set` reads each value from stdin into the real keychain (gnome-keyring on a private
    // D-Bus session, under a throw-away HOME); ping and sync then read them from there.
    void secretsFromStdinIntoTheKeychain()
    {
        const QString dbus = QStandardPaths::findExecutable(QStringLiteral("dbus-run-session"));
        const QString keyring = QStandardPaths::findExecutable(QStringLiteral("gnome-keyring-daemon"));
        if (dbus.isEmpty() || keyring.isEmpty())
            QSKIP("dbus-run-session or gnome-keyring-daemon is not installed (Debian: dbus, gnome-keyring)");
        QVERIFY(m_keychainHome.isValid());
        m_keychain = std::make_unique<CliTest::Cli>(QProcessEnvironment::systemEnvironment());
        QVERIFY(m_keychain->valid());
        if (qEnvironmentVariableIsSet("ML_KEEP_TEST_FILES"))
            m_keychain->keepFiles();
        QProcessEnvironment& env = m_keychain->environment();
        const QString home = m_keychainHome.path();
        QVERIFY(QDir(home).mkpath(QStringLiteral("runtime")));
        QFile::setPermissions(home + QStringLiteral("/runtime"),
                              QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
        env.insert(QStringLiteral("HOME"), home);
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/.config"));
        env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/.local/share"));
        env.insert(QStringLiteral("XDG_CACHE_HOME"), home + QStringLiteral("/.cache"));
        env.insert(QStringLiteral("XDG_RUNTIME_DIR"), home + QStringLiteral("/runtime"));
        for (const QString& name : {QStringLiteral("DBUS_SESSION_BUS_ADDRESS"), QStringLiteral("GNOME_KEYRING_CONTROL"),
                                    QStringLiteral("DISPLAY"), QStringLiteral("WAYLAND_DISPLAY"),
                                    QStringLiteral("ZOHO_CLIENT_SECRET"), QStringLiteral("ZOHO_REFRESH_TOKEN"),
                                    QStringLiteral("ORACLE_PASSWORD"), QStringLiteral("ORACLE_CLIENT_SECRET")})
            env.remove(name);
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("ml.*.debug=true"));
        // Each run gets its own bus and daemon; the login keyring (password "pw") persists in HOME.
        m_keychain->setWrapper(dbus, {QStringLiteral("--"), QStringLiteral("sh"), QStringLiteral("-c"),
                                      QStringLiteral("printf pw | '%1' --unlock --components=secrets >/dev/null; "
                                                     "exec \"$0\" \"$@\"")
                                          .arg(keyring)});
        m_keychain->setLogFiles(m_logs.filePath(QStringLiteral("keychain-cli.stdout.log")),
                                m_logs.filePath(QStringLiteral("keychain-cli.stderr.log")));
        const QString configured = m_keychain->configureFor(m_base);
        QVERIFY2(configured.isEmpty(), qPrintable(configured));
        const QList<QPair<QString, QString>> secrets{
            {QStringLiteral("zoho.client_secret"), SimTest::kZohoClientSecret},
            {QStringLiteral("zoho.refresh_token"), SimTest::kZohoRefreshToken},
            {QStringLiteral("oracle.password"), SimTest::kOraclePassword},
            {QStringLiteral("oracle.client_secret"), SimTest::kOracleClientSecret}};
        for (const auto& [name, value] : secrets) {
            const CliTest::Run set =
                m_keychain->run({QStringLiteral("secret"), QStringLiteral("set"), name}, value.toUtf8() + '\n', false);
            if (set.exitCode != 0 && set.all().contains(QStringLiteral("keychain"), Qt::CaseInsensitive) &&
                name == secrets.first().first)
                QSKIP(qPrintable(QStringLiteral("no usable keychain here: ") + set.all().left(300)));
            QVERIFY2(set.exitCode == 0, qPrintable(set.all()));
            QVERIFY2(set.err.contains(QStringLiteral("stored in the keychain")), qPrintable(set.all()));
        }
        for (const QString& side : {QStringLiteral("zoho"), QStringLiteral("oracle")}) {
            const CliTest::Run ping = m_keychain->run({QStringLiteral("ping"), side}, {}, false);
            QVERIFY2(ping.exitCode == 0, qPrintable(ping.all()));
        }
        const CliTest::Run sync = m_keychain->run({QStringLiteral("sync"), QStringLiteral("--full")}, {}, false);
        QVERIFY2(sync.exitCode == 0 || sync.exitCode == 1, qPrintable(sync.all()));
        QVERIFY2(sync.out.contains(QStringLiteral("created ")), qPrintable(sync.all()));
        QVERIFY(QFileInfo::exists(QDir(m_keychain->profile()).filePath(QStringLiteral("credential-keys.json"))));
        m_keychainRunDone = true;
    }

    void noSecretInAnyFileOrLog()
    {
        QVERIFY2(m_envRunDone, "the run above failed");
        int count = 0;
        QStringList channelTokens;
        const QList<CliTest::Needle> secrets = CliTest::simSecrets(m_control, &channelTokens, &count);
        // The four configured credentials plus the access tokens issued to both sides (several per
        // side: the faults made them expire).
        QVERIFY2(count >= 8, qPrintable(QString::number(count)));
        QCOMPARE(channelTokens.size() >= 2, true);
        QList<CliTest::Needle> channelNeedles;
        for (int i = 0; i < channelTokens.size(); ++i)
            channelNeedles += CliTest::needlesFor(QStringLiteral("channel token #%1").arg(i + 1), channelTokens.at(i));

        QStringList files = CliTest::filesUnder(m_cli.profile()) + CliTest::filesUnder(m_logs.path());
        if (m_keychain)
            files += CliTest::filesUnder(m_keychain->profile()) + CliTest::filesUnder(m_keychainHome.path());
        for (const QString& must : {QDir(m_cli.profile()).filePath(QStringLiteral("config.ini")), m_cli.databasePath(),
                                    QDir(m_cli.profile()).filePath(QStringLiteral("exports/audit.csv")),
                                    QDir(m_cli.profile()).filePath(QStringLiteral("exports/audit.jsonl")),
                                    m_logs.filePath(QStringLiteral("env-cli.stderr.log")),
                                    m_logs.filePath(QStringLiteral("live-profile/ml-connector.db-wal"))})
            QVERIFY2(files.contains(must), qPrintable(must + QStringLiteral(" was not written")));
        if (m_keychainRunDone)
            QVERIFY(files.contains(QDir(m_keychain->profile()).filePath(QStringLiteral("credential-keys.json"))));

        if (qEnvironmentVariableIsSet("ML_KEEP_TEST_FILES"))
            qInfo().noquote() << "scanning" << files.join(QLatin1Char(' '));
        QStringList databaseFiles;
        QStringList otherFiles;
        for (const QString& f : std::as_const(files))
            (isDatabaseFile(f) ? databaseFiles : otherFiles) << f;
        const QList<CliTest::Leak> leaks =
            CliTest::scanFiles(files, secrets) + CliTest::scanFiles(otherFiles, channelNeedles);
        QVERIFY2(leaks.isEmpty(), qPrintable(CliTest::describe(leaks)));

        // Where the channel tokens are allowed, they are in the channel table only (not the outbox
        // or the audit trail, which the exports above also cover).
        QVERIFY2(CliTest::findNeedles(readAll(m_cli.databasePath()) +
                                          readAll(m_cli.databasePath() + QStringLiteral("-wal")) +
                                          readAll(m_logs.filePath(QStringLiteral("live-profile/ml-connector.db-wal"))) +
                                          readAll(m_logs.filePath(QStringLiteral("live-profile/ml-connector.db"))),
                                      channelNeedles)
                         .size() > 0,
                 "the channel tokens are not in the database: the scan cannot be looking at the right files");
        for (const QString& token : std::as_const(channelTokens))
            for (const QString& sql :
                 {QStringLiteral("SELECT COUNT(*) FROM outbox WHERE instr(payload, '%1') > 0"),
                  QStringLiteral("SELECT COUNT(*) FROM audit_event WHERE instr(coalesce(request, '') "
                                 "|| coalesce(response, '') || coalesce(reason, ''), '%1') > 0")})
                QCOMPARE(scalar(m_cli.databasePath(), sql.arg(token)).toInt(), 0);
        qInfo().noquote() << QStringLiteral("scanned %1 files (%2 database files) for %3 secrets in %4 forms and %5 "
                                            "channel tokens")
                                 .arg(files.size())
                                 .arg(databaseFiles.size())
                                 .arg(count)
                                 .arg(secrets.size())
                                 .arg(channelTokens.size());
    }

    // Negative self-check: a secret planted where a leak would be (a row of the real database, a
    // log line, the config) is found, in each form.
    void theScanFindsAPlantedSecret()
    {
        QVERIFY2(m_envRunDone, "the run above failed");
        const QList<CliTest::Needle> secrets = CliTest::simSecrets(m_control);
        QTemporaryDir planted;
        QVERIFY(copyTree(m_cli.profile(), planted.path()));
        const QString db = QDir(planted.path()).filePath(QStringLiteral("ml-connector.db"));
        const QString accessToken = accessTokenIssued();
        QVERIFY2(!accessToken.isEmpty(), "the simulator lists no access token");
        // Into the audit trail of the copy, as a careless error message would put it.
        {
            QSqlDatabase conn = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("plant"));
            conn.setDatabaseName(db);
            QVERIFY(conn.open());
            QSqlQuery q(conn);
            QVERIFY2(q.exec(QStringLiteral("UPDATE audit_event SET reason = 'refused: Authorization: "
                                           "Zoho-oauthtoken %1' WHERE id = (SELECT MIN(id) FROM audit_event)")
                                .arg(accessToken)),
                     qPrintable(q.lastError().text()));
            QVERIFY(q.numRowsAffected() == 1);
            conn.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("plant"));
        QList<CliTest::Leak> leaks = CliTest::scanFiles({db, db + QStringLiteral("-wal")}, secrets);
        QVERIFY2(!leaks.isEmpty(), "a token planted in the database was not found");

        // Each form of each kind of secret, in a log file.
        const QList<QPair<QString, QByteArray>> forms{
            {QStringLiteral("raw"), SimTest::kZohoClientSecret.toUtf8()},
            {QStringLiteral("header"), "Authorization: Bearer " + accessToken.toUtf8()},
            {QStringLiteral("url-encoded"), "refresh_token=" + QUrl::toPercentEncoding(SimTest::kZohoRefreshToken)},
            {QStringLiteral("base64"), "secret=" + SimTest::kOracleClientSecret.toUtf8().toBase64()},
            {QStringLiteral("basic"),
             "Authorization: Basic " +
                 (SimTest::kOracleUser + QLatin1Char(':') + SimTest::kOraclePassword).toUtf8().toBase64()},
        };
        for (const auto& [form, bytes] : forms) {
            const QString log = QDir(planted.path()).filePath(QStringLiteral("planted-%1.log").arg(form));
            QFile f(log);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("debug: something happened; " + bytes + " and more\n");
            f.close();
            leaks = CliTest::scanFiles({log}, secrets);
            QVERIFY2(!leaks.isEmpty(), qPrintable(QStringLiteral("a %1 secret was not found").arg(form)));
        }
        // And the scan of the untouched files stays clean, so the findings above came from the plants.
        QVERIFY(CliTest::scanFiles({QDir(planted.path()).filePath(QStringLiteral("config.ini"))}, secrets).isEmpty());
    }

private:
    static QByteArray readAll(const QString& path)
    {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }

    static bool copyTree(const QString& from, const QString& to)
    {
        for (const QString& file : CliTest::filesUnder(from)) {
            const QString target = QDir(to).filePath(QDir(from).relativeFilePath(file));
            QDir().mkpath(QFileInfo(target).absolutePath());
            QFile::remove(target);
            if (!QFile::copy(file, target))
                return false;
        }
        return true;
    }

    // An access token the simulator issued (not one of the configured credentials).
    QString accessTokenIssued()
    {
        const QJsonObject o = m_control.get(QStringLiteral("/_sim/secrets")).json();
        const QStringList configured{SimTest::kZohoClientSecret, SimTest::kZohoRefreshToken, SimTest::kOraclePassword,
                                     SimTest::kOracleClientSecret};
        for (const auto& v : o.value(QStringLiteral("zoho")).toArray())
            if (!configured.contains(v.toString()) && v.toString().size() >= 8)
                return v.toString();
        return {};
    }

    Core::SimulatorLauncher m_simulator;
    QUrl m_base;
    SimTest::Client m_control;
    QTemporaryDir m_logs;
    CliTest::Cli m_cli;
    QTemporaryDir m_keychainHome;
    std::unique_ptr<CliTest::Cli> m_keychain;
    bool m_envRunDone = false;
    bool m_keychainRunDone = false;
};

QTEST_GUILESS_MAIN(tst_SecretLeaks)
#include "tst_SecretLeaks.moc"
