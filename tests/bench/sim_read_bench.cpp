// ml-sim-read-bench: how many record reads per second ml-connector-sim serves.
//
// Starts the simulator beside this program (--port 0 --contacts N), takes a Zoho token, then
// issues a fixed number of GET /crm/v8/Contacts/{id} over C parallel connections (one
// QNetworkAccessManager each, one request at a time, so each keeps one keep-alive connection) and
// prints one line with reads/s, p50/p99 latency and errors. Exit code 1 if any read failed (or the
// rate is below --min-rate), 2 on a setup problem. Everything is driven by signals: no nested
// event loops.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QProcess>
#include <QTimer>
#include <QUrl>
#include <QUrlQuery>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

namespace {

struct Options
{
    QString simulator;
    int requests = 5000;
    int connections = 8;
    int contacts = 2000;
    double minRate = 0;
};

class SimReadBench final
{
public:
    explicit SimReadBench(const Options& options)
        : m_options(options)
    { }

    void start()
    {
        m_sim.setProgram(m_options.simulator);
        m_sim.setArguments({QStringLiteral("--port"), QStringLiteral("0"), QStringLiteral("--contacts"),
                            QString::number(m_options.contacts)});
        m_sim.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QObject::connect(&m_sim, &QProcess::readyReadStandardOutput, &m_context, [this] { onSimOutput(); });
        QObject::connect(&m_sim, &QProcess::errorOccurred, &m_context, [this](QProcess::ProcessError e) {
            if (e == QProcess::FailedToStart)
                fail(QStringLiteral("could not start %1").arg(m_options.simulator));
        });
        QObject::connect(&m_sim, &QProcess::finished, &m_context, [this](int code, QProcess::ExitStatus) {
            if (!m_stopping)
                fail(QStringLiteral("the simulator exited early with code %1").arg(code));
        });
        QTimer::singleShot(30000, &m_context, [this] {
            if (m_base.isEmpty())
                fail(QStringLiteral("the simulator did not print its startup line within 30 s"));
        });
        m_sim.start(QIODevice::ReadOnly);
    }

private:
    void onSimOutput()
    {
        m_stdout += m_sim.readAllStandardOutput();
        if (!m_base.isEmpty())
            return;
        static const QByteArray prefix = "ml-connector-sim listening on ";
        const int at = m_stdout.indexOf(prefix);
        const int eol = at < 0 ? -1 : m_stdout.indexOf('\n', at);
        if (eol < 0)
            return;
        m_base = QString::fromUtf8(m_stdout.mid(at + prefix.size(), eol - at - prefix.size())).trimmed();
        requestToken();
    }

    void requestToken()
    {
        QNetworkRequest request(QUrl(m_base + QStringLiteral("/oauth/v2/token")));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/x-www-form-urlencoded"));
        QUrlQuery form;
        form.addQueryItem(QStringLiteral("grant_type"), QStringLiteral("refresh_token"));
        form.addQueryItem(QStringLiteral("client_id"), QStringLiteral("sim-zoho-client-id"));
        form.addQueryItem(QStringLiteral("client_secret"), QStringLiteral("sim-zoho-client-secret"));
        form.addQueryItem(QStringLiteral("refresh_token"), QStringLiteral("1000.sim-refresh-token"));
        QNetworkReply* reply = m_setupNam.post(request, form.toString(QUrl::FullyEncoded).toUtf8());
        QObject::connect(reply, &QNetworkReply::finished, &m_context, [this, reply] {
            reply->deleteLater();
            m_token =
                QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("access_token")).toString();
            if (m_token.isEmpty())
                return fail(QStringLiteral("no access token from the simulator"));
            requestIds();
        });
    }

    void requestIds()
    {
        // The control API lists every record unpaged; ids only, the benchmark reads them back.
        QNetworkReply* reply = m_setupNam.get(QNetworkRequest(QUrl(m_base + QStringLiteral("/_sim/zoho/Contacts"))));
        QObject::connect(reply, &QNetworkReply::finished, &m_context, [this, reply] {
            reply->deleteLater();
            const QJsonArray data =
                QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("data")).toArray();
            for (const QJsonValue& v : data)
                m_ids.push_back(v.toObject().value(QStringLiteral("id")).toString());
            if (m_ids.empty())
                return fail(QStringLiteral("the simulator has no contacts"));
            run();
        });
    }

    void run()
    {
        m_latenciesUs.reserve(size_t(m_options.requests));
        m_wall.start();
        for (int c = 0; c < m_options.connections; ++c) {
            m_nams.push_back(std::make_unique<QNetworkAccessManager>());
            issue(c);
        }
    }

    void issue(int connection)
    {
        if (m_issued >= m_options.requests)
            return;
        const QString& id = m_ids[size_t(m_issued) % m_ids.size()];
        ++m_issued;
        QNetworkRequest request(QUrl(m_base + QStringLiteral("/crm/v8/Contacts/") + id));
        request.setRawHeader("Authorization", "Zoho-oauthtoken " + m_token.toUtf8());
        request.setTransferTimeout(30000);
        auto timer = std::make_shared<QElapsedTimer>();
        timer->start();
        QNetworkReply* reply = m_nams[size_t(connection)]->get(request);
        QObject::connect(reply, &QNetworkReply::finished, &m_context, [this, reply, timer, connection] {
            m_latenciesUs.push_back(timer->nsecsElapsed() / 1000);
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            const QByteArray body = reply->readAll();
            if (reply->error() != QNetworkReply::NoError || status != 200 || !body.startsWith("{\"data\":["))
                ++m_errors;
            reply->deleteLater();
            if (++m_done == m_options.requests)
                finish();
            else
                issue(connection);
        });
    }

    void finish()
    {
        const double seconds = double(m_wall.nsecsElapsed()) / 1e9;
        std::sort(m_latenciesUs.begin(), m_latenciesUs.end());
        auto percentile = [this](double p) {
            const size_t i = std::min(m_latenciesUs.size() - 1, size_t(p * double(m_latenciesUs.size() - 1) + 0.5));
            return double(m_latenciesUs[i]) / 1000.0;
        };
        const double rate = double(m_done) / seconds;
        std::printf("sim-read-bench: %d reads, %d connections, %.1f reads/s, p50 %.1f ms, p99 %.1f ms, %d errors\n",
                    m_done, m_options.connections, rate, percentile(0.50), percentile(0.99), m_errors);
        std::fflush(stdout);
        int code = m_errors > 0 ? 1 : 0;
        if (m_options.minRate > 0 && rate < m_options.minRate) {
            std::fprintf(stderr, "sim-read-bench: %.1f reads/s is below --min-rate %.1f\n", rate, m_options.minRate);
            code = 1;
        }
        stop(code);
    }

    void fail(const QString& message)
    {
        if (m_stopping)
            return;
        std::fprintf(stderr, "sim-read-bench: %s\n", qPrintable(message));
        stop(2);
    }

    void stop(int code)
    {
        m_stopping = true;
        m_exitCode = code;
        if (m_sim.state() == QProcess::NotRunning) {
            QCoreApplication::exit(code);
            return;
        }
        QObject::connect(&m_sim, &QProcess::finished, &m_context, [this] { QCoreApplication::exit(m_exitCode); });
        m_sim.terminate();
        QTimer::singleShot(5000, &m_context, [this] {
            m_sim.kill();
            QCoreApplication::exit(m_exitCode);
        });
    }

    Options m_options;
    QObject m_context; // receiver of every connection, so nothing fires after we are gone
    QProcess m_sim;
    QByteArray m_stdout;
    QString m_base;
    QString m_token;
    QNetworkAccessManager m_setupNam;
    std::vector<std::unique_ptr<QNetworkAccessManager>> m_nams;
    std::vector<QString> m_ids;
    std::vector<qint64> m_latenciesUs;
    QElapsedTimer m_wall;
    int m_issued = 0;
    int m_done = 0;
    int m_errors = 0;
    bool m_stopping = false;
    int m_exitCode = 0;
};

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ml-sim-read-bench"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Measures GET /crm/v8/Contacts/{id} throughput of ml-connector-sim."));
    parser.addHelpOption();
    const QCommandLineOption requests(QStringLiteral("requests"), QStringLiteral("Number of reads (default 5000)."),
                                      QStringLiteral("N"), QStringLiteral("5000"));
    const QCommandLineOption connections(QStringLiteral("connections"),
                                         QStringLiteral("Parallel keep-alive connections (default 8)."),
                                         QStringLiteral("N"), QStringLiteral("8"));
    const QCommandLineOption contacts(QStringLiteral("contacts"),
                                      QStringLiteral("Contacts the simulator generates (default 2000)."),
                                      QStringLiteral("N"), QStringLiteral("2000"));
    const QCommandLineOption simulator(QStringLiteral("sim"),
                                       QStringLiteral("Path of ml-connector-sim (default: beside this program)."),
                                       QStringLiteral("PATH"));
    const QCommandLineOption minRate(QStringLiteral("min-rate"),
                                     QStringLiteral("Fail (exit 1) below this many reads/s (default 0 = no floor)."),
                                     QStringLiteral("R"), QStringLiteral("0"));
    parser.addOptions({requests, connections, contacts, simulator, minRate});
    parser.process(app);

    Options o;
    bool ok1 = false;
    bool ok2 = false;
    bool ok3 = false;
    bool ok4 = false;
    o.requests = parser.value(requests).toInt(&ok1);
    o.connections = parser.value(connections).toInt(&ok2);
    o.contacts = parser.value(contacts).toInt(&ok3);
    o.minRate = parser.value(minRate).toDouble(&ok4);
    if (!ok1 || !ok2 || !ok3 || !ok4 || o.requests < 1 || o.connections < 1 || o.contacts < 1 || o.minRate < 0) {
        std::fprintf(stderr, "sim-read-bench: --requests, --connections and --contacts need positive numbers\n");
        return 2;
    }
    o.simulator = parser.isSet(simulator)
                      ? parser.value(simulator)
                      : QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("ml-connector-sim"));

    SimReadBench bench(o);
    QTimer::singleShot(0, &app, [&bench] { bench.start(); });
    return QCoreApplication::exec();
}
