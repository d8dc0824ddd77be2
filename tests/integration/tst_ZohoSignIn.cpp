// The Zoho sign-in end to end over real loopback HTTP: a stand-in browser fetches the authorize URL
// from ml-connector-sim, follows its 302 to our listener, the code is exchanged, the refresh token
// lands in a credential store, and the connection test signs in with it and reads records.
#include "SimTestClient.h"

#include "net/ConnectionTester.h"
#include "net/Connections.h"
#include "net/HttpClient.h"
#include "secrets/MemoryCredentialStore.h"
#include "zoho/ZohoAuthorization.h"
#include "zoho/ZohoClient.h"
#include "zoho/ZohoTokenManager.h"

#include <QTest>

using namespace SimTest;
using namespace Core;

namespace {

// A browser for tests: GETs a URL and follows redirects, keeping the final page.
class Browser
{
public:
    Browser() { m_network.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy); }

    ZohoBrowserSignIn::UrlOpener opener()
    {
        return [this](const QUrl& url) {
            opened = url;
            QNetworkRequest request(url);
            request.setTransferTimeout(kTimeoutMs);
            QNetworkReply* reply = m_network.get(request);
            QObject::connect(reply, &QNetworkReply::finished, reply, [this, reply] {
                finalUrl = reply->url();
                status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                page = reply->readAll();
                done = true;
                reply->deleteLater();
            });
            return true;
        };
    }

    QUrl opened;
    QUrl finalUrl;
    int status = 0;
    QByteArray page;
    bool done = false;

private:
    QNetworkAccessManager m_network;
};

QString stored(CredentialStore& store, const QString& key)
{
    Waiter<QString> read;
    store.read(key, &store, read.callback());
    if (!read.wait())
        return QStringLiteral("<no answer>");
    return read->ok() ? read->value() : QString();
}

} // namespace

class tst_ZohoSignIn : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void browserSignInStoresARefreshTokenThatWorks();
    void denyingConsentStoresNothing();
    void wrongDataCentreNeverComesBack();
    void pastedCodeWorksOnceAndExpires();
    void pastedCodeWithoutOfflineAccessSaysWhy();

private:
    ZohoBrowserSignIn::Config config() const
    {
        ZohoBrowserSignIn::Config c;
        c.accountsUrl = m_base;
        c.dataCentre = QStringLiteral("custom");
        c.clientId = kZohoClientId;
        c.clientSecret = kZohoClientSecret;
        return c;
    }
    ZohoCodeExchange::Request pasted(const QString& code) const
    {
        ZohoCodeExchange::Request r;
        r.accountsUrl = m_base;
        r.dataCentre = QStringLiteral("custom");
        r.clientId = kZohoClientId;
        r.clientSecret = kZohoClientSecret;
        r.code = code;
        return r;
    }
    QString mintCode(const QJsonObject& body = {})
    {
        return m_api.control("POST", QStringLiteral("/_sim/zoho/grant_codes"), body)
            .json()
            .value(QStringLiteral("code"))
            .toString();
    }

    Core::SimulatorLauncher m_launcher;
    Client m_api;
    QUrl m_base;
    QNetworkAccessManager m_network;
};

void tst_ZohoSignIn::initTestCase()
{
    QString why;
    m_base = startSimulator(m_launcher, {QStringLiteral("--demo")}, &why);
    QVERIFY2(m_base.isValid(), qPrintable(why));
    m_api.setBase(m_base);
}

void tst_ZohoSignIn::init()
{
    SIM_VERIFY_STATUS(m_api.reset(QJsonObject{{QStringLiteral("seed"), 1}, {QStringLiteral("demo"), true}}), 200);
}

void tst_ZohoSignIn::cleanupTestCase()
{
    m_launcher.stop();
}

void tst_ZohoSignIn::browserSignInStoresARefreshTokenThatWorks()
{
    HttpClient http(&m_network);
    ZohoBrowserSignIn signIn(config(), &http);
    QSignalSpy waiting(&signIn, &ZohoBrowserSignIn::waitingForBrowser);
    QSignalSpy exchanging(&signIn, &ZohoBrowserSignIn::exchanging);
    Browser browser;
    Waiter<ZohoGrant> grant;
    signIn.start(browser.opener(), grant.callback());
    QCOMPARE(waiting.count(), 1);
    QCOMPARE(browser.opened, signIn.authorizeUrl());
    QVERIFY(grant.wait());
    QVERIFY2(grant->ok(), qPrintable(problem(*grant)));
    QCOMPARE(exchanging.count(), 1);

    // The browser landed on our listener and got the page that says it may close.
    QVERIFY(QTest::qWaitFor([&] { return browser.done; }, kTimeoutMs));
    QCOMPARE(browser.status, 200);
    QCOMPARE(browser.finalUrl.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(browser.finalUrl.path(), QStringLiteral("/callback"));
    QVERIFY2(browser.page.contains("You can close this tab"), browser.page.constData());

    const ZohoGrant& g = grant->value();
    QVERIFY(!g.refreshToken.isEmpty());
    QVERIFY(g.refreshToken != kZohoRefreshToken); // a fresh grant, not the sim's seeded token
    QCOMPARE(g.accountsServer, m_base);
    QCOMPARE(g.apiDomain, m_base);

    MemoryCredentialStore store;
    Waiter<Ok> written;
    ZohoAuthorization::storeRefreshToken(&store, g, &store, written.callback());
    QVERIFY(written.wait());
    QVERIFY2(written->ok(), qPrintable(problem(*written)));
    QCOMPARE(stored(store, QStringLiteral("zoho/refresh_token")), g.refreshToken);
    Waiter<Ok> secret;
    store.write(QString::fromLatin1(ZohoTokenManager::kClientSecretKey), kZohoClientSecret, &store, secret.callback());
    QVERIFY(secret.wait() && secret->ok());

    // The stored token is all the app needs: the connection test signs in and reads records and channels.
    ZohoConnection zoho;
    zoho.dataCentre = QStringLiteral("custom");
    zoho.accountsUrl = m_base.toString();
    zoho.apiUrl = m_base.toString();
    zoho.clientId = kZohoClientId;
    Connections connections(&m_network, &store, zoho, OracleConnection{});
    ConnectionTester tester(&connections);
    ConnectionStatus last;
    connect(&tester, &ConnectionTester::statusChanged, this, [&last](Service service, const ConnectionStatus& status) {
        if (service == Service::Zoho)
            last = status;
    });
    tester.testZoho();
    QVERIFY(QTest::qWaitFor(
        [&] {
            return last.state == ConnectionStatus::State::Connected || last.state == ConnectionStatus::State::Failed;
        },
        kTimeoutMs));
    QVERIFY2(last.state == ConnectionStatus::State::Connected,
             qPrintable(last.summary + QLatin1Char(' ') + last.detail));

    Waiter<QList<QJsonObject>> page;
    connections.zoho()->firstPage(QStringLiteral("Contacts"), {QStringLiteral("Last_Name")}, 5, this, page.callback());
    QVERIFY(page.wait());
    QVERIFY2(page->ok(), qPrintable(problem(*page)));
    QCOMPARE(page->value().size(), 5);

    // One consent, through the authorize endpoint; the code went over the wire once.
    const QJsonObject stats = m_api.control("GET", QStringLiteral("/_sim/stats")).json();
    QCOMPARE(findKey(stats, QStringLiteral("zoho.auth")).toInt(), 1);
    QCOMPARE(findKey(stats, QStringLiteral("consents_given")).toInt(), 1);
    QVERIFY(!signIn.listener()->isWaiting());
}

void tst_ZohoSignIn::denyingConsentStoresNothing()
{
    SIM_VERIFY_STATUS(
        m_api.control("POST", QStringLiteral("/_sim/zoho/consent"), QJsonObject{{QStringLiteral("deny"), true}}), 200);
    HttpClient http(&m_network);
    ZohoBrowserSignIn signIn(config(), &http);
    QSignalSpy exchanging(&signIn, &ZohoBrowserSignIn::exchanging);
    Browser browser;
    Waiter<ZohoGrant> grant;
    signIn.start(browser.opener(), grant.callback());
    QVERIFY(grant.wait());
    QVERIFY(!grant->ok());
    QCOMPARE(grant->error().code, QStringLiteral("access_denied"));
    QVERIFY2(grant->error().message.contains(QStringLiteral("declined")), qPrintable(grant->error().message));
    QCOMPARE(exchanging.count(), 0);
    QVERIFY(QTest::qWaitFor([&] { return browser.done; }, kTimeoutMs));
    QVERIFY2(browser.page.contains("You declined access"), browser.page.constData());
    const QJsonObject stats = m_api.control("GET", QStringLiteral("/_sim/stats")).json();
    QCOMPARE(findKey(stats, QStringLiteral("consents_denied")).toInt(), 1);
    QVERIFY(findKey(stats, QStringLiteral("tokens_issued")).toInt(0) == 0);
}

// A client id the data centre does not know: Zoho shows its error page and never redirects, so the
// sign-in ends by its timeout (kept short here) with words that say what to do.
void tst_ZohoSignIn::wrongDataCentreNeverComesBack()
{
    HttpClient http(&m_network);
    auto c = config();
    c.accountsUrl = m_api.url(QStringLiteral("/_dc/eu"));
    c.timeoutMs = 1500;
    ZohoBrowserSignIn signIn(c, &http);
    Browser browser;
    Waiter<ZohoGrant> grant;
    signIn.start(browser.opener(), grant.callback());
    QVERIFY(QTest::qWaitFor([&] { return browser.done; }, kTimeoutMs));
    QCOMPARE(browser.status, 400);
    QVERIFY(browser.page.contains("error=invalid_client"));
    QVERIFY(grant.wait());
    QVERIFY(!grant->ok());
    QCOMPARE(grant->error().kind, Error::Kind::Timeout);
}

// The fallback: a self-client code exchanged once; again it is used, and a fresh one expires after 2 min.
void tst_ZohoSignIn::pastedCodeWorksOnceAndExpires()
{
    HttpClient http(&m_network);
    ZohoCodeExchange exchange(&http);
    const QString code = mintCode();
    QVERIFY(!code.isEmpty());
    Waiter<ZohoGrant> first;
    exchange.exchange(pasted(code), first.callback());
    QVERIFY(first.wait());
    QVERIFY2(first->ok(), qPrintable(problem(*first)));
    QVERIFY(!first->value().refreshToken.isEmpty());

    Waiter<ZohoGrant> again;
    exchange.exchange(pasted(code), again.callback());
    QVERIFY(again.wait());
    QVERIFY(!again->ok());
    QCOMPARE(again->error().code, QStringLiteral("invalid_code"));
    QVERIFY2(again->error().message.contains(QStringLiteral("expired or was already used")),
             qPrintable(again->error().message));
    QVERIFY(!again->error().message.contains(code));

    const QString late = mintCode();
    QVERIFY(m_api.advanceClock(121).status / 100 == 2);
    Waiter<ZohoGrant> expired;
    exchange.exchange(pasted(late), expired.callback());
    QVERIFY(expired.wait());
    QCOMPARE(expired->error().code, QStringLiteral("invalid_code"));

    Waiter<ZohoGrant> wrongSecret;
    auto request = pasted(mintCode());
    request.clientSecret = QStringLiteral("not-the-secret");
    exchange.exchange(request, wrongSecret.callback());
    QVERIFY(wrongSecret.wait());
    QCOMPARE(wrongSecret->error().code, QStringLiteral("invalid_client"));
    QVERIFY(!wrongSecret->error().message.contains(QStringLiteral("not-the-secret")));
}

void tst_ZohoSignIn::pastedCodeWithoutOfflineAccessSaysWhy()
{
    HttpClient http(&m_network);
    ZohoCodeExchange exchange(&http);
    Waiter<ZohoGrant> grant;
    exchange.exchange(pasted(mintCode(QJsonObject{{QStringLiteral("offline"), false}})), grant.callback());
    QVERIFY(grant.wait());
    QVERIFY(!grant->ok());
    QCOMPARE(grant->error().code, QStringLiteral("no_refresh_token"));
    QVERIFY(grant->error().message.contains(QStringLiteral("prompt=consent")));
}

QTEST_GUILESS_MAIN(tst_ZohoSignIn)
#include "tst_ZohoSignIn.moc"
