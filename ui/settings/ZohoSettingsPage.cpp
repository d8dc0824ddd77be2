#include "ZohoSettingsPage.h"

#include "SettingsSupport.h"
#include "config/Profile.h"
#include "net/ConnectionTester.h"
#include "net/Connections.h"
#include "net/HttpClient.h"
#include "secrets/OverlayCredentialStore.h"
#include "zoho/ZohoAuthorization.h"
#include "zoho/ZohoDataCentre.h"
#include "zoho/ZohoTokenManager.h"

#include <QComboBox>
#include <QDesktopServices>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QVBoxLayout>

namespace Gui {

namespace {
const QString kCustom = QStringLiteral("custom");
}

QStringList ZohoSettingsPage::requestedScopes()
{
    return Core::ZohoAuthorization::requestedScopes();
}

ZohoSettingsPage::ZohoSettingsPage(QWidget* parent)
    : QWidget(parent)
    , m_openUrl([](const QUrl& url) { return QDesktopServices::openUrl(url); })
    , m_signInTimeoutMs(Core::ZohoRedirectListener::kDefaultTimeoutMs)
    , m_network(new QNetworkAccessManager(this))
    , m_http(new Core::HttpClient(m_network, this))
{
    using Settings::nameControl;
    setObjectName(QStringLiteral("zohoSettingsPage"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    layout->addLayout(form);

    m_dataCentre = new QComboBox(this);
    nameControl(m_dataCentre, QStringLiteral("dataCentreCombo"), tr("Zoho data centre"));
    for (const auto& dc : Core::ZohoDataCentre::all())
        m_dataCentre->addItem(dc.label, dc.id);
    m_dataCentre->addItem(tr("Custom"), kCustom);
    form->addRow(tr("&Data centre:"), m_dataCentre);

    m_accountsServer = new QLabel(this);
    nameControl(m_accountsServer, QStringLiteral("accountsServerLabel"), tr("Accounts server"));
    m_accountsServer->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("Accounts server:"), m_accountsServer);

    m_accountsUrl = new QLineEdit(this);
    nameControl(m_accountsUrl, QStringLiteral("accountsUrlEdit"), tr("Custom accounts server URL"));
    m_accountsUrl->setPlaceholderText(QStringLiteral("https://accounts.example.com"));
    form->addRow(tr("Custom a&ccounts URL:"), m_accountsUrl);

    m_apiUrl = new QLineEdit(this);
    nameControl(m_apiUrl, QStringLiteral("apiUrlEdit"), tr("Custom API URL"));
    m_apiUrl->setPlaceholderText(QStringLiteral("https://www.example.com"));
    form->addRow(tr("Custom &API URL:"), m_apiUrl);

    m_clientId = new QLineEdit(this);
    nameControl(m_clientId, QStringLiteral("clientIdEdit"), tr("Client id"));
    form->addRow(tr("Client &id:"), m_clientId);

    m_clientSecret = new QLineEdit(this);
    nameControl(m_clientSecret, QStringLiteral("clientSecretEdit"), tr("Client secret"));
    m_clientSecret->setEchoMode(QLineEdit::Password);
    m_clientSecret->setPlaceholderText(tr("unchanged"));
    form->addRow(tr("Client &secret:"), m_clientSecret);

    m_signIn = new QPushButton(tr("Sign in with &browser…"), this);
    nameControl(m_signIn, QStringLiteral("signInButton"), tr("Sign in to Zoho with the browser"));
    m_cancelSignIn = new QPushButton(tr("Cancel"), this);
    nameControl(m_cancelSignIn, QStringLiteral("cancelSignInButton"), tr("Cancel the browser sign-in"));
    m_cancelSignIn->setVisible(false);
    auto* signInRow = new QHBoxLayout;
    signInRow->addWidget(m_signIn);
    signInRow->addWidget(m_cancelSignIn);
    signInRow->addStretch(1);
    form->addRow(tr("Zoho account:"), signInRow);

    m_signInStatus = new QLabel(this);
    nameControl(m_signInStatus, QStringLiteral("signInStatusLabel"), tr("Browser sign-in status"));
    m_signInStatus->setWordWrap(true);
    m_signInStatus->setTextFormat(Qt::PlainText);
    form->addRow(m_signInStatus);

    auto* codeHelp = new QLabel(tr("No browser here? In the Zoho API console open Self Client, generate a code "
                                   "with the scopes below and paste it here: the app exchanges it for a refresh "
                                   "token, which is kept in the credential store."),
                                this);
    nameControl(codeHelp, QStringLiteral("selfClientHelp"), tr("Self-client code help"));
    codeHelp->setWordWrap(true);
    form->addRow(codeHelp);

    m_code = new QLineEdit(this);
    nameControl(m_code, QStringLiteral("selfClientCodeEdit"), tr("Self-client code"));
    m_code->setEchoMode(QLineEdit::Password);
    m_exchange = new QPushButton(tr("&Exchange code"), this);
    nameControl(m_exchange, QStringLiteral("exchangeCodeButton"), tr("Exchange the self-client code"));
    auto* codeRow = new QHBoxLayout;
    codeRow->addWidget(m_code, 1);
    codeRow->addWidget(m_exchange);
    form->addRow(tr("Self-client c&ode:"), codeRow);

    m_codeStatus = new QLabel(this);
    nameControl(m_codeStatus, QStringLiteral("codeStatusLabel"), tr("Self-client code status"));
    m_codeStatus->setWordWrap(true);
    m_codeStatus->setTextFormat(Qt::PlainText);
    form->addRow(m_codeStatus);

    m_scopes = new QLineEdit(requestedScopes().join(QLatin1Char(',')), this);
    nameControl(m_scopes, QStringLiteral("scopesEdit"), tr("Scopes requested"));
    m_scopes->setReadOnly(true);
    form->addRow(tr("Scopes requested:"), m_scopes);

    const Settings::PageFooter footer = Settings::addPageFooter(this, layout, QStringLiteral("zoho"), tr("Zoho"));
    m_errors = footer.errors;
    m_test = footer.test;
    m_diagnosis = footer.diagnosis;
    m_keychainNote = footer.keychainNote;

    setTabOrder(m_dataCentre, m_accountsUrl);
    setTabOrder(m_accountsUrl, m_apiUrl);
    setTabOrder(m_apiUrl, m_clientId);
    setTabOrder(m_clientId, m_clientSecret);
    setTabOrder(m_clientSecret, m_signIn);
    setTabOrder(m_signIn, m_cancelSignIn);
    setTabOrder(m_cancelSignIn, m_code);
    setTabOrder(m_code, m_exchange);
    setTabOrder(m_exchange, m_scopes);
    setTabOrder(m_scopes, m_test);

    connect(m_dataCentre, &QComboBox::currentIndexChanged, this, &ZohoSettingsPage::updateDataCentre);
    connect(m_accountsUrl, &QLineEdit::textChanged, this, &ZohoSettingsPage::updateDataCentre);
    connect(m_signIn, &QPushButton::clicked, this, &ZohoSettingsPage::signInWithBrowser);
    connect(m_cancelSignIn, &QPushButton::clicked, this, &ZohoSettingsPage::cancelSignIn);
    connect(m_exchange, &QPushButton::clicked, this, &ZohoSettingsPage::exchangeCode);
    connect(m_test, &QPushButton::clicked, this, &ZohoSettingsPage::testConnection);
    updateDataCentre();
}

ZohoSettingsPage::~ZohoSettingsPage() = default;

void ZohoSettingsPage::setCredentialStore(Core::CredentialStore* store)
{
    m_store = store;
    Settings::updateKeychainNote(m_keychainNote, store);
}

void ZohoSettingsPage::setCodeExchange(CodeExchange exchange)
{
    m_codeExchange = std::move(exchange);
}

void ZohoSettingsPage::setUrlOpener(UrlOpener opener)
{
    m_openUrl = std::move(opener);
}

void ZohoSettingsPage::updateDataCentre()
{
    const QString id = m_dataCentre->currentData().toString();
    const bool custom = id == kCustom;
    m_accountsUrl->setEnabled(custom);
    m_apiUrl->setEnabled(custom);
    if (custom) {
        m_accountsServer->setText(m_accountsUrl->text().trimmed().isEmpty() ? tr("(enter the accounts URL below)")
                                                                            : m_accountsUrl->text().trimmed());
        return;
    }
    const auto* dc = Core::ZohoDataCentre::find(id);
    m_accountsServer->setText(dc ? dc->accountsUrl.toString(QUrl::StripTrailingSlash) : QString());
}

void ZohoSettingsPage::load(const Core::Profile& profile)
{
    const auto zoho = profile.zoho();
    const int index = m_dataCentre->findData(zoho.dataCentre);
    m_dataCentre->setCurrentIndex(index < 0 ? 0 : index);
    m_accountsUrl->setText(zoho.accountsUrl);
    m_apiUrl->setText(zoho.apiUrl);
    m_clientId->setText(zoho.clientId);
    updateDataCentre();
}

Core::ZohoConnection ZohoSettingsPage::connection() const
{
    Core::ZohoConnection zoho;
    zoho.dataCentre = m_dataCentre->currentData().toString();
    if (zoho.dataCentre == kCustom) {
        zoho.accountsUrl = m_accountsUrl->text().trimmed();
        zoho.apiUrl = m_apiUrl->text().trimmed();
    }
    zoho.clientId = m_clientId->text().trimmed();
    return zoho;
}

QList<QPair<QString, QString>> ZohoSettingsPage::enteredSecrets() const
{
    QList<QPair<QString, QString>> secrets;
    if (!m_clientSecret->text().isEmpty())
        secrets.append({Core::Profile::secretStoreKey(QStringLiteral("zoho.client_secret")), m_clientSecret->text()});
    if (!m_refreshToken.isEmpty())
        secrets.append({Core::Profile::secretStoreKey(QStringLiteral("zoho.refresh_token")), m_refreshToken});
    return secrets;
}

void ZohoSettingsPage::apply(Core::Profile& profile, Core::CredentialStore* store, DoneCallback done)
{
    const auto zoho = connection();
    Settings::applySettings(profile,
                            {
                                {QStringLiteral("zoho.dc"), zoho.dataCentre},
                                {QStringLiteral("zoho.accounts_url"), zoho.accountsUrl},
                                {QStringLiteral("zoho.api_url"), zoho.apiUrl},
                                {QStringLiteral("zoho.client_id"), zoho.clientId},
                            },
                            store, enteredSecrets(), m_errors, this, std::move(done));
}

void ZohoSettingsPage::withClientSecret(std::function<void(Core::Result<QString>)> then)
{
    if (!m_clientSecret->text().isEmpty()) {
        then(m_clientSecret->text());
        return;
    }
    if (!m_store) {
        then(Core::Error{Core::Error::Kind::InvalidInput, tr("Enter the client secret first."), 0, {}});
        return;
    }
    m_store->read(
        QString::fromLatin1(Core::ZohoTokenManager::kClientSecretKey), this, [then](Core::Result<QString> secret) {
            if (!secret || secret.value().isEmpty())
                then(Core::Error{
                    Core::Error::Kind::InvalidInput, tr("Enter the client secret first (none is stored yet)."), 0, {}});
            else
                then(secret);
        });
}

void ZohoSettingsPage::grantReceived(const Core::ZohoGrant& grant, QLabel* status)
{
    m_refreshToken = grant.refreshToken;
    QString text = tr("Refresh token received; Apply keeps it in the credential store.");
    // Zoho says which data centre the account lives in; later refreshes must go there.
    const QString dc = Core::ZohoAuthorization::dataCentreOf(grant.accountsServer);
    const QString current = m_dataCentre->currentData().toString();
    if (!dc.isEmpty() && current != kCustom && dc != current) {
        m_dataCentre->setCurrentIndex(m_dataCentre->findData(dc));
        text +=
            QLatin1Char(' ') +
            tr("Your Zoho account is in the %1 data centre, so it is selected now.").arg(m_dataCentre->currentText());
    }
    Settings::showMessage(status, text, false);
    emit refreshTokenReceived();
}

void ZohoSettingsPage::exchangeCode()
{
    const QString code = m_code->text().trimmed();
    if (code.isEmpty()) {
        Settings::showMessage(m_codeStatus, tr("Paste the self-client code first."), true);
        return;
    }
    Settings::showMessage(m_codeStatus, tr("Exchanging the code…"), false);
    m_exchange->setEnabled(false);
    QPointer<ZohoSettingsPage> self(this);
    if (m_codeExchange) {
        m_codeExchange(code, [self](Core::Result<QString> token) {
            if (!self)
                return;
            self->m_exchange->setEnabled(true);
            if (!token) {
                Settings::showMessage(self->m_codeStatus,
                                      tr("Zoho did not accept the code: %1").arg(token.error().message), true);
                return;
            }
            Core::ZohoGrant grant;
            grant.refreshToken = token.value();
            self->m_code->clear();
            self->grantReceived(grant, self->m_codeStatus);
        });
        return;
    }
    if (m_exchangeRun)
        m_exchangeRun->deleteLater(); // a newer exchange replaces the one in flight
    auto* run = new QObject(this);
    m_exchangeRun = run;
    const auto failed = [this, run](const QString& text) {
        if (m_exchangeRun != run)
            return;
        m_exchange->setEnabled(true);
        Settings::showMessage(m_codeStatus, text, true);
        run->deleteLater();
    };
    const Core::ZohoConnection zoho = connection();
    auto endpoints =
        Core::resolveZohoEndpoints(zoho.dataCentre, Core::ZohoEnvironment::Production, zoho.accountsUrl, zoho.apiUrl);
    if (!endpoints) {
        failed(endpoints.error().message);
        return;
    }
    withClientSecret(
        [this, run, failed, code, zoho, accounts = endpoints.value().accountsUrl](Core::Result<QString> secret) {
            if (m_exchangeRun != run)
                return;
            if (!secret) {
                failed(secret.error().message);
                return;
            }
            auto* exchange = new Core::ZohoCodeExchange(m_http, run);
            Core::ZohoCodeExchange::Request request;
            request.accountsUrl = accounts;
            request.dataCentre = zoho.dataCentre;
            request.clientId = zoho.clientId;
            request.clientSecret = secret.value();
            request.code = code; // no redirect_uri: a self-client code
            exchange->exchange(request, [this, run, failed](Core::Result<Core::ZohoGrant> grant) {
                if (!grant) {
                    failed(grant.error().message);
                    return;
                }
                m_exchange->setEnabled(true);
                m_code->clear();
                grantReceived(grant.value(), m_codeStatus);
                run->deleteLater();
            });
        });
}

void ZohoSettingsPage::signInWithBrowser()
{
    if (m_signInRun)
        return; // one sign-in at a time: Cancel ends it
    const Core::ZohoConnection zoho = connection();
    auto endpoints =
        Core::resolveZohoEndpoints(zoho.dataCentre, Core::ZohoEnvironment::Production, zoho.accountsUrl, zoho.apiUrl);
    if (!endpoints) {
        Settings::showMessage(m_signInStatus, endpoints.error().message, true);
        return;
    }
    if (zoho.clientId.isEmpty()) {
        Settings::showMessage(m_signInStatus, tr("Enter the client id first."), true);
        return;
    }
    auto* run = new QObject(this);
    m_signInRun = run;
    m_signIn->setEnabled(false);
    m_cancelSignIn->setVisible(true);
    Settings::showMessage(m_signInStatus, tr("Preparing the sign-in…"), false);
    withClientSecret([this, run, zoho, accounts = endpoints.value().accountsUrl](Core::Result<QString> secret) {
        if (m_signInRun != run)
            return;
        if (!secret) {
            Settings::showMessage(m_signInStatus, secret.error().message, true);
            endSignIn();
            return;
        }
        Core::ZohoBrowserSignIn::Config config;
        config.accountsUrl = accounts;
        config.dataCentre = zoho.dataCentre;
        config.clientId = zoho.clientId;
        config.clientSecret = secret.value();
        config.scopes = requestedScopes();
        config.timeoutMs = m_signInTimeoutMs;
        config.port = m_signInPort;
        auto* signIn = new Core::ZohoBrowserSignIn(config, m_http, run);
        connect(signIn, &Core::ZohoBrowserSignIn::waitingForBrowser, this, [this] {
            Settings::showMessage(
                m_signInStatus,
                tr("Waiting for the browser… Sign in to Zoho there and choose Accept; this waits up to %1.")
                    .arg(m_signInTimeoutMs >= 120000 ? tr("%1 minutes").arg(m_signInTimeoutMs / 60000)
                                                     : tr("a minute")),
                false);
        });
        connect(signIn, &Core::ZohoBrowserSignIn::exchanging, this, [this] {
            Settings::showMessage(m_signInStatus, tr("Zoho answered; getting the refresh token…"), false);
        });
        signIn->start(m_openUrl, [this, run](Core::Result<Core::ZohoGrant> grant) {
            if (m_signInRun != run)
                return;
            if (grant)
                grantReceived(grant.value(), m_signInStatus);
            else if (grant.error().code == QLatin1String("cancelled"))
                Settings::showMessage(m_signInStatus, tr("Sign-in cancelled."), false);
            else
                Settings::showMessage(m_signInStatus, tr("Sign-in failed: %1").arg(grant.error().message), true);
            endSignIn();
        });
    });
}

void ZohoSettingsPage::cancelSignIn()
{
    if (!m_signInRun)
        return;
    if (auto* signIn = m_signInRun->findChild<Core::ZohoBrowserSignIn*>()) {
        signIn->cancel(); // its callback ends the run and says so
        return;
    }
    Settings::showMessage(m_signInStatus, tr("Sign-in cancelled."), false);
    endSignIn();
}

void ZohoSettingsPage::endSignIn()
{
    if (m_signInRun)
        m_signInRun->deleteLater();
    m_signInRun.clear();
    m_signIn->setEnabled(true);
    m_cancelSignIn->setVisible(false);
}

void ZohoSettingsPage::showStatus(const Core::ConnectionStatus& status)
{
    m_lastStatus = status;
    Settings::showMessage(m_diagnosis, Settings::describeStatus(status),
                          status.state == Core::ConnectionStatus::State::Failed);
    emit statusChanged(status);
}

void ZohoSettingsPage::testConnection()
{
    if (m_testRun)
        m_testRun->deleteLater(); // a newer test replaces the one in flight
    auto* run = new QObject(this);
    m_testRun = run;
    // What is typed now, over what is stored (a blank secret field means "keep the stored one");
    // typed secrets stay in this overlay and are never persisted by a test.
    auto* secrets = new Core::OverlayCredentialStore(m_store, run);
    for (const auto& secret : enteredSecrets())
        secrets->write(secret.first, secret.second, run, [](Core::Result<Core::Ok>) {});
    auto* connections =
        new Core::Connections(m_network, secrets, connection(), Core::OracleConnection{}, {}, nullptr, run);
    auto* tester = new Core::ConnectionTester(connections, run);
    connect(tester, &Core::ConnectionTester::statusChanged, this,
            [this, run](Core::Service service, const Core::ConnectionStatus& status) {
                if (service != Core::Service::Zoho || m_testRun != run)
                    return;
                showStatus(status);
                if (status.state == Core::ConnectionStatus::State::Connected ||
                    status.state == Core::ConnectionStatus::State::Failed)
                    m_test->setEnabled(true);
            });
    m_test->setEnabled(false);
    tester->testZoho();
}

} // namespace Gui
