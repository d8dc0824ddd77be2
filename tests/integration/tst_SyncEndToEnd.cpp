// The sync as a user runs it: the real ml-connector-cli process, a real profile directory and
// SQLite file, the simulator over loopback HTTP.
#include "SimTestClient.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

namespace {
struct Run
{
    int exitCode = -1;
    QString out;
    QString err;
};

QString cliPath()
{
    return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("ml-connector-cli"));
}
} // namespace

class tst_SyncEndToEnd : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString problem;
        m_base = SimTest::startSimulator(m_simulator, {QStringLiteral("--seed"), QStringLiteral("3")}, &problem);
        QVERIFY2(m_base.isValid(), qPrintable(problem));
        m_control.setBase(m_base);
    }

    void init()
    {
        QVERIFY(m_control.control("DELETE", QStringLiteral("/_sim/faults")).status == 200);
        const auto reset = m_control.reset(QJsonObject{{QStringLiteral("seed"), 3}, {QStringLiteral("demo"), true}});
        QVERIFY2(reset.status == 200, qPrintable(reset.describe()));
        m_profile = std::make_unique<QTemporaryDir>();
        configure();
    }

    void fullSyncOfTheDemoDataPutsEveryRecordInOracleWithTheRightFields()
    {
        const Run run = cli({QStringLiteral("sync"), QStringLiteral("--full")});
        // The demo set holds one account whose 400-character name Oracle cannot take.
        QCOMPARE(run.exitCode, 1);
        QVERIFY2(run.out.contains(QStringLiteral("failed 1")), qPrintable(run.out + run.err));

        const auto oracle = accountsByReference();
        int checked = 0;
        for (const QString& module : {QStringLiteral("Contacts"), QStringLiteral("Accounts")}) {
            const QJsonArray records = SimTest::listOf(m_control.get(QStringLiteral("/_sim/zoho/") + module));
            QVERIFY(records.size() >= 100);
            for (const auto& value : records) {
                const QJsonObject r = value.toObject();
                const QString id = r.value(QStringLiteral("id")).toString();
                const QString name = module == QLatin1String("Contacts")
                                         ? QString(r.value(QStringLiteral("First_Name")).toString() + QLatin1Char(' ') +
                                                   r.value(QStringLiteral("Last_Name")).toString())
                                               .simplified()
                                         : r.value(QStringLiteral("Account_Name")).toString().trimmed();
                if (name.size() > 360) {
                    QCOMPARE(oracle.count(id), 0); // the bad record is not half-written
                    continue;
                }
                QVERIFY2(
                    oracle.count(id) == 1,
                    qPrintable(QStringLiteral("%1 %2 is in Oracle %3 times").arg(module, id).arg(oracle.count(id))));
                const QJsonObject account = oracle.value(id);
                QCOMPARE(account.value(QStringLiteral("OrganizationName")).toString(), name);
                QCOMPARE(account.value(QStringLiteral("SourceSystem")).toString(), QStringLiteral("ZOHOCRM"));
                const QString email = r.value(QStringLiteral("Email")).toString().trimmed().toLower();
                if (module == QLatin1String("Contacts") && email.contains(QLatin1Char('@')) &&
                    !email.contains(QLatin1Char(' ')))
                    QCOMPARE(account.value(QStringLiteral("EmailAddress")).toString(), email);
                const QString zip = r.value(module == QLatin1String("Contacts") ? QStringLiteral("Mailing_Zip")
                                                                                : QStringLiteral("Billing_Code"))
                                        .toString()
                                        .trimmed();
                if (!zip.isEmpty())
                    QCOMPARE(account.value(QStringLiteral("PostalCode")).toString(), zip);
                const QString country = account.value(QStringLiteral("Country")).toString();
                QVERIFY2(country.isEmpty() || (country.size() == 2 && country == country.toUpper()),
                         qPrintable(country));
                ++checked;
            }
        }
        QVERIFY(checked >= 400);
        // A known record of the demo set, checked field by field.
        QVERIFY(oracle.size() >= checked);
    }

    void aRerunMakesNoWrites()
    {
        QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("--full")}).exitCode, 1);
        const QJsonObject before = endpoints();
        const Run again = cli({QStringLiteral("sync"), QStringLiteral("--full")});
        const Run incremental = cli({QStringLiteral("sync")});
        QCOMPARE(incremental.exitCode, 0);
        const QJsonObject after = endpoints();
        for (const QString& endpoint : {QStringLiteral("oracle.accounts.create"),
                                        QStringLiteral("oracle.accounts.patch"), QStringLiteral("oracle.batch")})
            QVERIFY2(after.value(endpoint).toInt() == before.value(endpoint).toInt(),
                     qPrintable(QStringLiteral("%1 went from %2 to %3")
                                    .arg(endpoint)
                                    .arg(before.value(endpoint).toInt())
                                    .arg(after.value(endpoint).toInt())));
        QVERIFY2(again.out.contains(QStringLiteral("created 0, updated 0")), qPrintable(again.out));
    }

    void anEditPropagatesToTheSamePartyNumber()
    {
        QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("--full")}).exitCode, 1);
        const QString id = firstContactId();
        const QString partyNumber = accountsByReference().value(id).value(QStringLiteral("PartyNumber")).toString();
        QVERIFY(!partyNumber.isEmpty());
        const auto edit =
            m_control.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + id,
                              QJsonObject{{QStringLiteral("Email"), QStringLiteral("New.Address@Example.COM ")},
                                          {QStringLiteral("Mailing_City"), QStringLiteral("Lyon")}});
        QVERIFY2(edit.status == 200, qPrintable(edit.describe()));
        const Run run = cli({QStringLiteral("sync")});
        QCOMPARE(run.exitCode, 0);
        QVERIFY2(run.out.contains(QStringLiteral("updated 1")), qPrintable(run.out));
        const auto oracle = accountsByReference();
        QCOMPARE(oracle.count(id), 1);
        const QJsonObject account = oracle.value(id);
        QCOMPARE(account.value(QStringLiteral("PartyNumber")).toString(), partyNumber);
        QCOMPARE(account.value(QStringLiteral("EmailAddress")).toString(), QStringLiteral("new.address@example.com"));
        QCOMPARE(account.value(QStringLiteral("City")).toString(), QStringLiteral("Lyon"));
    }

    void aBadRecordFailsReadablyAndReplaySucceedsOnceFixed()
    {
        const auto created =
            m_control.control("POST", QStringLiteral("/_sim/zoho/Contacts"),
                              QJsonObject{{QStringLiteral("First_Name"), QStringLiteral("Very")},
                                          {QStringLiteral("Last_Name"), QString(380, QLatin1Char('x'))},
                                          {QStringLiteral("Email"), QStringLiteral("very@example.com")}});
        QVERIFY2(created.status == 200 || created.status == 201, qPrintable(created.describe()));
        const QString badId = SimTest::findKey(created.json(), QStringLiteral("id")).toString();
        QVERIFY(!badId.isEmpty());

        const Run first = cli({QStringLiteral("sync"), QStringLiteral("--full")});
        QCOMPARE(first.exitCode, 1);
        const Run audit = cli({QStringLiteral("audit"), QStringLiteral("--status"), QStringLiteral("failed"),
                               QStringLiteral("--record"), badId});
        QCOMPARE(audit.exitCode, 0);
        QVERIFY2(audit.out.contains(badId) && audit.out.contains(QStringLiteral("Oracle allows at most 360")),
                 qPrintable(audit.out));
        QCOMPARE(accountsByReference().count(badId), 0);

        const auto fixed = m_control.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + badId,
                                             QJsonObject{{QStringLiteral("Last_Name"), QStringLiteral("Fixed")}});
        QVERIFY2(fixed.status == 200, qPrintable(fixed.describe()));
        const Run replay = cli({QStringLiteral("replay"), badId});
        QVERIFY2(replay.exitCode == 0, qPrintable(replay.out + replay.err));
        const auto oracle = accountsByReference();
        QCOMPARE(oracle.count(badId), 1);
        QCOMPARE(oracle.value(badId).value(QStringLiteral("OrganizationName")).toString(),
                 QStringLiteral("Very Fixed"));
    }

    void aDryRunSendsAndChangesNothing()
    {
        const QJsonObject before = endpoints();
        const Run run = cli({QStringLiteral("sync"), QStringLiteral("--full"), QStringLiteral("--dry-run")});
        QVERIFY2(run.out.contains(QStringLiteral("dry run:")), qPrintable(run.out));
        QVERIFY2(run.out.contains(QStringLiteral("would write")), qPrintable(run.out));
        const QJsonObject after = endpoints();
        QCOMPARE(after.value(QStringLiteral("oracle.batch")).toInt(),
                 before.value(QStringLiteral("oracle.batch")).toInt());
        QCOMPARE(after.value(QStringLiteral("oracle.accounts.create")).toInt(),
                 before.value(QStringLiteral("oracle.accounts.create")).toInt());
        // The real profile learned nothing: a real run afterwards still creates everything.
        const Run real = cli({QStringLiteral("sync"), QStringLiteral("--full")});
        QVERIFY2(!real.out.contains(QStringLiteral("created 0,")), qPrintable(real.out));
    }

    void aProcessKilledMidSyncLeavesEveryRecordInOracleExactlyOnce()
    {
        const auto reset = m_control.reset(QJsonObject{{QStringLiteral("seed"), 3},
                                                       {QStringLiteral("demo"), false},
                                                       {QStringLiteral("contacts"), 500},
                                                       {QStringLiteral("accounts"), 0}});
        QVERIFY2(reset.status == 200, qPrintable(reset.describe()));
        // Slow Oracle down so the kill lands in the middle of the writes.
        QCOMPARE(m_control
                     .control("POST", QStringLiteral("/_sim/faults"),
                              QJsonObject{{QStringLiteral("latency_ms"), 300},
                                          {QStringLiteral("scope"), QStringLiteral("oracle")}})
                     .status,
                 200);
        QProcess victim;
        victim.setProcessEnvironment(environment());
        victim.start(cliPath(), {QStringLiteral("--profile"), m_profile->path(), QStringLiteral("--secrets-from-env"),
                                 QStringLiteral("--full"), QStringLiteral("sync")});
        QVERIFY(victim.waitForStarted());
        // Kill once Oracle holds some, but not all, of the records.
        QTRY_VERIFY_WITH_TIMEOUT(accountsByReference().size() >= 50, 60000);
        const int before = accountsByReference().size();
        ::kill(pid_t(victim.processId()), SIGKILL);
        QVERIFY(victim.waitForFinished(10000));
        QCOMPARE(victim.exitStatus(), QProcess::CrashExit);
        QVERIFY2(before < 500, "the sync finished before it could be killed");

        QCOMPARE(m_control.control("DELETE", QStringLiteral("/_sim/faults")).status, 200);
        const Run restart = cli({QStringLiteral("sync"), QStringLiteral("--full")});
        QVERIFY2(restart.exitCode == 0, qPrintable(restart.out + restart.err));
        const QJsonArray all = SimTest::listOf(m_control.get(QStringLiteral("/_sim/oracle/accounts")));
        QHash<QString, int> seen;
        for (const auto& a : all)
            ++seen[a.toObject().value(QStringLiteral("SourceSystemReferenceValue")).toString()];
        const QJsonArray contacts = SimTest::listOf(m_control.get(QStringLiteral("/_sim/zoho/Contacts")));
        QCOMPARE(contacts.size(), 500);
        for (const auto& c : contacts) {
            const QString id = c.toObject().value(QStringLiteral("id")).toString();
            QVERIFY2(seen.value(id) == 1,
                     qPrintable(QStringLiteral("%1 is in Oracle %2 times").arg(id).arg(seen.value(id))));
        }
    }

    void noSecretIsWrittenUnderTheProfile()
    {
        QCOMPARE(cli({QStringLiteral("sync"), QStringLiteral("--full")}).exitCode, 1);
        cli({QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--format"), QStringLiteral("csv"),
             QStringLiteral("--output"), QDir(m_profile->path()).filePath(QStringLiteral("audit.csv"))});
        const QJsonObject secrets = m_control.get(QStringLiteral("/_sim/secrets")).json();
        QStringList values;
        const std::function<void(const QJsonValue&)> collect = [&](const QJsonValue& v) {
            if (v.isString() && v.toString().size() >= 8)
                values << v.toString();
            for (const auto& child : v.isObject() ? v.toObject().toVariantMap().values() : QVariantList())
                collect(QJsonValue::fromVariant(child));
            for (const auto& child : v.toArray())
                collect(child);
        };
        collect(secrets);
        QVERIFY2(values.size() >= 4, "the simulator reported too few secrets to check");
        QDirIterator it(m_profile->path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        int files = 0;
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray bytes = file.readAll();
            ++files;
            for (const QString& secret : std::as_const(values))
                QVERIFY2(!bytes.contains(secret.toUtf8()),
                         qPrintable(QStringLiteral("a secret is in %1").arg(file.fileName())));
        }
        QVERIFY(files >= 3); // config.ini, the database, the export
    }

    void serveLandsWebhookEventsInOracleAndSuppressesItsOwnEcho()
    {
        for (const auto& [key, value] :
             QList<QPair<QString, QString>>{{QStringLiteral("webhook.listen"), QStringLiteral("127.0.0.1:0")},
                                            {QStringLiteral("sync.reverse_interval_s"), QStringLiteral("10")},
                                            {QStringLiteral("sync.poll_interval_s"), QStringLiteral("3600")}})
            QCOMPARE(cli({QStringLiteral("config"), QStringLiteral("set"), key, value}).exitCode, 0);
        QProcess serve;
        serve.setProcessEnvironment(environment());
        serve.start(cliPath(), {QStringLiteral("--profile"), m_profile->path(), QStringLiteral("--secrets-from-env"),
                                QStringLiteral("serve")});
        QVERIFY(serve.waitForStarted());
        // The first poll backfills; both channels come up.
        QTRY_VERIFY_WITH_TIMEOUT(SimTest::listOf(m_control.get(QStringLiteral("/_sim/channels"))).size() == 2, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(accountsByReference().size() >= 400, 120000);

        // An edit in Zoho reaches Oracle through the callback.
        const QString id = firstContactId();
        QCOMPARE(m_control
                     .control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + id,
                              QJsonObject{{QStringLiteral("Email"), QStringLiteral("via.webhook@example.com")}})
                     .status,
                 200);
        QTRY_COMPARE_WITH_TIMEOUT(accountsByReference().value(id).value(QStringLiteral("EmailAddress")).toString(),
                                  QStringLiteral("via.webhook@example.com"), 30000);
        QCOMPARE(accountsByReference().count(id), 1);

        // A forged callback with the wrong token is refused, and nothing is queued for it.
        const QJsonArray channels = SimTest::listOf(m_control.get(QStringLiteral("/_sim/channels")));
        const QJsonObject channel = channels.first().toObject();
        const QUrl notifyUrl(SimTest::findKey(channel, QStringLiteral("notify_url")).toString());
        QVERIFY2(notifyUrl.isValid() && notifyUrl.port() > 0, qPrintable(QJsonDocument(channel).toJson()));
        SimTest::Client forger(notifyUrl);
        const auto forged =
            forger.send("POST", notifyUrl.path(), {},
                        SimTest::toJson(QJsonObject{
                            {QStringLiteral("server_time"), QDateTime::currentMSecsSinceEpoch()},
                            {QStringLiteral("module"), QStringLiteral("Contacts")},
                            {QStringLiteral("ids"), QJsonArray{id}},
                            {QStringLiteral("operation"), QStringLiteral("update")},
                            {QStringLiteral("channel_id"),
                             SimTest::findKey(channel, QStringLiteral("channel_id")).toVariant().toString()},
                            {QStringLiteral("token"), QStringLiteral("not-the-token")}}),
                        {{"Content-Type", "application/json"}});
        QVERIFY2(forged.status == 401 || forged.status == 403, qPrintable(forged.describe()));

        // The reverse flow writes AR data back to Zoho; the callbacks it causes do not touch Oracle.
        QTRY_VERIFY_WITH_TIMEOUT(endpoints().value(QStringLiteral("zoho.records.write")).toInt() >= 1, 60000);
        const int patchesAfterWriteBack = endpoints().value(QStringLiteral("oracle.accounts.patch")).toInt();
        QTRY_VERIFY_WITH_TIMEOUT(auditMentions(QStringLiteral("echo of our own write-back")), 30000);
        QTest::qWait(2000); // let any (wrong) Oracle update for the echo happen
        QCOMPARE(endpoints().value(QStringLiteral("oracle.accounts.patch")).toInt(), patchesAfterWriteBack);

        // SIGTERM drains and exits cleanly.
        serve.terminate();
        QVERIFY(serve.waitForFinished(30000));
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0);
    }

private:
    QProcessEnvironment environment() const
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("ZOHO_CLIENT_SECRET"), SimTest::kZohoClientSecret);
        env.insert(QStringLiteral("ZOHO_REFRESH_TOKEN"), SimTest::kZohoRefreshToken);
        env.insert(QStringLiteral("ORACLE_PASSWORD"), SimTest::kOraclePassword);
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("ml.*.info=false"));
        return env;
    }

    Run cli(const QStringList& args)
    {
        QProcess process;
        process.setProcessEnvironment(environment());
        process.start(
            cliPath(),
            QStringList{QStringLiteral("--profile"), m_profile->path(), QStringLiteral("--secrets-from-env")} + args);
        Run run;
        if (!process.waitForFinished(240000)) {
            process.kill();
            process.waitForFinished();
            run.err = QStringLiteral("timed out");
            return run;
        }
        run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        run.out = QString::fromUtf8(process.readAllStandardOutput());
        run.err = QString::fromUtf8(process.readAllStandardError());
        return run;
    }

    void configure()
    {
        const QString base = m_base.toString(QUrl::StripTrailingSlash);
        const QList<QPair<QString, QString>> settings{{QStringLiteral("zoho.dc"), QStringLiteral("custom")},
                                                      {QStringLiteral("zoho.accounts_url"), base},
                                                      {QStringLiteral("zoho.api_url"), base},
                                                      {QStringLiteral("zoho.client_id"), SimTest::kZohoClientId},
                                                      {QStringLiteral("oracle.pod_url"), base},
                                                      {QStringLiteral("oracle.username"), SimTest::kOracleUser}};
        for (const auto& [key, value] : settings) {
            const Run run = cli({QStringLiteral("config"), QStringLiteral("set"), key, value});
            QVERIFY2(run.exitCode == 0, qPrintable(run.err));
        }
    }

    // Our accounts in Oracle by Zoho id; a duplicate shows as a second entry under the same id.
    QMultiHash<QString, QJsonObject> accountsByReference()
    {
        QMultiHash<QString, QJsonObject> byReference;
        for (const auto& a : SimTest::listOf(m_control.get(QStringLiteral("/_sim/oracle/accounts")))) {
            const QJsonObject o = a.toObject();
            if (o.value(QStringLiteral("SourceSystem")).toString() == QLatin1String("ZOHOCRM"))
                byReference.insert(o.value(QStringLiteral("SourceSystemReferenceValue")).toString(), o);
        }
        return byReference;
    }

    bool auditMentions(const QString& text)
    {
        const Run audit = cli({QStringLiteral("audit"), QStringLiteral("--limit"), QStringLiteral("2000")});
        return audit.out.contains(text);
    }

    QJsonObject endpoints()
    {
        return m_control.get(QStringLiteral("/_sim/stats")).json().value(QStringLiteral("endpoints")).toObject();
    }

    QString firstContactId()
    {
        const QJsonArray contacts = SimTest::listOf(m_control.get(QStringLiteral("/_sim/zoho/Contacts")));
        for (const auto& c : contacts) {
            const QJsonObject o = c.toObject();
            if (!o.value(QStringLiteral("Last_Name")).toString().isEmpty() &&
                o.value(QStringLiteral("Last_Name")).toString().size() < 100)
                return o.value(QStringLiteral("id")).toString();
        }
        return {};
    }

    Core::SimulatorLauncher m_simulator;
    QUrl m_base;
    SimTest::Client m_control;
    std::unique_ptr<QTemporaryDir> m_profile;
};

QTEST_GUILESS_MAIN(tst_SyncEndToEnd)
#include "tst_SyncEndToEnd.moc"
