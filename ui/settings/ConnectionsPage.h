#pragma once

#include "Result.h"
#include "config/Profile.h"

#include <QWidget>

#include <functional>

class QLabel;
class QPushButton;

namespace Core {
class CredentialStore;
}

namespace Gui {

class OracleSettingsPage;
class ZohoSettingsPage;

// Applies Zoho's page, then Oracle's (each shows its own problems); `done` gets the first failure.
void applyConnectionPages(ZohoSettingsPage* zoho,
                          OracleSettingsPage* oracle,
                          Core::Profile& profile,
                          Core::CredentialStore* store,
                          std::function<void(Core::Result<Core::Ok>)> done);

// The Connections tab: both sides' settings side by side, applied together. A successful apply is
// announced with `applied`, and the app reconnects with the new settings.
class ConnectionsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionsPage)

public:
    // `store` is not owned and must outlive the page.
    ConnectionsPage(Core::Profile profile, Core::CredentialStore* store, QWidget* parent = nullptr);
    ~ConnectionsPage() override;

    ZohoSettingsPage* zohoSettings() const { return m_zoho; }
    OracleSettingsPage* oracleSettings() const { return m_oracle; }
    QPushButton* applyButton() const { return m_apply; }

    // Writes both sides: settings to the profile, secrets to the store.
    void apply();
    // Shows the stored settings again, dropping edits.
    void revert();

signals:
    void applied();
    void applyFailed(const QString& message);

private:
    void finished(const Core::Result<Core::Ok>& result);

    Core::Profile m_profile;
    Core::CredentialStore* m_store;
    ZohoSettingsPage* m_zoho;
    OracleSettingsPage* m_oracle;
    QPushButton* m_apply;
    QPushButton* m_revert;
    QLabel* m_status;
    bool m_applying = false;
};

} // namespace Gui
