// The browser sign-in's pieces without Zoho: the authorize URL, the loopback listener over real
// sockets, the accounts-server allow-list, and the token answer in plain words.
#include "net/HttpClient.h"
#include "zoho/ZohoAuthorization.h"

#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QUrlQuery>

#include <optional>

using namespace Core;

namespace {

constexpr int kWaitMs = 20000; // a loaded two-core machine

struct RawAnswer
{
    bool closed = false;
    QByteArray bytes;
    int status() const
    {
        const QList<QByteArray> parts = bytes.left(bytes.indexOf("\r\n")).split(' ');
        return parts.size() >= 2 ? parts.at(1).toInt() : 0;
    }
};

// Sends raw bytes to 127.0.0.1:port and reads until the server closes the connection.
RawAnswer rawRequest(quint16 port, const QByteArray& bytes)
{
    RawAnswer answer;
    QTcpSocket socket;
    QObject::connect(&socket, &QTcpSocket::readyRead, [&] { answer.bytes += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, [&] { answer.closed = true; });
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!QTest::qWaitFor([&] { return socket.state() == QAbstractSocket::ConnectedState; }, kWaitMs))
        return answer;
    socket.write(bytes);
    answer.closed =
        QTest::qWaitFor([&] { return answer.closed || socket.state() == QAbstractSocket::UnconnectedState; }, kWaitMs);
    answer.bytes += socket.readAll();
    return answer;
}

QByteArray get(const QByteArray& target)
{
    return "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: test\r\n\r\n";
}

template <typename T>
struct Outcome
{
    std::optional<Result<T>> result;
    std::function<void(Result<T>)> callback()
    {
        return [this](Result<T> r) { result = std::move(r); };
    }
    bool wait()
    {
        return QTest::qWaitFor([this] { return result.has_value(); }, kWaitMs);
    }
};

QString problem(const std::optional<Result<ZohoRedirect>>& r)
{
    return !r ? QStringLiteral("no result") : r->ok() ? QString() : r->error().message;
}

HttpResponse jsonAnswer(const QByteArray& body, int status = 200)
{
    HttpResponse response;
    response.status = status;
    response.body = body;
    return response;
}

} // namespace

class tst_ZohoAuthorization : public QObject
{
    Q_OBJECT

private slots:
    void authorizeUrlCarriesEveryParameter();
    void authorizeUrlKeepsACustomPath();
    void stateIsLongAndFresh();
    void tokenServerAllowList_data();
    void tokenServerAllowList();
    void dataCentreOfAnAccountsServer();
    void listenerAcceptsTheMatchingCallback();
    void listenerRefusesAWrongState_data();
    void listenerRefusesAWrongState();
    void listenerAnswersOtherPathsAndKeepsWaiting();
    void listenerRefusesAnOversizedRequest();
    void listenerReportsAccessDenied();
    void listenerTimesOutAndCancels();
    void exchangeSendsTheSecretOnlyToAllowedServers();
    void exchangeOfASelfClientCodeHasNoRedirectUri();
    void answersInPlainWords();
    void signInWithoutBrowserOrSecretSaysSo();

private:
    QNetworkAccessManager m_network;
};

// zoho-crm-api.md 1.1: /oauth/v2/auth with comma-separated scopes, response_type=code, access_type=offline,
// prompt=consent (else no refresh token), redirect_uri and state.
void tst_ZohoAuthorization::authorizeUrlCarriesEveryParameter()
{
    const QUrl url = ZohoAuthorization::authorizeUrl(
        QUrl(QStringLiteral("https://accounts.zoho.eu")), QStringLiteral("1000.CLIENT"),
        QUrl(QStringLiteral("http://127.0.0.1:5555/callback")), QStringLiteral("st+te/="));
    QCOMPARE(url.scheme(), QStringLiteral("https"));
    QCOMPARE(url.host(), QStringLiteral("accounts.zoho.eu"));
    QCOMPARE(url.path(), QStringLiteral("/oauth/v2/auth"));
    const QString raw = url.query(QUrl::FullyEncoded);
    QVERIFY2(raw.startsWith(
                 QStringLiteral("scope=ZohoCRM.modules.ALL,ZohoCRM.notifications.ALL,ZohoCRM.settings.fields.READ&")),
             qPrintable(raw));
    QVERIFY2(raw.contains(QStringLiteral("state=st%2Bte%2F%3D")), qPrintable(raw)); // '+' must not become a space
    const QUrlQuery query(url);
    QCOMPARE(query.queryItemValue(QStringLiteral("client_id")), QStringLiteral("1000.CLIENT"));
    QCOMPARE(query.queryItemValue(QStringLiteral("response_type")), QStringLiteral("code"));
    QCOMPARE(query.queryItemValue(QStringLiteral("access_type")), QStringLiteral("offline"));
    QCOMPARE(query.queryItemValue(QStringLiteral("prompt")), QStringLiteral("consent"));
    QCOMPARE(query.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
             QStringLiteral("http://127.0.0.1:5555/callback"));
    QCOMPARE(query.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded), QStringLiteral("st+te/="));
    QCOMPARE(ZohoAuthorization::requestedScopes().size(), 3);
}

void tst_ZohoAuthorization::authorizeUrlKeepsACustomPath()
{
    const QUrl url =
        ZohoAuthorization::authorizeUrl(QUrl(QStringLiteral("http://127.0.0.1:4000/_dc/eu/")), QStringLiteral("id"),
                                        QUrl(QStringLiteral("http://127.0.0.1:1/callback")), QStringLiteral("s"),
                                        {QStringLiteral("ZohoCRM.modules.ALL")});
    QCOMPARE(url.path(), QStringLiteral("/_dc/eu/oauth/v2/auth"));
    QCOMPARE(QUrlQuery(url).queryItemValue(QStringLiteral("scope")), QStringLiteral("ZohoCRM.modules.ALL"));
}

void tst_ZohoAuthorization::stateIsLongAndFresh()
{
    const QString a = ZohoAuthorization::newState();
    const QString b = ZohoAuthorization::newState();
    QCOMPARE(a.size(), 43); // 256 bits, base64url without padding
    QVERIFY(a != b);
    QVERIFY(QRegularExpression(QStringLiteral("^[A-Za-z0-9_-]+$")).match(a).hasMatch());
}

void tst_ZohoAuthorization::tokenServerAllowList_data()
{
    QTest::addColumn<QString>("configured");
    QTest::addColumn<QString>("dataCentre");
    QTest::addColumn<QString>("redirect");
    QTest::addColumn<QString>("expected"); // empty: refused

    const QString us = QStringLiteral("https://accounts.zoho.com");
    const QString sim = QStringLiteral("http://127.0.0.1:4000");
    QTest::newRow("none given") << us << "us"
                                << "" << us;
    QTest::newRow("the configured one") << us << "us"
                                        << "https://accounts.zoho.com/" << us;
    QTest::newRow("another Zoho data centre") << us << "us"
                                              << "https://accounts.zoho.eu"
                                              << "https://accounts.zoho.eu";
    QTest::newRow("Canada's host") << us << "us"
                                   << "https://accounts.zohocloud.ca"
                                   << "https://accounts.zohocloud.ca";
    QTest::newRow("host in capitals") << us << "us"
                                      << "https://ACCOUNTS.ZOHO.EU"
                                      << "https://accounts.zoho.eu";
    QTest::newRow("look-alike suffix") << us << "us"
                                       << "https://accounts.zoho.eu.evil.example"
                                       << "";
    QTest::newRow("look-alike prefix") << us << "us"
                                       << "https://evilaccounts.zoho.eu"
                                       << "";
    QTest::newRow("foreign host") << us << "us"
                                  << "https://evil.example.com"
                                  << "";
    QTest::newRow("plain http") << us << "us"
                                << "http://accounts.zoho.eu"
                                << "";
    QTest::newRow("other port") << us << "us"
                                << "https://accounts.zoho.eu:8443"
                                << "";
    QTest::newRow("user info") << us << "us"
                               << "https://x@accounts.zoho.eu"
                               << "";
    QTest::newRow("a path") << us << "us"
                            << "https://accounts.zoho.eu/collect"
                            << "";
    QTest::newRow("a query") << us << "us"
                             << "https://accounts.zoho.eu?x=1"
                             << "";
    QTest::newRow("not a URL") << us << "us"
                               << "javascript:alert(1)"
                               << "";
    QTest::newRow("custom: itself") << sim << "custom"
                                    << "http://127.0.0.1:4000" << sim;
    QTest::newRow("custom: Zoho's host") << sim << "custom"
                                         << "https://accounts.zoho.com"
                                         << "";
    QTest::newRow("custom: other port") << sim << "custom"
                                        << "http://127.0.0.1:4001"
                                        << "";
    QTest::newRow("custom: other host") << sim << "custom"
                                        << "http://127.0.0.2:4000"
                                        << "";
}

// The client secret goes to the configured accounts server or to one of Zoho's, never to any host a
// redirect names.
void tst_ZohoAuthorization::tokenServerAllowList()
{
    QFETCH(QString, configured);
    QFETCH(QString, dataCentre);
    QFETCH(QString, redirect);
    QFETCH(QString, expected);
    const auto server = ZohoAuthorization::tokenServer(QUrl(configured), dataCentre, redirect);
    if (expected.isEmpty()) {
        QVERIFY2(!server.ok(), qPrintable(server.ok() ? server.value().toString() : QString()));
        QCOMPARE(server.error().code, QStringLiteral("untrusted_accounts_server"));
        QVERIFY(server.error().message.contains(QStringLiteral("client secret was not sent")));
    } else {
        QVERIFY2(server.ok(), qPrintable(server.ok() ? QString() : server.error().message));
        QCOMPARE(server.value(), QUrl(expected));
    }
}

// The settings page selects the data centre Zoho's answer names, so later refreshes go there.
void tst_ZohoAuthorization::dataCentreOfAnAccountsServer()
{
    QCOMPARE(ZohoAuthorization::dataCentreOf(QUrl(QStringLiteral("https://accounts.zoho.eu"))), QStringLiteral("eu"));
    QCOMPARE(ZohoAuthorization::dataCentreOf(QUrl(QStringLiteral("https://accounts.zohocloud.ca/"))),
             QStringLiteral("ca"));
    QCOMPARE(ZohoAuthorization::dataCentreOf(QUrl(QStringLiteral("https://accounts.zoho.com.au"))),
             QStringLiteral("au"));
    QVERIFY(ZohoAuthorization::dataCentreOf(QUrl(QStringLiteral("http://127.0.0.1:4000"))).isEmpty());
    QVERIFY(ZohoAuthorization::dataCentreOf(QUrl(QStringLiteral("https://accounts.zoho.eu:8443"))).isEmpty());
}

void tst_ZohoAuthorization::listenerAcceptsTheMatchingCallback()
{
    ZohoRedirectListener listener;
    Outcome<ZohoRedirect> outcome;
    const auto uri = listener.listen(QStringLiteral("the-state"), outcome.callback());
    QVERIFY(uri.ok());
    QCOMPARE(uri.value().host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(uri.value().path(), QStringLiteral("/callback"));
    QVERIFY(uri.value().port() > 0);
    const RawAnswer answer =
        rawRequest(quint16(uri.value().port()),
                   get("/callback?state=the-state&code=1000.abc.def&location=eu&accounts-server=https%3A%2F%2F"
                       "accounts.zoho.eu"));
    QCOMPARE(answer.status(), 200);
    QVERIFY2(answer.bytes.contains("You can close this tab"), answer.bytes.constData());
    QVERIFY(answer.bytes.contains("Cache-Control: no-store"));
    QVERIFY(outcome.wait());
    QVERIFY2(outcome.result->ok(), qPrintable(problem(outcome.result)));
    QCOMPARE(outcome.result->value().code, QStringLiteral("1000.abc.def"));
    QCOMPARE(outcome.result->value().location, QStringLiteral("eu"));
    QCOMPARE(outcome.result->value().accountsServer, QStringLiteral("https://accounts.zoho.eu"));
    QVERIFY(!listener.isWaiting());
    // Done: nothing listens any more.
    QTcpSocket late;
    late.connectToHost(QHostAddress::LocalHost, quint16(uri.value().port()));
    QVERIFY(QTest::qWaitFor([&] { return late.state() == QAbstractSocket::UnconnectedState; }, kWaitMs));
}

void tst_ZohoAuthorization::listenerRefusesAWrongState_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::newRow("other state") << QByteArray("/callback?state=guess&code=c");
    QTest::newRow("prefix of it") << QByteArray("/callback?state=the-stat&code=c");
    QTest::newRow("no state") << QByteArray("/callback?code=c");
    QTest::newRow("state twice") << QByteArray("/callback?state=the-state&state=x&code=c");
}

void tst_ZohoAuthorization::listenerRefusesAWrongState()
{
    QFETCH(QByteArray, target);
    ZohoRedirectListener listener;
    Outcome<ZohoRedirect> outcome;
    const auto uri = listener.listen(QStringLiteral("the-state"), outcome.callback());
    QVERIFY(uri.ok());
    const RawAnswer answer = rawRequest(quint16(uri.value().port()), get(target));
    QCOMPARE(answer.status(), 400);
    QVERIFY(answer.bytes.contains("does not belong to the sign-in"));
    QVERIFY(outcome.wait());
    QVERIFY(!outcome.result->ok());
    QCOMPARE(outcome.result->error().code, QStringLiteral("state_mismatch"));
    QVERIFY(outcome.result->error().message.contains(QStringLiteral("wrong state")));
}

void tst_ZohoAuthorization::listenerAnswersOtherPathsAndKeepsWaiting()
{
    ZohoRedirectListener listener;
    QSignalSpy rejected(&listener, &ZohoRedirectListener::requestRejected);
    Outcome<ZohoRedirect> outcome;
    const auto uri = listener.listen(QStringLiteral("s1"), outcome.callback());
    QVERIFY(uri.ok());
    const quint16 port = quint16(uri.value().port());

    QCOMPARE(rawRequest(port, get("/favicon.ico")).status(), 404);
    QCOMPARE(rawRequest(port, get("/callbackx?state=s1&code=c")).status(), 404);
    QCOMPARE(rawRequest(port, "POST /callback?state=s1&code=c HTTP/1.1\r\nContent-Length: 0\r\n\r\n").status(), 405);
    QCOMPARE(rawRequest(port, "garbage\r\n\r\n").status(), 400);
    QCOMPARE(rejected.count(), 4);
    QVERIFY(rejected.at(0).at(0).toString().contains(QStringLiteral("/favicon.ico")));
    QTest::qWait(50);
    QVERIFY(!outcome.result.has_value());
    QVERIFY(listener.isWaiting());

    QCOMPARE(rawRequest(port, get("/callback?state=s1&code=good")).status(), 200);
    QVERIFY(outcome.wait());
    QVERIFY2(outcome.result->ok(), qPrintable(problem(outcome.result)));
    QCOMPARE(outcome.result->value().code, QStringLiteral("good"));
}

void tst_ZohoAuthorization::listenerRefusesAnOversizedRequest()
{
    ZohoRedirectListener listener;
    QSignalSpy rejected(&listener, &ZohoRedirectListener::requestRejected);
    Outcome<ZohoRedirect> outcome;
    const auto uri = listener.listen(QStringLiteral("s2"), outcome.callback());
    QVERIFY(uri.ok());
    const quint16 port = quint16(uri.value().port());

    // A head over the limit, even with the right state, gets 431 and does not end the wait.
    const QByteArray huge =
        "GET /callback?state=s2&code=c HTTP/1.1\r\nX-Fill: " + QByteArray(ZohoRedirectListener::kMaxRequestBytes, 'a') +
        "\r\n\r\n";
    QCOMPARE(rawRequest(port, huge).status(), 431);
    // No terminator at all: also refused once the limit is passed.
    QCOMPARE(rawRequest(port, QByteArray(3 * ZohoRedirectListener::kMaxRequestBytes, 'b')).status(), 431);
    QCOMPARE(rejected.count(), 2);
    QVERIFY(!outcome.result.has_value());

    QCOMPARE(rawRequest(port, get("/callback?state=s2&code=ok")).status(), 200);
    QVERIFY(outcome.wait());
    QVERIFY2(outcome.result->ok(), qPrintable(problem(outcome.result)));
}

void tst_ZohoAuthorization::listenerReportsAccessDenied()
{
    ZohoRedirectListener listener;
    Outcome<ZohoRedirect> outcome;
    const auto uri = listener.listen(QStringLiteral("s3"), outcome.callback());
    QVERIFY(uri.ok());
    const RawAnswer answer = rawRequest(quint16(uri.value().port()), get("/callback?error=access_denied&state=s3"));
    QCOMPARE(answer.status(), 200);
    QVERIFY(answer.bytes.contains("You declined access"));
    QVERIFY(outcome.wait());
    QVERIFY(!outcome.result->ok());
    QCOMPARE(outcome.result->error().code, QStringLiteral("access_denied"));
    QVERIFY(outcome.result->error().message.contains(QStringLiteral("declined")));

    // Without a code and without an error: a clear error too.
    ZohoRedirectListener second;
    Outcome<ZohoRedirect> empty;
    const auto uri2 = second.listen(QStringLiteral("s4"), empty.callback());
    QVERIFY(uri2.ok());
    QCOMPARE(rawRequest(quint16(uri2.value().port()), get("/callback?state=s4")).status(), 400);
    QVERIFY(empty.wait());
    QVERIFY(!empty.result->ok());
    QVERIFY(empty.result->error().message.contains(QStringLiteral("without a code")));
}

void tst_ZohoAuthorization::listenerTimesOutAndCancels()
{
    ZohoRedirectListener timed;
    timed.setTimeoutMs(100);
    Outcome<ZohoRedirect> timeout;
    QVERIFY(timed.listen(QStringLiteral("s"), timeout.callback()).ok());
    QVERIFY(timeout.wait());
    QVERIFY(!timeout.result->ok());
    QCOMPARE(timeout.result->error().kind, Error::Kind::Timeout);
    QVERIFY(timeout.result->error().message.contains(QStringLiteral("start it again")));

    ZohoRedirectListener cancelled;
    Outcome<ZohoRedirect> outcome;
    const auto uri = cancelled.listen(QStringLiteral("s"), outcome.callback());
    QVERIFY(uri.ok());
    cancelled.cancel();
    QVERIFY(!outcome.result.has_value()); // from the event loop, not from inside cancel()
    QVERIFY(outcome.wait());
    QCOMPARE(outcome.result->error().code, QStringLiteral("cancelled"));
    QTcpSocket late;
    late.connectToHost(QHostAddress::LocalHost, quint16(uri.value().port()));
    QVERIFY(QTest::qWaitFor([&] { return late.state() == QAbstractSocket::UnconnectedState; }, kWaitMs));
}

// A redirect naming a host outside the allow-list gets no request at all; the configured server gets
// the form body with the secret.
void tst_ZohoAuthorization::exchangeSendsTheSecretOnlyToAllowedServers()
{
    QHttpServer server;
    QList<QByteArray> bodies;
    server.route(QStringLiteral("/oauth/v2/token"), [&bodies](const QHttpServerRequest& request) {
        bodies << request.body();
        return QHttpServerResponse(QJsonObject{{QStringLiteral("access_token"), QStringLiteral("1000.at")},
                                               {QStringLiteral("refresh_token"), QStringLiteral("1000.rt")},
                                               {QStringLiteral("api_domain"), QStringLiteral("https://api.example")},
                                               {QStringLiteral("expires_in"), 3600}});
    });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port != 0);
    const QUrl fake(QStringLiteral("http://127.0.0.1:%1").arg(port));

    HttpClient http(&m_network);
    ZohoCodeExchange exchange(&http);
    ZohoCodeExchange::Request request;
    request.accountsUrl = QUrl(QStringLiteral("https://accounts.zoho.com"));
    request.dataCentre = QStringLiteral("us");
    request.redirectAccountsServer = fake.toString(); // a forged accounts-server
    request.clientId = QStringLiteral("1000.CLIENT");
    request.clientSecret = QStringLiteral("s3cr+t&=");
    request.code = QStringLiteral("1000.code");
    request.redirectUri = QUrl(QStringLiteral("http://127.0.0.1:1/callback"));
    Outcome<ZohoGrant> refused;
    exchange.exchange(request, refused.callback());
    QVERIFY(refused.wait());
    QVERIFY(!refused.result->ok());
    QCOMPARE(refused.result->error().code, QStringLiteral("untrusted_accounts_server"));
    QVERIFY(!refused.result->error().message.contains(request.clientSecret));
    QTest::qWait(50);
    QCOMPARE(bodies.size(), 0);

    request.accountsUrl = fake;
    request.dataCentre = QStringLiteral("custom");
    Outcome<ZohoGrant> accepted;
    exchange.exchange(request, accepted.callback());
    QVERIFY(accepted.wait());
    QVERIFY2(accepted.result->ok(), qPrintable(accepted.result->ok() ? QString() : accepted.result->error().message));
    QCOMPARE(accepted.result->value().refreshToken, QStringLiteral("1000.rt"));
    QCOMPARE(accepted.result->value().apiDomain, QUrl(QStringLiteral("https://api.example")));
    QCOMPARE(accepted.result->value().accountsServer, fake);
    QCOMPARE(bodies.size(), 1);
    const QUrlQuery form(QString::fromUtf8(bodies.first()));
    QCOMPARE(form.queryItemValue(QStringLiteral("grant_type")), QStringLiteral("authorization_code"));
    QCOMPARE(form.queryItemValue(QStringLiteral("client_secret"), QUrl::FullyDecoded), request.clientSecret);
    QCOMPARE(form.queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded),
             QStringLiteral("http://127.0.0.1:1/callback"));
    QCOMPARE(form.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded), QStringLiteral("1000.code"));
}

void tst_ZohoAuthorization::exchangeOfASelfClientCodeHasNoRedirectUri()
{
    QHttpServer server;
    QByteArray body;
    server.route(QStringLiteral("/oauth/v2/token"), [&body](const QHttpServerRequest& request) {
        body = request.body();
        return QHttpServerResponse(QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid_code")}});
    });
    const quint16 port = server.listen(QHostAddress::LocalHost, 0);
    QVERIFY(port != 0);
    HttpClient http(&m_network);
    ZohoCodeExchange exchange(&http);
    ZohoCodeExchange::Request request;
    request.accountsUrl = QUrl(QStringLiteral("http://127.0.0.1:%1").arg(port));
    request.dataCentre = QStringLiteral("custom");
    request.clientId = QStringLiteral("id");
    request.clientSecret = QStringLiteral("secret");
    request.code = QStringLiteral("  1000.pasted \n"); // pasted with blanks
    Outcome<ZohoGrant> outcome;
    exchange.exchange(request, outcome.callback());
    QVERIFY(outcome.wait());
    QVERIFY(!outcome.result->ok());
    QCOMPARE(outcome.result->error().code, QStringLiteral("invalid_code"));
    QVERIFY(outcome.result->error().message.contains(QStringLiteral("self-client code")));
    const QUrlQuery form(QString::fromUtf8(body));
    QVERIFY(!form.hasQueryItem(QStringLiteral("redirect_uri")));
    QCOMPARE(form.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded), QStringLiteral("1000.pasted"));
}

void tst_ZohoAuthorization::answersInPlainWords()
{
    const QUrl server(QStringLiteral("https://accounts.zoho.eu"));
    const auto parse = [&](const Result<HttpResponse>& answer, bool selfClient) {
        return ZohoCodeExchange::parseAnswer(answer, server, selfClient);
    };
    const auto used = parse(jsonAnswer("{\"error\":\"invalid_code\"}"), false);
    QVERIFY(!used.ok());
    QVERIFY(used.error().message.contains(QStringLiteral("expired or was already used")));
    QVERIFY(used.error().message.contains(QStringLiteral("2 minutes")));
    const auto usedSelf = parse(jsonAnswer("{\"error\":\"invalid_code\"}"), true);
    QVERIFY(usedSelf.error().message.contains(QStringLiteral("at most about 10")));

    const auto client = parse(jsonAnswer("{\"error\":\"invalid_client\"}"), false);
    QCOMPARE(client.error().kind, Error::Kind::Auth);
    QVERIFY(client.error().message.contains(QStringLiteral("client id or client secret")));
    QVERIFY(client.error().message.contains(QStringLiteral("data centre")));

    const auto noRefresh = parse(jsonAnswer("{\"access_token\":\"1000.a\",\"expires_in\":3600}"), false);
    QVERIFY(!noRefresh.ok());
    QCOMPARE(noRefresh.error().code, QStringLiteral("no_refresh_token"));
    QVERIFY(noRefresh.error().message.contains(QStringLiteral("prompt=consent")));
    QVERIFY(noRefresh.error().message.contains(QStringLiteral("Connected Apps")));

    const auto throttled = parse(jsonAnswer("{\"error\":\"Access Denied\",\"status\":\"failure\"}"), true);
    QCOMPARE(throttled.error().kind, Error::Kind::Throttled);

    const auto network =
        parse(Result<HttpResponse>(Error{Error::Kind::Network, QStringLiteral("Connection refused")}), false);
    QCOMPARE(network.error().kind, Error::Kind::Network);
    QVERIFY(network.error().message.contains(QStringLiteral("could not be reached")));
    QVERIFY(network.error().message.contains(QStringLiteral("accounts.zoho.eu")));

    const auto html = parse(jsonAnswer("<html>oops</html>", 502), false);
    QCOMPARE(html.error().kind, Error::Kind::BadResponse);

    const auto ok = parse(
        jsonAnswer(
            "{\"access_token\":\"1000.a\",\"refresh_token\":\"1000.r\",\"api_domain\":\"https://www.zohoapis.eu\","
            "\"token_type\":\"Bearer\",\"expires_in\":3600}"),
        false);
    QVERIFY(ok.ok());
    QCOMPARE(ok.value().refreshToken, QStringLiteral("1000.r"));
    QCOMPARE(ok.value().apiDomain, QUrl(QStringLiteral("https://www.zohoapis.eu")));
    QCOMPARE(ok.value().expiresInS, 3600);
    QCOMPARE(ok.value().accountsServer, server);
}

void tst_ZohoAuthorization::signInWithoutBrowserOrSecretSaysSo()
{
    HttpClient http(&m_network);
    ZohoBrowserSignIn::Config config;
    config.accountsUrl = QUrl(QStringLiteral("https://accounts.zoho.com"));
    config.dataCentre = QStringLiteral("us");
    config.clientId = QStringLiteral("1000.CLIENT");
    config.clientSecret = QStringLiteral("secret");

    QUrl opened;
    ZohoBrowserSignIn noBrowser(config, &http);
    Outcome<ZohoGrant> outcome;
    noBrowser.start(
        [&opened](const QUrl& url) {
            opened = url;
            return false;
        },
        outcome.callback());
    QVERIFY(outcome.wait());
    QCOMPARE(outcome.result->error().code, QStringLiteral("no_browser"));
    QCOMPARE(opened.path(), QStringLiteral("/oauth/v2/auth"));
    QVERIFY(!noBrowser.listener()->isWaiting());

    config.clientSecret.clear();
    ZohoBrowserSignIn noSecret(config, &http);
    Outcome<ZohoGrant> missing;
    bool openerCalled = false;
    noSecret.start(
        [&openerCalled](const QUrl&) {
            openerCalled = true;
            return true;
        },
        missing.callback());
    QVERIFY(missing.wait());
    QCOMPARE(missing.result->error().kind, Error::Kind::InvalidInput);
    QVERIFY(!openerCalled);
}

QTEST_GUILESS_MAIN(tst_ZohoAuthorization)
#include "tst_ZohoAuthorization.moc"
