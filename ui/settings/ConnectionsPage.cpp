#include "ConnectionsPage.h"

#include "OracleSettingsPage.h"
#include "SettingsSupport.h"
#include "ZohoSettingsPage.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QVBoxLayout>

namespace Gui {

void applyConnectionPages(ZohoSettingsPage* zoho,
                          OracleSettingsPage* oracle,
                          Core::Profile& profile,
                          Core::CredentialStore* store,
                          std::function<void(Core::Result<Core::Ok>)> done)
{
    QPointer<OracleSettingsPage> oraclePage(oracle);
    zoho->apply(profile, store, [oraclePage, &profile, store, done](Core::Result<Core::Ok> zohoDone) {
        if (!zohoDone || !oraclePage) {
            done(zohoDone ? Core::Result<Core::Ok>(
                                Core::Error{Core::Error::Kind::Unavailable, QObject::tr("The settings page went away")})
                          : zohoDone);
            return;
        }
        oraclePage->apply(profile, store, done);
    });
}

ConnectionsPage::ConnectionsPage(Core::Profile profile, Core::CredentialStore* store, QWidget* parent)
    : QWidget(parent)
    , m_profile(std::move(profile))
    , m_store(store)
    , m_zoho(new ZohoSettingsPage)
    , m_oracle(new OracleSettingsPage)
    , m_apply(new QPushButton(tr("&Apply")))
    , m_revert(new QPushButton(tr("Re&vert")))
    , m_status(new QLabel)
{
    m_zoho->setCredentialStore(store);
    m_oracle->setCredentialStore(store);

    auto* sides = new QWidget;
    auto* sidesLayout = new QHBoxLayout(sides);
    sidesLayout->addWidget(m_zoho, 1);
    sidesLayout->addWidget(m_oracle, 1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(sides);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);

    Settings::nameControl(m_apply, QStringLiteral("applyConnections"), tr("Apply connection settings"));
    Settings::nameControl(m_revert, QStringLiteral("revertConnections"), tr("Revert connection settings"));
    Settings::nameControl(m_status, QStringLiteral("connectionsStatus"), tr("Connection settings status"));
    m_status->setWordWrap(true);
    m_apply->setToolTip(tr("Store both sides' settings (secrets go to the credential store) and reconnect"));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_status, 1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_apply);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(scroll, 1);
    layout->addLayout(buttons);
    connect(m_apply, &QPushButton::clicked, this, &ConnectionsPage::apply);
    connect(m_revert, &QPushButton::clicked, this, &ConnectionsPage::revert);
    revert();
}

ConnectionsPage::~ConnectionsPage() = default;

void ConnectionsPage::revert()
{
    m_zoho->load(m_profile);
    m_oracle->load(m_profile);
    Settings::showMessage(m_status, QString(), false);
}

void ConnectionsPage::apply()
{
    if (m_applying)
        return;
    m_applying = true;
    m_apply->setEnabled(false);
    Settings::showMessage(m_status, tr("Storing…"), false);
    applyConnectionPages(m_zoho, m_oracle, m_profile, m_store,
                         [this](Core::Result<Core::Ok> result) { finished(result); });
}

void ConnectionsPage::finished(const Core::Result<Core::Ok>& result)
{
    m_applying = false;
    m_apply->setEnabled(true);
    if (!result) {
        Settings::showMessage(m_status, tr("Not applied: %1").arg(result.error().message), true);
        emit applyFailed(result.error().message);
        return;
    }
    Settings::showMessage(m_status, tr("Applied. Reconnecting with the new settings…"), false);
    emit applied();
}

} // namespace Gui
