// Sync benchmarks against ml-connector-sim with injected per-call latency: backfill throughput of a
// full sync through the real ml-connector-cli, Zoho calls per synced record, and the ratio of the
// measured time to the network floor. Not a test: it prints figures. A benchmark may wait with a
// local event loop; product code never does.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>

namespace {
QTextStream out(stdout);

QString binary(const QString& name)
{
    return QDir(QCoreApplication::applicationDirPath()).filePath(name);
}

QJsonObject call(QNetworkAccessManager& nam, const QByteArray& method, const QUrl& url, const QJsonObject& body = {})
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply* reply = nam.sendCustomRequest(request, method, QJsonDocument(body).toJson(QJsonDocument::Compact));
    QEventLoop loop;
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    loop.exec();
    reply->deleteLater();
    return QJsonDocument::fromJson(reply->readAll()).object();
}

struct Sim
{
    QProcess process;
    QUrl base;

    bool start(int contacts)
    {
        process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process.start(binary(QStringLiteral("ml-connector-sim")),
                      {QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--contacts"),
                       QString::number(contacts), QStringLiteral("--zoho-edition"), QStringLiteral("ultimate")});
        if (!process.waitForReadyRead(30000))
            return false;
        const QByteArray line = process.readLine().trimmed();
        base = QUrl(QString::fromUtf8(line.mid(line.indexOf("http://"))));
        return base.isValid();
    }
    ~Sim()
    {
        process.terminate();
        process.waitForFinished(5000);
    }
};

QProcessEnvironment cliEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ZOHO_CLIENT_SECRET"), QStringLiteral("sim-zoho-client-secret"));
    env.insert(QStringLiteral("ZOHO_REFRESH_TOKEN"), QStringLiteral("1000.sim-refresh-token"));
    env.insert(QStringLiteral("ORACLE_PASSWORD"), QStringLiteral("sim-oracle-password"));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("ml.*.info=false"));
    return env;
}

int runCli(const QString& profile, const QStringList& args)
{
    QProcess cli;
    cli.setProcessEnvironment(cliEnvironment());
    cli.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    cli.start(binary(QStringLiteral("ml-connector-cli")),
              QStringList{QStringLiteral("--profile"), profile, QStringLiteral("--secrets-from-env")} + args);
    cli.waitForFinished(-1);
    const QByteArray output = cli.readAllStandardOutput().trimmed();
    if (!output.isEmpty() && args.first() == QLatin1String("sync"))
        out << "  cli: " << output << '\n';
    return cli.exitStatus() == QProcess::NormalExit ? cli.exitCode() : -1;
}

qint64 zohoCalls(const QJsonObject& endpoints)
{
    qint64 n = 0;
    for (auto it = endpoints.begin(); it != endpoints.end(); ++it) {
        if (it.key().startsWith(QLatin1String("zoho.")) && it.key() != QLatin1String("zoho.token"))
            n += it.value().toInteger();
    }
    return n;
}

qint64 allCalls(const QJsonObject& endpoints)
{
    qint64 n = 0;
    for (auto it = endpoints.begin(); it != endpoints.end(); ++it)
        n += it.value().toInteger();
    return n;
}

void configure(const QString& profile, const QString& base, int concurrency)
{
    for (const auto& [key, value] :
         QList<QPair<QString, QString>>{{QStringLiteral("zoho.dc"), QStringLiteral("custom")},
                                        {QStringLiteral("zoho.accounts_url"), base},
                                        {QStringLiteral("zoho.api_url"), base},
                                        {QStringLiteral("zoho.client_id"), QStringLiteral("sim-zoho-client-id")},
                                        {QStringLiteral("zoho.concurrency"), QString::number(concurrency)},
                                        {QStringLiteral("zoho.modules"), QStringLiteral("Contacts")},
                                        {QStringLiteral("oracle.pod_url"), base},
                                        {QStringLiteral("oracle.username"), QStringLiteral("integration.user")},
                                        {QStringLiteral("webhook.listen"), QStringLiteral("127.0.0.1:0")},
                                        {QStringLiteral("sync.poll_interval_s"), QStringLiteral("3600")},
                                        {QStringLiteral("sync.reverse_interval_s"), QStringLiteral("3600")}})
        runCli(profile, {QStringLiteral("config"), QStringLiteral("set"), key, value});
}

void waitMs(int ms)
{
    QEventLoop loop;
    QTimer::singleShot(ms, &loop, &QEventLoop::quit);
    loop.exec();
}

qint64 parseOracleMs(const QString& text)
{
    return QDateTime::fromString(text, Qt::ISODateWithMs).toMSecsSinceEpoch();
}

// Webhook-to-Oracle latency: new Zoho contacts at a steady rate while `serve` runs; for each, the
// time from the simulator sending the callback to Oracle creating the account (both on its clock).
bool webhookLatency(int events, int rate, int latencyMs, int concurrency)
{
    Sim sim;
    if (!sim.start(0))
        return false;
    QNetworkAccessManager nam;
    const QString base = sim.base.toString(QUrl::StripTrailingSlash);
    call(nam, "POST", QUrl(base + QStringLiteral("/_sim/faults")),
         {{QStringLiteral("latency_ms"), latencyMs}, {QStringLiteral("scope"), QStringLiteral("all")}});
    QTemporaryDir profile;
    configure(profile.path(), base, concurrency);
    QProcess serve;
    serve.setProcessEnvironment(cliEnvironment());
    serve.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    serve.start(
        binary(QStringLiteral("ml-connector-cli")),
        {QStringLiteral("--profile"), profile.path(), QStringLiteral("--secrets-from-env"), QStringLiteral("serve")});
    for (int i = 0; i < 300; ++i) {
        const auto channels = call(nam, "GET", QUrl(base + QStringLiteral("/_sim/channels")));
        if (channels.value(QStringLiteral("channels")).toArray().size() +
                channels.value(QStringLiteral("items")).toArray().size() +
                channels.value(QStringLiteral("data")).toArray().size() >=
            1)
            break;
        waitMs(100);
    }
    const int intervalMs = 1000 / qMax(1, rate);
    for (int i = 0; i < events; ++i) {
        call(nam, "POST", QUrl(base + QStringLiteral("/_sim/zoho/Contacts")),
             {{QStringLiteral("First_Name"), QStringLiteral("Bench")},
              {QStringLiteral("Last_Name"), QStringLiteral("Contact %1").arg(i)},
              {QStringLiteral("Email"), QStringLiteral("bench%1@example.com").arg(i)}});
        waitMs(intervalMs);
    }
    QHash<QString, qint64> createdAt;
    for (int i = 0; i < 600 && createdAt.size() < events; ++i) {
        createdAt.clear();
        const auto accounts = call(nam, "GET", QUrl(base + QStringLiteral("/_sim/oracle/accounts")));
        for (const auto& a : accounts.value(QStringLiteral("items")).toArray()) {
            const QJsonObject o = a.toObject();
            createdAt.insert(o.value(QStringLiteral("SourceSystemReferenceValue")).toString(),
                             parseOracleMs(o.value(QStringLiteral("CreationDate")).toString()));
        }
        waitMs(100);
    }
    QList<qint64> latencies;
    const auto callbacks = call(nam, "GET", QUrl(base + QStringLiteral("/_sim/callbacks")));
    for (const auto& c :
         callbacks.value(QStringLiteral("callbacks")).toArray() + callbacks.value(QStringLiteral("items")).toArray()) {
        const QJsonObject o = c.toObject();
        const QJsonObject body = o.value(QStringLiteral("body")).toObject();
        if (body.value(QStringLiteral("operation")).toString() != QLatin1String("insert"))
            continue;
        for (const auto& id : body.value(QStringLiteral("ids")).toArray()) {
            if (createdAt.contains(id.toString()))
                latencies << createdAt.value(id.toString()) - o.value(QStringLiteral("time_ms")).toInteger();
        }
    }
    std::sort(latencies.begin(), latencies.end());
    const auto pct = [&latencies](double p) {
        return latencies.isEmpty() ? -1 : latencies.at(qMin(latencies.size() - 1, int(p * latencies.size())));
    };
    const QJsonObject endpoints =
        call(nam, "GET", QUrl(base + QStringLiteral("/_sim/stats"))).value(QStringLiteral("endpoints")).toObject();
    out << QStringLiteral("sync-bench: webhook %1 events at %2/s, %3 ms latency: %4 landed, p50 %5 ms, p99 %6 ms, "
                          "%7 Zoho calls/record\n")
               .arg(events)
               .arg(rate)
               .arg(latencyMs)
               .arg(latencies.size())
               .arg(pct(0.5))
               .arg(pct(0.99))
               .arg(double(zohoCalls(endpoints)) / qMax(1, events), 0, 'f', 3);
    out << "  calls: " << QJsonDocument(endpoints).toJson(QJsonDocument::Compact) << '\n';
    out.flush();
    serve.terminate();
    serve.waitForFinished(30000);
    return events > 0 && latencies.size() == events;
}

bool backfill(int records, int latencyMs, int concurrency)
{
    Sim sim;
    if (!sim.start(records)) {
        out << "sync-bench: the simulator did not start\n";
        return false;
    }
    QNetworkAccessManager nam;
    const QString base = sim.base.toString(QUrl::StripTrailingSlash);
    call(nam, "POST", QUrl(base + QStringLiteral("/_sim/faults")),
         {{QStringLiteral("latency_ms"), latencyMs}, {QStringLiteral("scope"), QStringLiteral("all")}});
    QTemporaryDir profile;
    configure(profile.path(), base, concurrency);

    QElapsedTimer timer;
    timer.start();
    const int code = runCli(profile.path(), {QStringLiteral("sync"), QStringLiteral("--full")});
    const double seconds = timer.elapsed() / 1000.0;
    const QJsonObject stats = call(nam, "GET", QUrl(base + QStringLiteral("/_sim/stats")));
    const QJsonObject endpoints = stats.value(QStringLiteral("endpoints")).toObject();
    const qint64 calls = allCalls(endpoints);
    const double floorS = double(calls) * latencyMs / 1000.0 / concurrency;
    out << QStringLiteral("sync-bench: backfill %1 records, %2 ms latency, concurrency %3: %4 s, %5 records/s, "
                          "%6 Zoho calls/record, %7 calls in all, network floor %8 s, ratio %9, exit %10\n")
               .arg(records)
               .arg(latencyMs)
               .arg(concurrency)
               .arg(seconds, 0, 'f', 2)
               .arg(records / seconds, 0, 'f', 0)
               .arg(double(zohoCalls(endpoints)) / records, 0, 'f', 4)
               .arg(calls)
               .arg(floorS, 0, 'f', 2)
               .arg(floorS > 0 ? seconds / floorS : 0.0, 0, 'f', 2)
               .arg(code);
    out << "  calls: " << QJsonDocument(endpoints).toJson(QJsonDocument::Compact) << '\n';
    out.flush();
    return code == 0;
}
} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Backfill throughput of ml-connector against ml-connector-sim."));
    parser.addHelpOption();
    parser.addOptions(
        {{QStringLiteral("records"), QStringLiteral("Records to backfill (default 20000)."), QStringLiteral("N"),
          QStringLiteral("20000")},
         {QStringLiteral("latency"), QStringLiteral("Comma list of injected latencies in ms (default 0,50)."),
          QStringLiteral("ms"), QStringLiteral("0,50")},
         {QStringLiteral("concurrency"), QStringLiteral("Calls in flight per host (default 8)."), QStringLiteral("N"),
          QStringLiteral("8")},
         {QStringLiteral("events"), QStringLiteral("Webhook events (default 200)."), QStringLiteral("N"),
          QStringLiteral("200")},
         {QStringLiteral("rate"), QStringLiteral("Webhook events per second (default 20)."), QStringLiteral("N"),
          QStringLiteral("20")},
         {QStringLiteral("skip-backfill"), QStringLiteral("Only the webhook latency.")}});
    parser.process(app);
    bool ok = true;
    const QStringList latencies = parser.value(QStringLiteral("latency")).split(QLatin1Char(','));
    for (const QString& latency : latencies) {
        if (!parser.isSet(QStringLiteral("skip-backfill")))
            ok = backfill(parser.value(QStringLiteral("records")).toInt(), latency.toInt(),
                          parser.value(QStringLiteral("concurrency")).toInt()) &&
                 ok;
    }
    for (const QString& latency : latencies)
        ok =
            webhookLatency(parser.value(QStringLiteral("events")).toInt(), parser.value(QStringLiteral("rate")).toInt(),
                           latency.toInt(), parser.value(QStringLiteral("concurrency")).toInt()) &&
            ok;
    return ok ? 0 : 1;
}
