#include "SetupWizard.h"

#include "secrets/CredentialStore.h"
#include "settings/ConnectionsPage.h"
#include "settings/OracleSettingsPage.h"
#include "settings/SettingsSupport.h"
#include "settings/ZohoSettingsPage.h"
#include "zoho/ZohoDataCentre.h"

#include <QAbstractButton>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QVBoxLayout>

#include <functional>

namespace Gui {

namespace {

using State = Core::ConnectionStatus::State;

// A wizard page around one side's settings page: Next opens once that side's connection test has
// passed with the values shown, and closes again when any of them changes.
class TestedConnectionPage final : public QWizardPage
{
public:
    TestedConnectionPage(QWidget* settings, std::function<Core::ConnectionStatus()> lastStatus)
        : m_lastStatus(std::move(lastStatus))
    {
        auto* layout = new QVBoxLayout(this);
        layout->addWidget(settings);
        m_hint = new QLabel(this);
        m_hint->setWordWrap(true);
        Settings::nameControl(m_hint, settings->objectName() + QStringLiteral("Hint"), SetupWizard::tr("Next step"));
        layout->addWidget(m_hint);
        const auto invalidate = [this] {
            m_tested = false;
            updateHint();
            emit completeChanged();
        };
        for (auto* edit : settings->findChildren<QLineEdit*>())
            connect(edit, &QLineEdit::textEdited, this, invalidate);
        for (auto* combo : settings->findChildren<QComboBox*>())
            connect(combo, &QComboBox::activated, this, invalidate);
        for (auto* radio : settings->findChildren<QRadioButton*>())
            connect(radio, &QAbstractButton::clicked, this, invalidate);
        updateHint();
    }

    void statusChanged(const Core::ConnectionStatus& status)
    {
        if (status.state != State::Connected && status.state != State::Failed)
            return;
        m_tested = status.state == State::Connected;
        updateHint();
        emit completeChanged();
    }

    bool isComplete() const override { return m_tested && m_lastStatus().state == State::Connected; }

private:
    void updateHint()
    {
        m_hint->setText(m_tested ? SetupWizard::tr("The connection works. Continue with Next.")
                                 : SetupWizard::tr("Press Test connection: Next opens once the connection works."));
    }

    std::function<Core::ConnectionStatus()> m_lastStatus;
    QLabel* m_hint;
    bool m_tested = false;
};

} // namespace

SetupWizard::SetupWizard(Core::Profile profile, Core::CredentialStore* store, QWidget* parent)
    : QWizard(parent)
    , m_profile(std::move(profile))
    , m_store(store)
    , m_zoho(new ZohoSettingsPage)
    , m_oracle(new OracleSettingsPage)
{
    setObjectName(QStringLiteral("setupWizard"));
    setWindowTitle(tr("Set up ml-connector"));
    setWizardStyle(QWizard::ModernStyle);
    setOption(QWizard::NoBackButtonOnStartPage);
    // Room for a settings page without scrolling.
    setMinimumSize(720, 640);
    m_zoho->setCredentialStore(store);
    m_oracle->setCredentialStore(store);
    m_zoho->load(m_profile);
    m_oracle->load(m_profile);

    auto* intro = new QWizardPage;
    intro->setTitle(tr("Welcome"));
    intro->setSubTitle(tr("Connect Zoho CRM and Oracle Fusion Cloud ERP. This takes a few minutes."));
    auto* introLayout = new QVBoxLayout(intro);
    auto* introText = new QLabel(
        tr("<p>You will need:</p><ul>"
           "<li>a Zoho API client (client id and secret from api-console.zoho.com) and a Zoho user who may read "
           "and edit contacts and accounts;</li>"
           "<li>your Oracle Fusion pod URL (or pod name and region) and an integration user, or an OAuth "
           "client of the identity domain.</li></ul>"
           "<p>Each side is tested before you go on. Settings are kept in %1.%2</p>")
            .arg(m_profile.configPath().toHtmlEscaped(),
                 store && store->name() == QLatin1String("keychain")
                     ? tr(" Secrets go to the system keychain, never to a file.")
                     : QString()),
        intro);
    introText->setWordWrap(true);
    introText->setTextFormat(Qt::RichText);
    Settings::nameControl(introText, QStringLiteral("introText"), tr("What setup needs"));
    introLayout->addWidget(introText);
    auto* note = Settings::makeKeychainNote(intro);
    Settings::updateKeychainNote(note, store);
    introLayout->addWidget(note);
    introLayout->addStretch();
    setPage(IntroPage, intro);

    auto* zohoPage = new TestedConnectionPage(m_zoho, [this] { return m_zoho->lastStatus(); });
    zohoPage->setTitle(tr("Zoho CRM"));
    zohoPage->setSubTitle(tr("Pick your data centre, enter the API client, sign in, then test the connection."));
    connect(m_zoho, &ZohoSettingsPage::statusChanged, zohoPage, &TestedConnectionPage::statusChanged);
    setPage(ZohoPage, zohoPage);

    auto* oraclePage = new TestedConnectionPage(m_oracle, [this] { return m_oracle->lastStatus(); });
    oraclePage->setTitle(tr("Oracle Fusion Cloud ERP"));
    oraclePage->setSubTitle(tr("Enter your pod, how to sign in and the source system code, then test the connection."));
    connect(m_oracle, &OracleSettingsPage::statusChanged, oraclePage, &TestedConnectionPage::statusChanged);
    setPage(OraclePage, oraclePage);

    auto* finish = new QWizardPage;
    finish->setTitle(tr("Ready"));
    finish->setSubTitle(tr("Finish stores the settings and starts syncing."));
    auto* finishLayout = new QVBoxLayout(finish);
    m_summary = new QLabel(finish);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::RichText);
    Settings::nameControl(m_summary, QStringLiteral("setupSummary"), tr("Summary of the setup"));
    finishLayout->addWidget(m_summary);
    m_firstSync = new QCheckBox(tr("Run a full sync of every Zoho record when setup finishes"), finish);
    Settings::nameControl(m_firstSync, QStringLiteral("firstSync"), tr("Run a full sync after setup"));
    m_firstSync->setChecked(true);
    finishLayout->addWidget(m_firstSync);
    m_finishError = new QLabel(finish);
    m_finishError->setWordWrap(true);
    Settings::nameControl(m_finishError, QStringLiteral("setupError"), tr("Setup problem"));
    finishLayout->addWidget(m_finishError);
    finishLayout->addStretch();
    setPage(FinishPage, finish);

    connect(this, &QWizard::currentIdChanged, this, [this](int id) {
        if (id != FinishPage)
            return;
        const auto zoho = m_zoho->connection();
        const auto* dc = Core::ZohoDataCentre::find(zoho.dataCentre);
        const auto pod = m_oracle->pod();
        m_summary->setText(
            tr("<p><b>Zoho CRM</b>: data centre %1, accounts server %2.</p>"
               "<p><b>Oracle Fusion</b>: %3, source system %4.</p>"
               "<p>Secrets go to %5.</p>")
                .arg(dc ? dc->id : zoho.dataCentre,
                     (dc ? dc->accountsUrl.toString(QUrl::StripTrailingSlash) : zoho.accountsUrl).toHtmlEscaped(),
                     pod ? pod.value().toDisplayString().toHtmlEscaped() : pod.error().message.toHtmlEscaped(),
                     m_oracle->connection().sourceSystem.toHtmlEscaped(),
                     m_store ? m_store->describe().toHtmlEscaped() : tr("nowhere")));
        Settings::showMessage(m_finishError, QString(), false);
    });
}

SetupWizard::~SetupWizard() = default;

bool SetupWizard::firstSyncRequested() const
{
    return m_firstSync->isChecked();
}

void SetupWizard::accept()
{
    if (m_storing)
        return;
    m_storing = true;
    button(QWizard::FinishButton)->setEnabled(false);
    Settings::showMessage(m_finishError, tr("Storing the settings…"), false);
    storeAll();
}

void SetupWizard::storeAll()
{
    applyConnectionPages(m_zoho, m_oracle, m_profile, m_store, [this](Core::Result<Core::Ok> stored) {
        if (!stored) {
            applyFailed(stored.error());
            return;
        }
        m_storing = false;
        emit configured();
        QWizard::accept();
    });
}

void SetupWizard::applyFailed(const Core::Error& error)
{
    m_storing = false;
    button(QWizard::FinishButton)->setEnabled(true);
    Settings::showMessage(m_finishError, tr("Could not finish setup: %1").arg(error.message), true);
}

} // namespace Gui
