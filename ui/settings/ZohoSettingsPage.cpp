#include "ZohoSettingsPage.h"

#include "SettingsSupport.h"
#include "config/Profile.h"
#include "net/ConnectionTester.h"
#include "net/Connections.h"
#include "secrets/MemoryCredentialStore.h"
#include "zoho/ZohoDataCentre.h"

#include <QComboBox>
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
    return {QStringLiteral("ZohoCRM.modules.ALL"), QStringLiteral("ZohoCRM.notifications.ALL"),
            QStringLiteral("ZohoCRM.settings.fields.READ")};
}

ZohoSettingsPage::ZohoSettingsPage(QWidget* parent)
    : QWidget(parent)
    , m_network(new QNetworkAccessManager(this))
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

    auto* codeHelp = new QLabel(tr("In the Zoho API console open Self Client, generate a code with the scopes "
                                   "below and paste it here: the app exchanges it for a refresh token, which "
                                   "is kept in the credential store."),
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
    setTabOrder(m_clientSecret, m_code);
    setTabOrder(m_code, m_exchange);
    setTabOrder(m_exchange, m_scopes);
    setTabOrder(m_scopes, m_test);

    connect(m_dataCentre, &QComboBox::currentIndexChanged, this, &ZohoSettingsPage::updateDataCentre);
    connect(m_accountsUrl, &QLineEdit::textChanged, this, &ZohoSettingsPage::updateDataCentre);
    connect(m_exchange, &QPushButton::clicked, this, &ZohoSettingsPage::exchangeCode);
    connect(m_test, &QPushButton::clicked, this, &ZohoSettingsPage::testConnection);
    m_exchange->setEnabled(false);
    updateDataCentre();
}

ZohoSettingsPage::~ZohoSettingsPage() = default;

void ZohoSettingsPage::setCredentialStore(Core::CredentialStore* store)
{
    Settings::updateKeychainNote(m_keychainNote, store);
}

void ZohoSettingsPage::setCodeExchange(CodeExchange exchange)
{
    m_codeExchange = std::move(exchange);
    m_exchange->setEnabled(bool(m_codeExchange));
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

void ZohoSettingsPage::exchangeCode()
{
    const QString code = m_code->text().trimmed();
    if (!m_codeExchange)
        return;
    if (code.isEmpty()) {
        Settings::showMessage(m_codeStatus, tr("Paste the self-client code first."), true);
        return;
    }
    Settings::showMessage(m_codeStatus, tr("Exchanging the code…"), false);
    m_exchange->setEnabled(false);
    QPointer<ZohoSettingsPage> self(this);
    m_codeExchange(code, [self](Core::Result<QString> token) {
        if (!self)
            return;
        self->m_exchange->setEnabled(true);
        if (!token) {
            Settings::showMessage(self->m_codeStatus, tr("Zoho did not accept the code: %1").arg(token.error().message),
                                  true);
            return;
        }
        self->m_refreshToken = token.value();
        self->m_code->clear();
        Settings::showMessage(self->m_codeStatus, tr("Refresh token received; Apply keeps it in the credential store."),
                              false);
        emit self->refreshTokenReceived();
    });
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
    // The test uses what is on the page now: its secrets go to a store of its own, never persisted.
    auto* secrets = new Core::MemoryCredentialStore(run);
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
