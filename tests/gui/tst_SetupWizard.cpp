// The first-run wizard and the Connections tab, driven through its real widgets against the simulator over loopback:
// each side goes on only once its connection test passed, and Finish stores settings and secrets.
#include "setup/SetupWizard.h"

#include "config/Profile.h"
#include "demo/DemoProfile.h"
#include "demo/SimulatorLauncher.h"
#include "oracle/OracleAuth.h"
#include "secrets/MemoryCredentialStore.h"
#include "settings/ConnectionsPage.h"
#include "settings/OracleSettingsPage.h"
#include "settings/ZohoSettingsPage.h"
#include "zoho/ZohoTokenManager.h"

#include "WidgetTestHelpers.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using Core::ConnectionStatus;
using WidgetTest::child;
using WidgetTest::secretIn;
using WidgetTest::typeInto;

namespace {
constexpr int kNetworkWaitMs = 30000;

QString demoSecret(const Core::DemoProfile& demo, const char* key)
{
    for (const auto& secret : demo.secrets)
        if (secret.first == QLatin1String(key))
            return secret.second;
    return {};
}
} // namespace

class tst_SetupWizard : public QObject
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

    void bothSidesAreTestedBeforeFinishStoresEverything()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        auto opened = Core::Profile::open(dir.path());
        QVERIFY(opened.ok());
        Core::Profile profile = opened.value();
        Core::MemoryCredentialStore store;
        const auto demo = Core::DemoProfile::forSimulator(m_simulator.baseUrl());
        const QString base = m_simulator.baseUrl().toString(QUrl::StripTrailingSlash);

        Gui::SetupWizard wizard(profile, &store);
        QSignalSpy configured(&wizard, &Gui::SetupWizard::configured);
        wizard.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wizard));
        QCOMPARE(wizard.currentId(), int(Gui::SetupWizard::IntroPage));
        // A memory store: the person is told secrets last only for this session.
        auto* note = wizard.currentPage()->findChild<QLabel*>(QStringLiteral("keychainNote"));
        QVERIFY(note && note->isVisible());
        QAbstractButton* next = wizard.button(QWizard::NextButton);
        QVERIFY(next->isEnabled());
        QTest::mouseClick(next, Qt::LeftButton);

        // Zoho: Next stays shut until the connection test passes with the values shown.
        QCOMPARE(wizard.currentId(), int(Gui::SetupWizard::ZohoPage));
        QVERIFY(!next->isEnabled());
        Gui::ZohoSettingsPage* zoho = wizard.zohoSettings();
        auto* dc = child<QComboBox>(zoho, "dataCentreCombo");
        dc->setCurrentIndex(dc->findData(QStringLiteral("custom")));
        emit dc->activated(dc->currentIndex());
        typeInto(zoho, "accountsUrlEdit", base);
        typeInto(zoho, "apiUrlEdit", base);
        typeInto(zoho, "clientIdEdit", demo.zoho.clientId);
        typeInto(zoho, "clientSecretEdit", demoSecret(demo, Core::ZohoTokenManager::kClientSecretKey));
        // The self-client fallback with a real code that the simulator minted (valid 2 minutes).
        typeInto(zoho, "selfClientCodeEdit", mintGrantCode());
        QSignalSpy received(zoho, &Gui::ZohoSettingsPage::refreshTokenReceived);
        QTest::mouseClick(child<QPushButton>(zoho, "exchangeCodeButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(received.count(), 1, kNetworkWaitMs);
        QVERIFY(!next->isEnabled());
        QTest::mouseClick(child<QPushButton>(zoho, "testZohoButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(zoho->lastStatus().state, ConnectionStatus::State::Connected, kNetworkWaitMs);
        QVERIFY(next->isEnabled());
        // Changing a value after the test closes Next again until it is tested anew.
        QTest::keyClick(child<QLineEdit>(zoho, "clientIdEdit"), Qt::Key_X);
        QVERIFY(!next->isEnabled());
        typeInto(zoho, "clientIdEdit", demo.zoho.clientId);
        QTest::mouseClick(child<QPushButton>(zoho, "testZohoButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(next->isEnabled(), kNetworkWaitMs);
        QTest::mouseClick(next, Qt::LeftButton);

        // Oracle: a rejected password is diagnosed in plain words and keeps Next shut.
        QCOMPARE(wizard.currentId(), int(Gui::SetupWizard::OraclePage));
        QVERIFY(!next->isEnabled());
        Gui::OracleSettingsPage* oracle = wizard.oracleSettings();
        typeInto(oracle, "podUrlEdit", base);
        typeInto(oracle, "oracleUsernameEdit", demo.oracle.username);
        typeInto(oracle, "oraclePasswordEdit", QStringLiteral("wrong-password"));
        QTest::mouseClick(child<QPushButton>(oracle, "testOracleButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(oracle->lastStatus().state, ConnectionStatus::State::Failed, kNetworkWaitMs);
        const QString diagnosis = child<QLabel>(oracle, "oracleDiagnosis")->text();
        QVERIFY2(diagnosis.contains(QStringLiteral("Oracle credentials rejected (401)")), qPrintable(diagnosis));
        QVERIFY(!next->isEnabled());
        const QString password = demoSecret(demo, Core::OracleBasicAuth::kPasswordKey);
        typeInto(oracle, "oraclePasswordEdit", password);
        QTest::mouseClick(child<QPushButton>(oracle, "testOracleButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(next->isEnabled(), kNetworkWaitMs);
        QTest::mouseClick(next, Qt::LeftButton);

        // The summary names both endpoints; Finish stores settings and secrets, then closes.
        QCOMPARE(wizard.currentId(), int(Gui::SetupWizard::FinishPage));
        const QString summary = wizard.currentPage()->findChild<QLabel*>(QStringLiteral("setupSummary"))->text();
        QVERIFY2(summary.contains(base), qPrintable(summary));
        QVERIFY(wizard.firstSyncRequested());
        QTest::mouseClick(wizard.button(QWizard::FinishButton), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(configured.count(), 1, 10000);
        QTRY_VERIFY(!wizard.isVisible());
        QCOMPARE(wizard.result(), int(QDialog::Accepted));

        QCOMPARE(profile.value(QStringLiteral("zoho.dc")), QStringLiteral("custom"));
        QCOMPARE(profile.value(QStringLiteral("zoho.client_id")), demo.zoho.clientId);
        QCOMPARE(profile.value(QStringLiteral("oracle.pod_url")), base);
        QCOMPARE(profile.value(QStringLiteral("oracle.username")), demo.oracle.username);
        QCOMPARE(secretIn(store, QString::fromLatin1(Core::OracleBasicAuth::kPasswordKey), this), password);
        const QString refresh = secretIn(store, QString::fromLatin1(Core::ZohoTokenManager::kRefreshTokenKey), this);
        QVERIFY(refresh.startsWith(QStringLiteral("1000.")));
        QFile config(profile.configPath());
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QByteArray ini = config.readAll();
        for (const QString& secret : {password, refresh})
            QVERIFY2(!ini.contains(secret.toUtf8()), "a secret reached config.ini");
    }

    // The Connections tab after setup: a blank secret field tests with the stored secret, and Apply
    // writes a changed one and says so.
    void connectionsPageTestsWithStoredSecretsAndApplies()
    {
        QTemporaryDir dir;
        auto opened = Core::Profile::open(dir.path());
        QVERIFY(opened.ok());
        Core::Profile profile = opened.value();
        const auto demo = Core::DemoProfile::forSimulator(m_simulator.baseUrl());
        for (const auto& [key, value] : demo.settings())
            QVERIFY(profile.set(key, value).ok());
        Core::MemoryCredentialStore store;
        const QString passwordKey = QString::fromLatin1(Core::OracleBasicAuth::kPasswordKey);
        for (const auto& secret : demo.secrets)
            store.write(secret.first, secret.second, this, [](Core::Result<Core::Ok>) {});
        QTRY_VERIFY(store.knownKeys().contains(passwordKey));

        Gui::ConnectionsPage page(profile, &store);
        page.show();
        Gui::OracleSettingsPage* oracle = page.oracleSettings();
        QCOMPARE(child<QLineEdit>(oracle, "podUrlEdit")->text(), demo.oracle.podUrl);
        QVERIFY(child<QLineEdit>(oracle, "oraclePasswordEdit")->text().isEmpty());
        QTest::mouseClick(child<QPushButton>(oracle, "testOracleButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(oracle->lastStatus().state, ConnectionStatus::State::Connected, kNetworkWaitMs);

        // A typed secret wins over the stored one in the test, and reaches the store only on Apply.
        typeInto(oracle, "oraclePasswordEdit", QStringLiteral("typed-but-wrong"));
        QTest::mouseClick(child<QPushButton>(oracle, "testOracleButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(oracle->lastStatus().state, ConnectionStatus::State::Failed, kNetworkWaitMs);
        QVERIFY(secretIn(store, passwordKey, this) != QStringLiteral("typed-but-wrong"));
        typeInto(oracle, "oracleUsernameEdit", QStringLiteral("someone.else"));
        QSignalSpy applied(&page, &Gui::ConnectionsPage::applied);
        QTest::mouseClick(page.applyButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(applied.count(), 1, 10000);
        QCOMPARE(profile.value(QStringLiteral("oracle.username")), QStringLiteral("someone.else"));
        QCOMPARE(secretIn(store, passwordKey, this), QStringLiteral("typed-but-wrong"));
        QVERIFY(child<QLabel>(&page, "connectionsStatus")->text().startsWith(QStringLiteral("Applied")));

        // A bad value is refused as a whole, with the reason shown.
        typeInto(oracle, "podUrlEdit", QStringLiteral("http://acme.example.com"));
        QSignalSpy failed(&page, &Gui::ConnectionsPage::applyFailed);
        QTest::mouseClick(page.applyButton(), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(failed.count(), 1, 10000);
        QCOMPARE(profile.value(QStringLiteral("oracle.pod_url")), demo.oracle.podUrl);
        QVERIFY(child<QLabel>(&page, "connectionsStatus")->text().contains(QStringLiteral("http://")));
    }

    void cancellingStoresNothing()
    {
        QTemporaryDir dir;
        auto opened = Core::Profile::open(dir.path());
        QVERIFY(opened.ok());
        Core::Profile profile = opened.value();
        Core::MemoryCredentialStore store;
        Gui::SetupWizard wizard(profile, &store);
        QSignalSpy configured(&wizard, &Gui::SetupWizard::configured);
        wizard.show();
        QTest::mouseClick(wizard.button(QWizard::NextButton), Qt::LeftButton);
        typeInto(wizard.zohoSettings(), "clientIdEdit", QStringLiteral("1000.TYPED"));
        QTest::mouseClick(wizard.button(QWizard::CancelButton), Qt::LeftButton);
        QTRY_VERIFY(!wizard.isVisible());
        QCOMPARE(configured.count(), 0);
        QVERIFY(profile.value(QStringLiteral("zoho.client_id")).isEmpty());
        QVERIFY(store.knownKeys().isEmpty());
    }

private:
    QString mintGrantCode()
    {
        QNetworkAccessManager network;
        QNetworkRequest request(m_simulator.baseUrl().resolved(QUrl(QStringLiteral("/_sim/zoho/grant_codes"))));
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        QNetworkReply* reply = network.post(request, QByteArray("{}"));
        if (!QTest::qWaitFor([reply] { return reply->isFinished(); }, kNetworkWaitMs))
            return {};
        const QString code =
            QJsonDocument::fromJson(reply->readAll()).object().value(QStringLiteral("code")).toString();
        reply->deleteLater();
        return code;
    }

    Core::SimulatorLauncher m_simulator;
};

QTEST_MAIN(tst_SetupWizard)
#include "tst_SetupWizard.moc"
