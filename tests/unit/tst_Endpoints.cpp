#include "net/UrlPolicy.h"
#include "oracle/OracleEndpoint.h"
#include "zoho/ZohoDataCentre.h"

#include <QTest>

using namespace Core;

class tst_Endpoints : public QObject
{
    Q_OBJECT

private slots:
    void oraclePodUrl_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected"); // empty: refused
        QTest::addColumn<QString>("errorMentions");
        QTest::newRow("pod") << "https://acme-test.fa.us2.oraclecloud.com"
                             << "https://acme-test.fa.us2.oraclecloud.com"
                             << "";
        QTest::newRow("trailing slash") << "https://acme.fa.em2.oraclecloud.com/"
                                        << "https://acme.fa.em2.oraclecloud.com"
                                        << "";
        QTest::newRow("pasted REST path")
            << "https://acme.fa.us6.oraclecloud.com/crmRestApi/resources/11.13.18.05/accounts"
            << "https://acme.fa.us6.oraclecloud.com"
            << "";
        QTest::newRow("ocs form") << "https://fa-evlf-saasfaprod1.fa.ocs.oraclecloud.com"
                                  << "https://fa-evlf-saasfaprod1.fa.ocs.oraclecloud.com"
                                  << "";
        QTest::newRow("loopback http") << "http://127.0.0.1:8080"
                                       << "http://127.0.0.1:8080"
                                       << "";
        QTest::newRow("localhost http") << "http://localhost:9000"
                                        << "http://localhost:9000"
                                        << "";
        QTest::newRow("ipv6 loopback") << "http://[::1]:9000"
                                       << "http://[::1]:9000"
                                       << "";
        QTest::newRow("plain http remote") << "http://acme.fa.us2.oraclecloud.com"
                                           << ""
                                           << "plain http:// is refused for acme.fa.us2.oraclecloud.com";
        QTest::newRow("http private address") << "http://10.0.0.5"
                                              << ""
                                              << "plain http:// is refused";
        QTest::newRow("ftp") << "ftp://acme.example"
                             << ""
                             << "must start with https://";
        QTest::newRow("no scheme") << "acme.fa.us2.oraclecloud.com"
                                   << ""
                                   << "oracle.pod_url";
        QTest::newRow("empty") << ""
                               << ""
                               << "no URL given";
        QTest::newRow("credentials in URL") << "https://user:pw@acme.fa.us2.oraclecloud.com"
                                            << ""
                                            << "must not carry a user name";
        QTest::newRow("other path") << "https://acme.fa.us2.oraclecloud.com/fusion"
                                    << ""
                                    << "has a path";
        QTest::newRow("query") << "https://acme.fa.us2.oraclecloud.com?x=1"
                               << ""
                               << "query";
    }

    void oraclePodUrl()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QFETCH(QString, errorMentions);
        const auto result = OracleEndpoint::fromPodUrl(input);
        if (expected.isEmpty()) {
            QVERIFY(!result.ok());
            QCOMPARE(result.error().kind, Error::Kind::Config);
            QVERIFY2(result.error().message.contains(errorMentions), qPrintable(result.error().message));
        } else {
            QVERIFY2(result.ok(), qPrintable(result.ok() ? QString() : result.error().message));
            QCOMPARE(result.value().toString(), expected);
        }
    }

    void oraclePodAndRegion()
    {
        const auto ok = OracleEndpoint::fromPodAndRegion(QStringLiteral("Acme-Test"), QStringLiteral("us2"));
        QVERIFY(ok.ok());
        QCOMPARE(ok.value().toString(), QStringLiteral("https://acme-test.fa.us2.oraclecloud.com"));
        QCOMPARE(OracleEndpoint::crmResource(ok.value(), QStringLiteral("accounts")).toString(),
                 QStringLiteral("https://acme-test.fa.us2.oraclecloud.com/crmRestApi/resources/11.13.18.05/accounts"));
        QCOMPARE(
            OracleEndpoint::fscmResource(ok.value(), QStringLiteral("receivablesCustomerAccountActivities")).path(),
            QStringLiteral("/fscmRestApi/resources/11.13.18.05/receivablesCustomerAccountActivities"));

        const auto badPod = OracleEndpoint::fromPodAndRegion(QStringLiteral("acme.evil.com/x"), QStringLiteral("us2"));
        QVERIFY(!badPod.ok());
        QVERIFY(badPod.error().message.startsWith(QStringLiteral("oracle.pod:")));
        const auto badRegion = OracleEndpoint::fromPodAndRegion(QStringLiteral("acme"), QStringLiteral("us 2"));
        QVERIFY(!badRegion.ok());
        QVERIFY(badRegion.error().message.startsWith(QStringLiteral("oracle.region:")));
    }

    void zohoDataCentres_data()
    {
        QTest::addColumn<QString>("dc");
        QTest::addColumn<QString>("accounts");
        QTest::addColumn<QString>("api");
        QTest::newRow("us") << "us"
                            << "https://accounts.zoho.com"
                            << "https://www.zohoapis.com";
        QTest::newRow("eu") << "eu"
                            << "https://accounts.zoho.eu"
                            << "https://www.zohoapis.eu";
        QTest::newRow("in") << "in"
                            << "https://accounts.zoho.in"
                            << "https://www.zohoapis.in";
        QTest::newRow("au") << "au"
                            << "https://accounts.zoho.com.au"
                            << "https://www.zohoapis.com.au";
        QTest::newRow("cn") << "cn"
                            << "https://accounts.zoho.com.cn"
                            << "https://www.zohoapis.com.cn";
        QTest::newRow("jp") << "jp"
                            << "https://accounts.zoho.jp"
                            << "https://www.zohoapis.jp";
        QTest::newRow("ca is zohocloud.ca") << "ca"
                                            << "https://accounts.zohocloud.ca"
                                            << "https://www.zohoapis.ca";
        QTest::newRow("sa") << "sa"
                            << "https://accounts.zoho.sa"
                            << "https://www.zohoapis.sa";
        QTest::newRow("case-insensitive") << "EU"
                                          << "https://accounts.zoho.eu"
                                          << "https://www.zohoapis.eu";
    }

    void zohoDataCentres()
    {
        QFETCH(QString, dc);
        QFETCH(QString, accounts);
        QFETCH(QString, api);
        const auto endpoints = resolveZohoEndpoints(dc);
        QVERIFY(endpoints.ok());
        QCOMPARE(endpoints.value().accountsUrl.toString(), accounts);
        QCOMPARE(endpoints.value().apiUrl.toString(), api);
    }

    void zohoCoversEightDataCentres() { QCOMPARE(ZohoDataCentre::all().size(), 8); }

    void zohoSandboxAndDeveloperHosts()
    {
        const auto sandbox = resolveZohoEndpoints(QStringLiteral("eu"), ZohoEnvironment::Sandbox);
        QCOMPARE(sandbox.value().apiUrl.toString(), QStringLiteral("https://sandbox.zohoapis.eu"));
        QCOMPARE(sandbox.value().accountsUrl.toString(), QStringLiteral("https://accounts.zoho.eu"));
        const auto developer = resolveZohoEndpoints(QStringLiteral("au"), ZohoEnvironment::Developer);
        QCOMPARE(developer.value().apiUrl.toString(), QStringLiteral("https://developer.zohoapis.com.au"));
    }

    void zohoCustomUrls()
    {
        const auto custom =
            resolveZohoEndpoints(QStringLiteral("custom"), ZohoEnvironment::Production,
                                 QStringLiteral("http://127.0.0.1:8080"), QStringLiteral("http://127.0.0.1:8080/"));
        QVERIFY(custom.ok());
        QCOMPARE(custom.value().dataCentre, QStringLiteral("custom"));
        QCOMPARE(custom.value().apiUrl.toString(), QStringLiteral("http://127.0.0.1:8080"));

        const auto insecure = resolveZohoEndpoints(QStringLiteral("custom"), ZohoEnvironment::Production,
                                                   QStringLiteral("http://accounts.example.com"),
                                                   QStringLiteral("https://api.example.com"));
        QVERIFY(!insecure.ok());
        QVERIFY(insecure.error().message.startsWith(QStringLiteral("zoho.accounts_url:")));
        QVERIFY(insecure.error().message.contains(QStringLiteral("plain http:// is refused")));
    }

    void zohoUnknownDataCentreNamesTheChoices()
    {
        const auto unknown = resolveZohoEndpoints(QStringLiteral("uk"));
        QVERIFY(!unknown.ok());
        QVERIFY(unknown.error().message.contains(QStringLiteral("\"uk\"")));
        QVERIFY(unknown.error().message.contains(QStringLiteral("us, eu, in, au, cn, jp, ca, sa")));
    }

    void loopbackHosts()
    {
        QVERIFY(UrlPolicy::isLoopbackHost(QStringLiteral("127.0.0.1")));
        QVERIFY(UrlPolicy::isLoopbackHost(QStringLiteral("127.1.2.3")));
        QVERIFY(UrlPolicy::isLoopbackHost(QStringLiteral("::1")));
        QVERIFY(UrlPolicy::isLoopbackHost(QStringLiteral("LOCALHOST")));
        QVERIFY(!UrlPolicy::isLoopbackHost(QStringLiteral("127.0.0.1.evil.com")));
        QVERIFY(!UrlPolicy::isLoopbackHost(QStringLiteral("192.168.1.1")));
        QVERIFY(!UrlPolicy::isLoopbackHost(QStringLiteral("localhost.example.com")));
    }
};

QTEST_GUILESS_MAIN(tst_Endpoints)
#include "tst_Endpoints.moc"
