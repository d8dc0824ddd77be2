// The connection set-up pages: live feedback while typing, apply to a real profile and store,
// and "Test connection" against the real simulator over loopback.
#include "settings/OracleSettingsPage.h"
#include "settings/ZohoSettingsPage.h"

#include "config/Profile.h"
#include "demo/DemoProfile.h"
#include "demo/SimulatorLauncher.h"
#include "oracle/OracleAuth.h"
#include "secrets/MemoryCredentialStore.h"
#include "zoho/ZohoTokenManager.h"

#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <optional>

using Core::ConnectionStatus;

namespace {
template <typename T>
T* child(QWidget& page, const char* name)
{
    return page.findChild<T*>(QString::fromLatin1(name));
}

void typeInto(QWidget& page, const char* name, const QString& text)
{
    auto* edit = child<QLineEdit>(page, name);
    QVERIFY2(edit, name);
    edit->clear();
    QTest::keyClicks(edit, text);
}

void choose(QComboBox* combo, const QString& data)
{
    const int index = combo->findData(data);
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
}

QString secretIn(Core::CredentialStore& store, const QString& key, QObject* context)
{
    std::optional<Core::Result<QString>> read;
    store.read(key, context, [&read](Core::Result<QString> r) { read = std::move(r); });
    if (!QTest::qWaitFor([&read] { return read.has_value(); }, 5000))
        return QStringLiteral("<no answer>");
    return read->ok() ? read->value() : QString();
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

private:
    Core::SimulatorLauncher m_simulator;
};

QTEST_MAIN(tst_ConnectionSettings)
#include "tst_ConnectionSettings.moc"
