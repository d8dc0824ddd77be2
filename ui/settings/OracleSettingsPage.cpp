#include "OracleSettingsPage.h"

#include "SettingsSupport.h"
#include "config/Profile.h"
#include "net/ConnectionTester.h"
#include "net/Connections.h"
#include "oracle/OracleEndpoint.h"
#include "secrets/OverlayCredentialStore.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QNetworkAccessManager>
#include <QPushButton>
#include <QRadioButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace Gui {

namespace {
const QString kBasic = QStringLiteral("basic");
const QString kOAuth = QStringLiteral("oauth");
} // namespace

OracleSettingsPage::OracleSettingsPage(QWidget* parent)
    : QWidget(parent)
    , m_network(new QNetworkAccessManager(this))
{
    using Settings::nameControl;
    setObjectName(QStringLiteral("oracleSettingsPage"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    layout->addLayout(form);

    m_byUrl = new QRadioButton(tr("Pod &URL"), this);
    nameControl(m_byUrl, QStringLiteral("podUrlRadio"), tr("Give the pod URL"));
    m_byRegion = new QRadioButton(tr("Pod and &region"), this);
    nameControl(m_byRegion, QStringLiteral("podRegionRadio"), tr("Give the pod name and region"));
    auto* group = new QButtonGroup(this);
    group->addButton(m_byUrl);
    group->addButton(m_byRegion);
    m_byUrl->setChecked(true);
    auto* choice = new QHBoxLayout;
    choice->addWidget(m_byUrl);
    choice->addWidget(m_byRegion);
    choice->addStretch(1);
    form->addRow(tr("Pod given by:"), choice);

    m_podUrl = new QLineEdit(this);
    nameControl(m_podUrl, QStringLiteral("podUrlEdit"), tr("Pod URL"));
    m_podUrl->setPlaceholderText(QStringLiteral("https://acme.fa.us2.oraclecloud.com"));
    form->addRow(tr("Pod U&RL:"), m_podUrl);

    m_pod = new QLineEdit(this);
    nameControl(m_pod, QStringLiteral("podEdit"), tr("Pod name"));
    m_pod->setPlaceholderText(QStringLiteral("acme-test"));
    form->addRow(tr("P&od:"), m_pod);

    m_region = new QLineEdit(this);
    nameControl(m_region, QStringLiteral("regionEdit"), tr("Pod region"));
    m_region->setPlaceholderText(QStringLiteral("us2"));
    form->addRow(tr("Re&gion:"), m_region);

    m_endpoint = new QLabel(this);
    nameControl(m_endpoint, QStringLiteral("restEndpointLabel"), tr("REST endpoint"));
    m_endpoint->setWordWrap(true);
    m_endpoint->setTextFormat(Qt::PlainText);
    m_endpoint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    form->addRow(tr("REST endpoint:"), m_endpoint);

    m_auth = new QComboBox(this);
    nameControl(m_auth, QStringLiteral("oracleAuthCombo"), tr("Oracle sign-in method"));
    m_auth->addItem(tr("Basic (user and password)"), kBasic);
    m_auth->addItem(tr("OAuth client credentials"), kOAuth);
    form->addRow(tr("Sign-in &method:"), m_auth);

    m_authPages = new QStackedWidget(this);
    m_authPages->setObjectName(QStringLiteral("oracleAuthPages"));
    auto* basicPage = new QWidget(m_authPages);
    auto* basicForm = new QFormLayout(basicPage);
    basicForm->setContentsMargins(0, 0, 0, 0);
    m_username = new QLineEdit(basicPage);
    nameControl(m_username, QStringLiteral("oracleUsernameEdit"), tr("Oracle user name"));
    basicForm->addRow(tr("U&ser:"), m_username);
    m_password = new QLineEdit(basicPage);
    nameControl(m_password, QStringLiteral("oraclePasswordEdit"), tr("Oracle password"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setPlaceholderText(tr("unchanged"));
    basicForm->addRow(tr("&Password:"), m_password);
    m_authPages->addWidget(basicPage);

    auto* oauthPage = new QWidget(m_authPages);
    auto* oauthForm = new QFormLayout(oauthPage);
    oauthForm->setContentsMargins(0, 0, 0, 0);
    m_tokenUrl = new QLineEdit(oauthPage);
    nameControl(m_tokenUrl, QStringLiteral("oracleTokenUrlEdit"), tr("Token URL"));
    m_tokenUrl->setPlaceholderText(QStringLiteral("https://idcs-….identity.oraclecloud.com/oauth2/v1/token"));
    oauthForm->addRow(tr("To&ken URL:"), m_tokenUrl);
    m_clientId = new QLineEdit(oauthPage);
    nameControl(m_clientId, QStringLiteral("oracleClientIdEdit"), tr("Oracle client id"));
    oauthForm->addRow(tr("Client &id:"), m_clientId);
    m_clientSecret = new QLineEdit(oauthPage);
    nameControl(m_clientSecret, QStringLiteral("oracleClientSecretEdit"), tr("Oracle client secret"));
    m_clientSecret->setEchoMode(QLineEdit::Password);
    m_clientSecret->setPlaceholderText(tr("unchanged"));
    oauthForm->addRow(tr("Client s&ecret:"), m_clientSecret);
    m_scope = new QLineEdit(oauthPage);
    nameControl(m_scope, QStringLiteral("oracleScopeEdit"), tr("OAuth scope"));
    oauthForm->addRow(tr("Sco&pe:"), m_scope);
    m_authPages->addWidget(oauthPage);
    form->addRow(m_authPages);

    m_sourceSystem = new QLineEdit(QStringLiteral("ZOHOCRM"), this);
    nameControl(m_sourceSystem, QStringLiteral("sourceSystemEdit"), tr("Source system code"));
    form->addRow(tr("Source s&ystem:"), m_sourceSystem);

    const Settings::PageFooter footer = Settings::addPageFooter(this, layout, QStringLiteral("oracle"), tr("Oracle"));
    m_errors = footer.errors;
    m_test = footer.test;
    m_diagnosis = footer.diagnosis;
    m_keychainNote = footer.keychainNote;

    setTabOrder(m_byUrl, m_byRegion);
    setTabOrder(m_byRegion, m_podUrl);
    setTabOrder(m_podUrl, m_pod);
    setTabOrder(m_pod, m_region);
    setTabOrder(m_region, m_auth);
    setTabOrder(m_auth, m_username);
    setTabOrder(m_username, m_password);
    setTabOrder(m_password, m_tokenUrl);
    setTabOrder(m_tokenUrl, m_clientId);
    setTabOrder(m_clientId, m_clientSecret);
    setTabOrder(m_clientSecret, m_scope);
    setTabOrder(m_scope, m_sourceSystem);
    setTabOrder(m_sourceSystem, m_test);

    connect(m_byUrl, &QRadioButton::toggled, this, &OracleSettingsPage::updateEndpoint);
    connect(m_podUrl, &QLineEdit::textChanged, this, &OracleSettingsPage::updateEndpoint);
    connect(m_pod, &QLineEdit::textChanged, this, &OracleSettingsPage::updateEndpoint);
    connect(m_region, &QLineEdit::textChanged, this, &OracleSettingsPage::updateEndpoint);
    connect(m_auth, &QComboBox::currentIndexChanged, this, &OracleSettingsPage::updateAuth);
    connect(m_test, &QPushButton::clicked, this, &OracleSettingsPage::testConnection);
    updateEndpoint();
    updateAuth();
}

OracleSettingsPage::~OracleSettingsPage() = default;

void OracleSettingsPage::setCredentialStore(Core::CredentialStore* store)
{
    m_store = store;
    Settings::updateKeychainNote(m_keychainNote, store);
}

Core::Result<QUrl> OracleSettingsPage::pod() const
{
    if (m_byUrl->isChecked())
        return Core::OracleEndpoint::fromPodUrl(m_podUrl->text().trimmed());
    return Core::OracleEndpoint::fromPodAndRegion(m_pod->text().trimmed(), m_region->text().trimmed());
}

void OracleSettingsPage::updateEndpoint()
{
    const bool byUrl = m_byUrl->isChecked();
    m_podUrl->setEnabled(byUrl);
    m_pod->setEnabled(!byUrl);
    m_region->setEnabled(!byUrl);
    const bool empty = byUrl ? m_podUrl->text().trimmed().isEmpty()
                             : m_pod->text().trimmed().isEmpty() && m_region->text().trimmed().isEmpty();
    if (empty) {
        Settings::showMessage(m_endpoint, tr("(enter the pod to see the endpoint)"), false);
        return;
    }
    const auto url = pod();
    if (url)
        Settings::showMessage(
            m_endpoint, Core::OracleEndpoint::crmResource(url.value(), QStringLiteral("accounts")).toString(), false);
    else
        Settings::showMessage(m_endpoint, url.error().message, true);
}

void OracleSettingsPage::updateAuth()
{
    m_authPages->setCurrentIndex(m_auth->currentData().toString() == kOAuth ? 1 : 0);
}

void OracleSettingsPage::load(const Core::Profile& profile)
{
    const auto oracle = profile.oracle();
    const bool byRegion = oracle.podUrl.isEmpty() && !oracle.pod.isEmpty();
    (byRegion ? m_byRegion : m_byUrl)->setChecked(true);
    m_podUrl->setText(oracle.podUrl);
    m_pod->setText(oracle.pod);
    m_region->setText(oracle.region);
    m_auth->setCurrentIndex(oracle.auth == Core::OracleConnection::Auth::OAuthClientCredentials ? 1 : 0);
    m_username->setText(oracle.username);
    m_tokenUrl->setText(oracle.tokenUrl);
    m_clientId->setText(oracle.clientId);
    m_scope->setText(oracle.scope);
    m_sourceSystem->setText(oracle.sourceSystem);
    updateEndpoint();
}

Core::OracleConnection OracleSettingsPage::connection() const
{
    Core::OracleConnection oracle;
    if (m_byUrl->isChecked()) {
        oracle.podUrl = m_podUrl->text().trimmed();
    } else {
        oracle.pod = m_pod->text().trimmed();
        oracle.region = m_region->text().trimmed();
    }
    oracle.auth = m_auth->currentData().toString() == kOAuth ? Core::OracleConnection::Auth::OAuthClientCredentials
                                                             : Core::OracleConnection::Auth::Basic;
    oracle.username = m_username->text().trimmed();
    oracle.tokenUrl = m_tokenUrl->text().trimmed();
    oracle.clientId = m_clientId->text().trimmed();
    oracle.scope = m_scope->text().trimmed();
    oracle.sourceSystem = m_sourceSystem->text().trimmed();
    return oracle;
}

QList<QPair<QString, QString>> OracleSettingsPage::enteredSecrets() const
{
    QList<QPair<QString, QString>> secrets;
    if (!m_password->text().isEmpty())
        secrets.append({Core::Profile::secretStoreKey(QStringLiteral("oracle.password")), m_password->text()});
    if (!m_clientSecret->text().isEmpty())
        secrets.append({Core::Profile::secretStoreKey(QStringLiteral("oracle.client_secret")), m_clientSecret->text()});
    return secrets;
}

void OracleSettingsPage::apply(Core::Profile& profile, Core::CredentialStore* store, DoneCallback done)
{
    const auto oracle = connection();
    const bool oauth = oracle.auth == Core::OracleConnection::Auth::OAuthClientCredentials;
    Settings::applySettings(profile,
                            {
                                {QStringLiteral("oracle.pod_url"), oracle.podUrl},
                                {QStringLiteral("oracle.pod"), oracle.pod},
                                {QStringLiteral("oracle.region"), oracle.region},
                                {QStringLiteral("oracle.auth"), oauth ? kOAuth : kBasic},
                                {QStringLiteral("oracle.username"), oracle.username},
                                {QStringLiteral("oracle.token_url"), oracle.tokenUrl},
                                {QStringLiteral("oracle.client_id"), oracle.clientId},
                                {QStringLiteral("oracle.scope"), oracle.scope},
                                {QStringLiteral("oracle.source_system"), oracle.sourceSystem},
                            },
                            store, enteredSecrets(), m_errors, this, std::move(done));
}

void OracleSettingsPage::showStatus(const Core::ConnectionStatus& status)
{
    m_lastStatus = status;
    Settings::showMessage(m_diagnosis, Settings::describeStatus(status),
                          status.state == Core::ConnectionStatus::State::Failed);
    emit statusChanged(status);
}

void OracleSettingsPage::testConnection()
{
    if (m_testRun)
        m_testRun->deleteLater();
    auto* run = new QObject(this);
    m_testRun = run;
    // What is typed now, over what is stored: a blank secret field means "keep the stored one".
    auto* secrets = new Core::OverlayCredentialStore(m_store, run);
    for (const auto& secret : enteredSecrets())
        secrets->write(secret.first, secret.second, run, [](Core::Result<Core::Ok>) {});
    auto* connections =
        new Core::Connections(m_network, secrets, Core::ZohoConnection{}, connection(), {}, nullptr, run);
    auto* tester = new Core::ConnectionTester(connections, run);
    connect(tester, &Core::ConnectionTester::statusChanged, this,
            [this, run](Core::Service service, const Core::ConnectionStatus& status) {
                if (service != Core::Service::Oracle || m_testRun != run)
                    return;
                showStatus(status);
                if (status.state != Core::ConnectionStatus::State::Checking)
                    m_test->setEnabled(true);
            });
    m_test->setEnabled(false);
    tester->testOracle();
}

} // namespace Gui
