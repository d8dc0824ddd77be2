// The connection set-up pages: live feedback while typing, apply to a real profile and store,
// and "Test connection" against the real simulator over loopback.
#include "settings/OracleSettingsPage.h"
#include "settings/ZohoSettingsPage.h"

#include "config/Profile.h"
#include "demo/DemoProfile.h"
#include "demo/SimulatorLauncher.h"
#include "oracle/OracleAuth.h"
#include "secrets/MemoryCredentialStore.h"
#include "zoho/ZohoAuthorization.h"
#include "zoho/ZohoTokenManager.h"

#include "WidgetTestHelpers.h"

#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include <optional>

using Core::ConnectionStatus;
using WidgetTest::child;
using WidgetTest::choose;
using WidgetTest::secretIn;
using WidgetTest::typeInto;

namespace {
// A browser for tests: GETs the sign-in address and follows the simulator's 302 to the page's listener.
struct Browser
{
    QNetworkAccessManager network;
    QByteArray page;
    int status = 0;
    bool done = false;

    Gui::ZohoSettingsPage::UrlOpener opener()
    {
        network.setRedirectPolicy(QNetworkRequest::NoLessSafeRedirectPolicy);
        return [this](const QUrl& url) {
            QNetworkReply* reply = network.get(QNetworkRequest(url));
            QObject::connect(reply, &QNetworkReply::finished, reply, [this, reply] {
                status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
                page = reply->readAll();
                done = true;
                reply->deleteLater();
            });
            return true;
        };
    }
};

// A self-client code minted by the simulator (POST /_sim/zoho/grant_codes).
QString mintGrantCode(const QUrl& base)
{
    QNetworkAccessManager network;
    QNetworkRequest request(base.resolved(QUrl(QStringLiteral("/_sim/zoho/grant_codes"))));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    QNetworkReply* reply = network.post(request, QByteArrayLiteral("{}"));
    if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, 20000))
        return {};
    const QString code = QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("code")).toString();
    reply->deleteLater();
    return code;
}
} // namespace

class tst_ConnectionSettings : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QSignalSpy ready(&m_simulator, &Core::SimulatorLauncher::ready);
        m_simulator.setArguments({QStringLiteral("--demo")});
        m_simulator.start();
        QVERIFY(ready.wait(20000) || m_simulator.isRunning());
    }

    void choosingADataCentreShowsItsAccountsServer()
    {
        Gui::ZohoSettingsPage page;
        auto* combo = child<QComboBox>(page, "dataCentreCombo");
        auto* accounts = child<QLabel>(page, "accountsServerLabel");
        QVERIFY(combo && accounts);
        QCOMPARE(combo->count(), 9);
        QCOMPARE(combo->itemText(8), QStringLiteral("Custom"));
        choose(combo, QStringLiteral("eu"));
        QCOMPARE(accounts->text(), QStringLiteral("https://accounts.zoho.eu"));
        choose(combo, QStringLiteral("ca"));
        QCOMPARE(accounts->text(), QStringLiteral("https://accounts.zohocloud.ca"));
        QVERIFY(!child<QLineEdit>(page, "accountsUrlEdit")->isEnabled());
        choose(combo, QStringLiteral("custom"));
        QVERIFY(child<QLineEdit>(page, "accountsUrlEdit")->isEnabled());
        typeInto(page, "accountsUrlEdit", QStringLiteral("https://proxy.example.com"));
        QCOMPARE(accounts->text(), QStringLiteral("https://proxy.example.com"));
        QCOMPARE(child<QLineEdit>(page, "clientSecretEdit")->echoMode(), QLineEdit::Password);
        QVERIFY(child<QLineEdit>(page, "scopesEdit")->isReadOnly());
        QVERIFY(child<QLineEdit>(page, "scopesEdit")->text().contains(QStringLiteral("ZohoCRM.settings.fields.READ")));
        QCOMPARE(child<QLineEdit>(page, "clientIdEdit")->accessibleName(), QStringLiteral("Client id"));
    }

    void thePodUrlGivesTheRestEndpointLive()
    {
        Gui::OracleSettingsPage page;
        auto* endpoint = child<QLabel>(page, "restEndpointLabel");
        QVERIFY(endpoint);
        typeInto(page, "podUrlEdit", QStringLiteral("https://acme.fa.us2.oraclecloud.com"));
        QCOMPARE(endpoint->text(),
                 QStringLiteral("https://acme.fa.us2.oraclecloud.com/crmRestApi/resources/11.13.18.05/accounts"));
        QVERIFY(!endpoint->property("problem").toBool());
        typeInto(page, "podUrlEdit", QStringLiteral("http://acme.example.com"));
        QVERIFY2(endpoint->text().contains(QStringLiteral("plain http:// is refused")), qPrintable(endpoint->text()));
        QVERIFY(endpoint->property("problem").toBool());
    }

    void podAndRegionBuildTheFusionHost()
    {
        Gui::OracleSettingsPage page;
        child<QRadioButton>(page, "podRegionRadio")->setChecked(true);
        typeInto(page, "podEdit", QStringLiteral("acme-test"));
        typeInto(page, "regionEdit", QStringLiteral("em2"));
        QCOMPARE(child<QLabel>(page, "restEndpointLabel")->text(),
                 QStringLiteral("https://acme-test.fa.em2.oraclecloud.com/crmRestApi/resources/11.13.18.05/accounts"));
        QCOMPARE(page.connection().pod, QStringLiteral("acme-test"));
        QVERIFY(page.connection().podUrl.isEmpty());
    }

    void theNoteShowsWithoutAKeychain()
    {
        Core::MemoryCredentialStore store;
        Gui::ZohoSettingsPage zoho;
        Gui::OracleSettingsPage oracle;
        zoho.setCredentialStore(&store);
        oracle.setCredentialStore(&store);
        for (QWidget* page : {static_cast<QWidget*>(&zoho), static_cast<QWidget*>(&oracle)}) {
            auto* note = page->findChild<QLabel*>(QStringLiteral("keychainNote"));
            QVERIFY(note && !note->isHidden());
            QCOMPARE(note->text(),
                     QStringLiteral("No keychain is available: secrets are kept in memory for this session only."));
        }
    }

    void applyWritesSettingsToTheProfileAndSecretsToTheStore()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto opened = Core::Profile::open(dir.path());
        QVERIFY(opened.ok());
        Core::Profile profile = opened.value();
        Core::MemoryCredentialStore store;

        Gui::ZohoSettingsPage zoho;
        zoho.setCodeExchange([](QString code, Gui::ZohoSettingsPage::RefreshTokenCallback callback) {
            QTimer::singleShot(0, [code, callback] { callback(QString(QStringLiteral("1000.refresh-for-") + code)); });
        });
        choose(child<QComboBox>(zoho, "dataCentreCombo"), QStringLiteral("eu"));
        typeInto(zoho, "clientIdEdit", QStringLiteral("1000.CLIENTID"));
        typeInto(zoho, "clientSecretEdit", QStringLiteral("zoho-secret-value"));
        typeInto(zoho, "selfClientCodeEdit", QStringLiteral("code42"));
        QSignalSpy received(&zoho, &Gui::ZohoSettingsPage::refreshTokenReceived);
        QTest::mouseClick(child<QPushButton>(zoho, "exchangeCodeButton"), Qt::LeftButton);
        QTRY_COMPARE(received.count(), 1);

        Gui::OracleSettingsPage oracle;
        typeInto(oracle, "podUrlEdit", QStringLiteral("https://acme.fa.us2.oraclecloud.com"));
        typeInto(oracle, "oracleUsernameEdit", QStringLiteral("integration.user"));
        typeInto(oracle, "oraclePasswordEdit", QStringLiteral("oracle-password-value"));

        std::optional<Core::Result<Core::Ok>> zohoDone, oracleDone;
        zoho.apply(profile, &store, [&](Core::Result<Core::Ok> r) { zohoDone = std::move(r); });
        oracle.apply(profile, &store, [&](Core::Result<Core::Ok> r) { oracleDone = std::move(r); });
        QTRY_VERIFY(zohoDone.has_value() && oracleDone.has_value());
        QVERIFY2(zohoDone->ok(), qPrintable(zohoDone->ok() ? QString() : zohoDone->error().message));
        QVERIFY2(oracleDone->ok(), qPrintable(oracleDone->ok() ? QString() : oracleDone->error().message));

        QCOMPARE(profile.value(QStringLiteral("zoho.dc")), QStringLiteral("eu"));
        QCOMPARE(profile.value(QStringLiteral("zoho.client_id")), QStringLiteral("1000.CLIENTID"));
        QCOMPARE(profile.value(QStringLiteral("oracle.pod_url")),
                 QStringLiteral("https://acme.fa.us2.oraclecloud.com"));
        QCOMPARE(profile.value(QStringLiteral("oracle.auth")), QStringLiteral("basic"));
        QCOMPARE(profile.value(QStringLiteral("oracle.username")), QStringLiteral("integration.user"));
        QCOMPARE(profile.value(QStringLiteral("oracle.source_system")), QStringLiteral("ZOHOCRM"));

        QCOMPARE(secretIn(store, QStringLiteral("zoho/client_secret"), this), QStringLiteral("zoho-secret-value"));
        QCOMPARE(secretIn(store, QStringLiteral("zoho/refresh_token"), this),
                 QStringLiteral("1000.refresh-for-code42"));
        QCOMPARE(secretIn(store, QStringLiteral("oracle/password"), this), QStringLiteral("oracle-password-value"));

        QFile config(profile.configPath());
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QByteArray ini = config.readAll();
        QVERIFY(ini.contains("1000.CLIENTID"));
        for (const char* secret : {"zoho-secret-value", "1000.refresh-for-code42", "oracle-password-value", "code42"})
            QVERIFY2(!ini.contains(secret), secret);
    }

    void applyShowsValidationErrorsInline()
    {
        QTemporaryDir dir;
        auto opened = Core::Profile::open(dir.path());
        QVERIFY(opened.ok());
        Core::Profile profile = opened.value();
        Core::MemoryCredentialStore store;
        Gui::OracleSettingsPage oracle;
        typeInto(oracle, "podUrlEdit", QStringLiteral("http://acme.example.com"));
        typeInto(oracle, "oraclePasswordEdit", QStringLiteral("never-stored"));
        std::optional<Core::Result<Core::Ok>> done;
        oracle.apply(profile, &store, [&](Core::Result<Core::Ok> r) { done = std::move(r); });
        QTRY_VERIFY(done.has_value());
        QVERIFY(!done->ok());
        const QString errors = child<QLabel>(oracle, "oracleErrors")->text();
        QVERIFY2(errors.contains(QStringLiteral("plain http://")), qPrintable(errors));
        QVERIFY(!store.knownKeys().contains(QStringLiteral("oracle/password")));
    }

    void testConnectionReachesTheSimulator()
    {
        const auto demo = Core::DemoProfile::forSimulator(m_simulator.baseUrl());
        const QString base = m_simulator.baseUrl().toString(QUrl::StripTrailingSlash);
        QString zohoSecret, refreshToken, oraclePassword;
        for (const auto& secret : demo.secrets) {
            if (secret.first == QLatin1String(Core::ZohoTokenManager::kClientSecretKey))
                zohoSecret = secret.second;
            else if (secret.first == QLatin1String(Core::ZohoTokenManager::kRefreshTokenKey))
                refreshToken = secret.second;
            else if (secret.first == QLatin1String(Core::OracleBasicAuth::kPasswordKey))
                oraclePassword = secret.second;
        }

        Gui::ZohoSettingsPage zoho;
        zoho.setCodeExchange([refreshToken](QString, Gui::ZohoSettingsPage::RefreshTokenCallback callback) {
            QTimer::singleShot(0, [refreshToken, callback] { callback(refreshToken); });
        });
        choose(child<QComboBox>(zoho, "dataCentreCombo"), QStringLiteral("custom"));
        typeInto(zoho, "accountsUrlEdit", base);
        typeInto(zoho, "apiUrlEdit", base);
        typeInto(zoho, "clientIdEdit", demo.zoho.clientId);
        typeInto(zoho, "clientSecretEdit", zohoSecret);
        typeInto(zoho, "selfClientCodeEdit", QStringLiteral("1000.selfclientcode"));
        QSignalSpy received(&zoho, &Gui::ZohoSettingsPage::refreshTokenReceived);
        QTest::mouseClick(child<QPushButton>(zoho, "exchangeCodeButton"), Qt::LeftButton);
        QTRY_COMPARE(received.count(), 1);
        QTest::mouseClick(child<QPushButton>(zoho, "testZohoButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(zoho.lastStatus().state, ConnectionStatus::State::Connected, 20000);
        QVERIFY(child<QLabel>(zoho, "zohoDiagnosis")->text().startsWith(QStringLiteral("Connected")));

        Gui::OracleSettingsPage oracle;
        typeInto(oracle, "podUrlEdit", base);
        typeInto(oracle, "oracleUsernameEdit", demo.oracle.username);
        typeInto(oracle, "oraclePasswordEdit", oraclePassword);
        QTest::mouseClick(child<QPushButton>(oracle, "testOracleButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(oracle.lastStatus().state, ConnectionStatus::State::Connected, 20000);
        QVERIFY(child<QLabel>(oracle, "oracleDiagnosis")->text().startsWith(QStringLiteral("Connected")));

        typeInto(oracle, "oraclePasswordEdit", QStringLiteral("wrong-password"));
        QTest::mouseClick(child<QPushButton>(oracle, "testOracleButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(oracle.lastStatus().state, ConnectionStatus::State::Failed, 20000);
        const QString diagnosis = child<QLabel>(oracle, "oracleDiagnosis")->text();
        QVERIFY2(diagnosis.contains(QStringLiteral("Oracle credentials rejected (401)")), qPrintable(diagnosis));
        QVERIFY(!diagnosis.contains(QStringLiteral("wrong-password")));
    }

    void signInIsNamedKeyboardReachableAndCancellable()
    {
        Gui::ZohoSettingsPage page;
        auto* signIn = child<QPushButton>(page, "signInButton");
        auto* cancel = child<QPushButton>(page, "cancelSignInButton");
        auto* status = child<QLabel>(page, "signInStatusLabel");
        QVERIFY(signIn && cancel && status);
        QCOMPARE(signIn->accessibleName(), QStringLiteral("Sign in to Zoho with the browser"));
        QCOMPARE(cancel->accessibleName(), QStringLiteral("Cancel the browser sign-in"));
        QCOMPARE(child<QLineEdit>(page, "scopesEdit")->text(),
                 Core::ZohoAuthorization::requestedScopes().join(QLatin1Char(',')));
        quint16 port = 0;
        {
            QTcpServer probe; // a free port, for the fixed-port set-up
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            port = probe.serverPort();
        }
        page.setSignInPort(port);
        QUrl opened;
        page.setUrlOpener([&opened](const QUrl& url) {
            opened = url;
            return true; // a browser that never comes back
        });
        choose(child<QComboBox>(page, "dataCentreCombo"), QStringLiteral("eu"));
        typeInto(page, "clientIdEdit", QStringLiteral("1000.CLIENT"));
        typeInto(page, "clientSecretEdit", QStringLiteral("secret"));
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QVERIFY(cancel->isHidden());

        // Tab from the client secret reaches the button; Space presses it.
        child<QLineEdit>(page, "clientSecretEdit")->setFocus();
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QCOMPARE(QApplication::focusWidget(), signIn);
        QTest::keyClick(signIn, Qt::Key_Space);
        QTRY_VERIFY(status->text().startsWith(QStringLiteral("Waiting for the browser…")));
        QVERIFY(page.isSigningIn());
        QVERIFY(!signIn->isEnabled());
        QVERIFY(cancel->isVisible());
        QCOMPARE(opened.host(), QStringLiteral("accounts.zoho.eu"));
        QCOMPARE(opened.path(), QStringLiteral("/oauth/v2/auth"));
        const QUrl redirect(QUrlQuery(opened).queryItemValue(QStringLiteral("redirect_uri"), QUrl::FullyDecoded));
        QCOMPARE(redirect.host(), QStringLiteral("127.0.0.1"));
        QCOMPARE(redirect.port(), int(port));

        QTest::mouseClick(cancel, Qt::LeftButton);
        QTRY_COMPARE(status->text(), QStringLiteral("Sign-in cancelled."));
        QVERIFY(!page.isSigningIn());
        QVERIFY(signIn->isEnabled());
        QVERIFY(cancel->isHidden());
        QVERIFY(page.enteredSecrets().size() == 1); // the client secret only: no refresh token
    }

    void browserSignInAgainstTheSimulator()
    {
        const QString base = m_simulator.baseUrl().toString(QUrl::StripTrailingSlash);
        Gui::ZohoSettingsPage zoho;
        Browser browser;
        zoho.setUrlOpener(browser.opener());
        choose(child<QComboBox>(zoho, "dataCentreCombo"), QStringLiteral("custom"));
        typeInto(zoho, "accountsUrlEdit", base);
        typeInto(zoho, "apiUrlEdit", base);
        typeInto(zoho, "clientIdEdit", QStringLiteral("sim-zoho-client-id"));
        typeInto(zoho, "clientSecretEdit", QStringLiteral("sim-zoho-client-secret"));
        QSignalSpy received(&zoho, &Gui::ZohoSettingsPage::refreshTokenReceived);
        QTest::mouseClick(child<QPushButton>(zoho, "signInButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(received.count(), 1, 20000);
        const QString status = child<QLabel>(zoho, "signInStatusLabel")->text();
        QVERIFY2(status.startsWith(QStringLiteral("Refresh token received; Apply keeps it in the credential store.")),
                 qPrintable(status));
        QTRY_VERIFY_WITH_TIMEOUT(browser.done, 20000);
        QCOMPARE(browser.status, 200);
        QVERIFY(browser.page.contains("You can close this tab"));

        // Apply stores it where the code paste does; the connection test then signs in with it.
        QTemporaryDir dir;
        auto opened = Core::Profile::open(dir.path());
        QVERIFY(opened.ok());
        Core::Profile profile = opened.value();
        Core::MemoryCredentialStore store;
        std::optional<Core::Result<Core::Ok>> done;
        zoho.apply(profile, &store, [&](Core::Result<Core::Ok> r) { done = std::move(r); });
        QTRY_VERIFY(done.has_value());
        QVERIFY(done->ok());
        const QString refresh = secretIn(store, QStringLiteral("zoho/refresh_token"), this);
        QVERIFY(refresh.startsWith(QStringLiteral("1000.")));
        QVERIFY(refresh != QStringLiteral("1000.sim-refresh-token"));
        QTest::mouseClick(child<QPushButton>(zoho, "testZohoButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(zoho.lastStatus().state, ConnectionStatus::State::Connected, 20000);
    }

    void pastedCodeUsesTheBuiltInExchange()
    {
        const QString base = m_simulator.baseUrl().toString(QUrl::StripTrailingSlash);
        Core::MemoryCredentialStore store; // the client secret is already stored, the field stays empty
        std::optional<Core::Result<Core::Ok>> written;
        store.write(QStringLiteral("zoho/client_secret"), QStringLiteral("sim-zoho-client-secret"), this,
                    [&](Core::Result<Core::Ok> r) { written = std::move(r); });
        QTRY_VERIFY(written.has_value() && written->ok());
        Gui::ZohoSettingsPage zoho;
        zoho.setCredentialStore(&store);
        choose(child<QComboBox>(zoho, "dataCentreCombo"), QStringLiteral("custom"));
        typeInto(zoho, "accountsUrlEdit", base);
        typeInto(zoho, "apiUrlEdit", base);
        typeInto(zoho, "clientIdEdit", QStringLiteral("sim-zoho-client-id"));
        const QString code = mintGrantCode(m_simulator.baseUrl());
        QVERIFY(!code.isEmpty());
        auto* exchange = child<QPushButton>(zoho, "exchangeCodeButton");
        auto* status = child<QLabel>(zoho, "codeStatusLabel");
        QVERIFY(exchange->isEnabled());

        QSignalSpy received(&zoho, &Gui::ZohoSettingsPage::refreshTokenReceived);
        typeInto(zoho, "selfClientCodeEdit", code);
        QTest::mouseClick(exchange, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(received.count(), 1, 20000);
        QVERIFY2(status->text().startsWith(QStringLiteral("Refresh token received")), qPrintable(status->text()));
        QVERIFY(child<QLineEdit>(zoho, "selfClientCodeEdit")->text().isEmpty());

        typeInto(zoho, "selfClientCodeEdit", code); // the same code again: used
        QTest::mouseClick(exchange, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(status->property("problem").toBool(), 20000);
        QVERIFY2(status->text().contains(QStringLiteral("expired or was already used")), qPrintable(status->text()));
        QVERIFY(!status->text().contains(code));
        QVERIFY(exchange->isEnabled());
    }

private:
    Core::SimulatorLauncher m_simulator;
};

QTEST_MAIN(tst_ConnectionSettings)
#include "tst_ConnectionSettings.moc"
