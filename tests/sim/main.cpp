// ml-connector-sim: a loopback simulator of Zoho CRM v8 and Oracle Fusion REST (tests/sim/README.md).
#include "JsonUtil.h"
#include "SignalWatcher.h"
#include "SimConfig.h"
#include "SimLogging.h"
#include "SimServer.h"
#include "Simulator.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <optional>

#ifndef ML_SIM_VERSION
#define ML_SIM_VERSION "0.1.0"
#endif

namespace {

int usageError(const QString& message)
{
    std::fprintf(stderr, "ml-connector-sim: %s\n", qPrintable(message));
    return 2;
}

struct Options
{
    QCommandLineOption port{QStringLiteral("port"),
                            QStringLiteral("Port on the loopback address (0 = pick a free one; default 0)."),
                            QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption host{QStringLiteral("host"),
                            QStringLiteral("Loopback address to bind: 127.0.0.1 (default) or ::1. Other addresses are "
                                           "refused (exit code 2)."),
                            QStringLiteral("ADDR"), QStringLiteral("127.0.0.1")};
    QCommandLineOption seed{QStringLiteral("seed"),
                            QStringLiteral("Seed of every random choice: data, ids, tokens, faults (default 1)."),
                            QStringLiteral("N"), QStringLiteral("1")};
    QCommandLineOption demo{
        QStringLiteral("demo"),
        QStringLiteral("Load the demo data set: ~300 contacts and ~150 accounts, international and messy, "
                       "plus 20 Oracle parties (5 already linked).")};
    QCommandLineOption contacts{QStringLiteral("contacts"),
                                QStringLiteral("Generate N more plain seeded Zoho contacts (default 0)."),
                                QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption accounts{QStringLiteral("accounts"),
                                QStringLiteral("Generate N more plain seeded Zoho accounts (default 0)."),
                                QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption oracleAccounts{QStringLiteral("oracle-accounts"),
                                      QStringLiteral("Generate N more plain seeded Oracle accounts (default 0)."),
                                      QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption latency{QStringLiteral("latency-ms"),
                               QStringLiteral("Latency added to every API call, not to /_sim (default 0)."),
                               QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption tokenTtl{QStringLiteral("token-ttl"),
                                QStringLiteral("Access-token lifetime in seconds, Zoho and Oracle (default 3600)."),
                                QStringLiteral("S"), QStringLiteral("3600")};
    QCommandLineOption edition{
        QStringLiteral("zoho-edition"),
        QStringLiteral("free|standard|professional|enterprise|ultimate: concurrency 5/10/15/20/25 "
                       "(default enterprise)."),
        QStringLiteral("E"), QStringLiteral("enterprise")};
    QCommandLineOption credits{QStringLiteral("zoho-daily-credits"),
                               QStringLiteral("Rolling 24 h credit budget (sim clock); 0 = unlimited (default 0)."),
                               QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption noChange{
        QStringLiteral("zoho-no-change-status"),
        QStringLiteral("204 or 304 when If-Modified-Since finds nothing (UNCONFIRMED; default 304)."),
        QStringLiteral("S"), QStringLiteral("304")};
    QCommandLineOption throttle{
        QStringLiteral("zoho-throttle-status"),
        QStringLiteral("HTTP status of the refresh throttle \"Access Denied\" body (UNCONFIRMED; "
                       "default 200)."),
        QStringLiteral("S"), QStringLiteral("200")};
    QCommandLineOption callbackUri{
        QStringLiteral("zoho-callback-uri-version"),
        QStringLiteral("v2 or v8 in a callback's resource_uri (UNCONFIRMED for v8; default v2)."), QStringLiteral("V"),
        QStringLiteral("v2")};
    QCommandLineOption homeDc{
        QStringLiteral("zoho-home-dc"),
        QStringLiteral("Data centre the simulated client is registered in; /_dc/{other}/oauth/v2/token "
                       "answers invalid_client (default us)."),
        QStringLiteral("DC"), QStringLiteral("us")};
    QCommandLineOption pageTokenTtl{
        QStringLiteral("zoho-page-token-ttl"),
        QStringLiteral("Lifetime of a Zoho page_token in seconds (UNCONFIRMED; default 86400)."), QStringLiteral("S"),
        QStringLiteral("86400")};
    QCommandLineOption utcOffset{
        QStringLiteral("zoho-utc-offset-min"),
        QStringLiteral("UTC offset of Zoho timestamps in minutes, e.g. 330 for +05:30 (default 0)."),
        QStringLiteral("N"), QStringLiteral("0")};
    QCommandLineOption callbackTimeout{
        QStringLiteral("callback-timeout-ms"),
        QStringLiteral("Transfer timeout of a notification callback POST (default 10000)."), QStringLiteral("N"),
        QStringLiteral("10000")};
    QCommandLineOption limitCap{QStringLiteral("oracle-limit-cap"),
                                QStringLiteral("Oracle collection limit cap, applied silently (default 499)."),
                                QStringLiteral("N"), QStringLiteral("499")};
    QCommandLineOption sourceSystems{
        QStringLiteral("oracle-source-systems"),
        QStringLiteral("Comma list of registered Oracle source systems (default ZOHOCRM)."), QStringLiteral("L"),
        QStringLiteral("ZOHOCRM")};
    QCommandLineOption upsertMatch{QStringLiteral("oracle-upsert-match"),
                                   QStringLiteral("partynumber | partynumber+source: what Upsert-Mode matches on "
                                                  "(UNCONFIRMED; default partynumber)."),
                                   QStringLiteral("M"), QStringLiteral("partynumber")};
    QCommandLineOption zohoClientId{QStringLiteral("zoho-client-id"), QStringLiteral("Accepted Zoho client id."),
                                    QStringLiteral("ID"), QStringLiteral("sim-zoho-client-id")};
    QCommandLineOption zohoClientSecret{QStringLiteral("zoho-client-secret"),
                                        QStringLiteral("Accepted Zoho client secret."), QStringLiteral("SECRET"),
                                        QStringLiteral("sim-zoho-client-secret")};
    QCommandLineOption zohoRefreshToken{QStringLiteral("zoho-refresh-token"),
                                        QStringLiteral("Zoho refresh token with every scope."), QStringLiteral("TOKEN"),
                                        QStringLiteral("1000.sim-refresh-token")};
    QCommandLineOption oracleUser{QStringLiteral("oracle-user"), QStringLiteral("Oracle Basic-auth user."),
                                  QStringLiteral("USER"), QStringLiteral("integration.user")};
    QCommandLineOption oraclePassword{QStringLiteral("oracle-password"), QStringLiteral("Oracle Basic-auth password."),
                                      QStringLiteral("PASSWORD"), QStringLiteral("sim-oracle-password")};
    QCommandLineOption oracleClientId{QStringLiteral("oracle-client-id"), QStringLiteral("Oracle IDCS client id."),
                                      QStringLiteral("ID"), QStringLiteral("sim-oracle-client-id")};
    QCommandLineOption oracleClientSecret{QStringLiteral("oracle-client-secret"),
                                          QStringLiteral("Oracle IDCS client secret."), QStringLiteral("SECRET"),
                                          QStringLiteral("sim-oracle-client-secret")};
    QCommandLineOption printCredentials{QStringLiteral("print-credentials"),
                                        QStringLiteral("Print the accepted credentials as JSON on stdout and exit.")};
};

std::optional<qint64>
number(const QCommandLineParser& parser, const QCommandLineOption& option, qint64 min, qint64 max, QString& error)
{
    bool ok = false;
    const QString text = parser.value(option);
    const qint64 v = text.toLongLong(&ok);
    if (!ok || v < min || v > max) {
        error = QStringLiteral("--%1 needs a number between %2 and %3, not \"%4\"")
                    .arg(option.names().constFirst())
                    .arg(min)
                    .arg(max)
                    .arg(text);
        return std::nullopt;
    }
    return v;
}

} // namespace

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("ml-connector-sim"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ML_SIM_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Simulator of the Zoho CRM v8 and Oracle Fusion REST APIs on one loopback port.\n"
        "Prints \"ml-connector-sim listening on http://127.0.0.1:PORT\" and serves until SIGINT/SIGTERM.\n"
        "Control API under /_sim (see tests/sim/README.md)."));
    parser.addHelpOption();
    parser.addVersionOption();
    Options o;
    parser.addOptions({o.port,
                       o.host,
                       o.seed,
                       o.demo,
                       o.contacts,
                       o.accounts,
                       o.oracleAccounts,
                       o.latency,
                       o.tokenTtl,
                       o.edition,
                       o.credits,
                       o.noChange,
                       o.throttle,
                       o.callbackUri,
                       o.homeDc,
                       o.pageTokenTtl,
                       o.utcOffset,
                       o.callbackTimeout,
                       o.limitCap,
                       o.sourceSystems,
                       o.upsertMatch,
                       o.zohoClientId,
                       o.zohoClientSecret,
                       o.zohoRefreshToken,
                       o.oracleUser,
                       o.oraclePassword,
                       o.oracleClientId,
                       o.oracleClientSecret,
                       o.printCredentials});
    if (!parser.parse(QCoreApplication::arguments()))
        return usageError(parser.errorText());
    if (parser.isSet(QStringLiteral("help")))
        parser.showHelp(0);
    if (parser.isSet(QStringLiteral("version")))
        parser.showVersion();
    if (!parser.positionalArguments().isEmpty())
        return usageError(QStringLiteral("unexpected argument %1").arg(parser.positionalArguments().constFirst()));

    Sim::SimConfig c;
    QString error;
    const auto n = [&](const QCommandLineOption& opt, qint64 min, qint64 max) {
        return number(parser, opt, min, max, error);
    };
    const auto port = n(o.port, 0, 65535);
    const auto seed = n(o.seed, 0, 4294967295LL);
    const auto contacts = n(o.contacts, 0, 10000000);
    const auto accounts = n(o.accounts, 0, 10000000);
    const auto oracleAccounts = n(o.oracleAccounts, 0, 10000000);
    const auto latency = n(o.latency, 0, 3600000);
    const auto ttl = n(o.tokenTtl, 1, 100000000);
    const auto credits = n(o.credits, 0, 1000000000000LL);
    const auto noChange = n(o.noChange, 204, 304);
    const auto throttle = n(o.throttle, 200, 599);
    const auto pageTtl = n(o.pageTokenTtl, 1, 100000000);
    const auto offset = n(o.utcOffset, -840, 840);
    const auto cbTimeout = n(o.callbackTimeout, 1, 3600000);
    const auto cap = n(o.limitCap, 1, 1000000);
    if (!error.isEmpty())
        return usageError(error);
    c.port = quint16(*port);
    c.seed = quint32(*seed);
    c.demo = parser.isSet(o.demo);
    c.contacts = int(*contacts);
    c.accounts = int(*accounts);
    c.oracleAccounts = int(*oracleAccounts);
    c.latencyMs = int(*latency);
    c.tokenTtlS = int(*ttl);
    c.zohoDailyCredits = *credits;
    c.zohoNoChangeStatus = int(*noChange);
    c.zohoThrottleStatus = int(*throttle);
    c.zohoPageTokenTtlS = int(*pageTtl);
    c.zohoUtcOffsetMin = int(*offset);
    c.callbackTimeoutMs = int(*cbTimeout);
    c.oracleLimitCap = int(*cap);
    c.zohoEdition = parser.value(o.edition).toLower();
    c.zohoCallbackUriVersion = parser.value(o.callbackUri);
    c.zohoHomeDc = parser.value(o.homeDc).toLower();
    c.oracleUpsertMatch = parser.value(o.upsertMatch).toLower();
    c.oracleSourceSystems.clear();
    const QStringList systems = parser.value(o.sourceSystems).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString& s : systems)
        c.oracleSourceSystems.append(s.trimmed());
    c.zohoClientId = parser.value(o.zohoClientId);
    c.zohoClientSecret = parser.value(o.zohoClientSecret);
    c.zohoRefreshToken = parser.value(o.zohoRefreshToken);
    c.oracleUser = parser.value(o.oracleUser);
    c.oraclePassword = parser.value(o.oraclePassword);
    c.oracleClientId = parser.value(o.oracleClientId);
    c.oracleClientSecret = parser.value(o.oracleClientSecret);

    const QString hostText = parser.value(o.host).trimmed();
    c.host = hostText.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0
                 ? QHostAddress(QHostAddress::LocalHost)
                 : QHostAddress(hostText);
    if (c.host.isNull())
        return usageError(QStringLiteral("--host \"%1\" is not an IP address; use 127.0.0.1 or ::1").arg(hostText));
    const QString invalid = c.validate();
    if (!invalid.isEmpty())
        return usageError(invalid);

    if (parser.isSet(o.printCredentials)) {
        const QJsonObject creds{
            {QStringLiteral("zoho"), QJsonObject{{QStringLiteral("client_id"), c.zohoClientId},
                                                 {QStringLiteral("client_secret"), c.zohoClientSecret},
                                                 {QStringLiteral("refresh_token"), c.zohoRefreshToken},
                                                 {QStringLiteral("home_dc"), c.zohoHomeDc}}},
            {QStringLiteral("oracle"), QJsonObject{{QStringLiteral("username"), c.oracleUser},
                                                   {QStringLiteral("password"), c.oraclePassword},
                                                   {QStringLiteral("client_id"), c.oracleClientId},
                                                   {QStringLiteral("client_secret"), c.oracleClientSecret}}}};
        std::fputs(QJsonDocument(creds).toJson(QJsonDocument::Indented).constData(), stdout);
        std::fflush(stdout);
        return 0;
    }

    Sim::Simulator simulator(c);
    Sim::SimServer server(simulator);
    const quint16 listening = server.listen(c.host, c.port);
    if (listening == 0) {
        std::fprintf(stderr, "ml-connector-sim: could not listen on %s port %u\n", qPrintable(c.host.toString()),
                     unsigned(c.port));
        return 1;
    }
    const QString hostPart = c.host.protocol() == QAbstractSocket::IPv6Protocol
                                 ? QLatin1Char('[') + c.host.toString() + QLatin1Char(']')
                                 : c.host.toString();
    const QString baseUrl = QStringLiteral("http://%1:%2").arg(hostPart).arg(listening);
    simulator.setBaseUrl(baseUrl);

    Sim::SignalWatcher watcher;
    QObject::connect(&watcher, &Sim::SignalWatcher::terminationRequested, &app, [](int sig) {
        qCInfo(Sim::lcSim) << "signal" << sig << "received, shutting down";
        QCoreApplication::quit();
    });

    std::printf("ml-connector-sim listening on %s\n", qPrintable(baseUrl));
    std::fflush(stdout);
    return QCoreApplication::exec();
}
