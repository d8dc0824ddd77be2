#pragma once

#include "Result.h"
#include "config/Profile.h"

#include <QWizard>

class QCheckBox;
class QLabel;

namespace Core {
class CredentialStore;
}

namespace Gui {

class OracleSettingsPage;
class ZohoSettingsPage;

// First run: Zoho, then Oracle, each going on only once its connection test passed, then a summary.
// Finish stores the settings in the profile and the secrets in the credential store; the wizard
// stays open and says why when that fails.
class SetupWizard final : public QWizard
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SetupWizard)

public:
    enum PageId { IntroPage, ZohoPage, OraclePage, FinishPage };

    // `store` is not owned and must outlive the wizard.
    SetupWizard(Core::Profile profile, Core::CredentialStore* store, QWidget* parent = nullptr);
    ~SetupWizard() override;

    ZohoSettingsPage* zohoSettings() const { return m_zoho; }
    OracleSettingsPage* oracleSettings() const { return m_oracle; }
    // Whether the person asked for a full sync right after setup.
    bool firstSyncRequested() const;

    void accept() override;

signals:
    // Settings and secrets are stored; the wizard closes right after.
    void configured();

private:
    void storeAll();
    void applyFailed(const Core::Error& error);

    Core::Profile m_profile;
    Core::CredentialStore* m_store;
    ZohoSettingsPage* m_zoho;
    OracleSettingsPage* m_oracle;
    QLabel* m_summary = nullptr;
    QLabel* m_finishError = nullptr;
    QCheckBox* m_firstSync = nullptr;
    bool m_storing = false;
};

} // namespace Gui
