#pragma once

#include "Result.h"
#include "config/ConnectionSettings.h"
#include "net/ConnectionStatus.h"
#include "secrets/CredentialStore.h"

#include <QPointer>
#include <QUrl>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;
class QRadioButton;
class QStackedWidget;

namespace Core {
class CredentialStore;
class Profile;
} // namespace Core

namespace Gui {

// Where the Oracle Fusion pod is and how to sign in to it. Settings go to the profile, secrets only
// to the credential store. The REST endpoint the pod gives is shown as the person types.
class OracleSettingsPage : public QWidget
{
    Q_OBJECT

public:
    using DoneCallback = std::function<void(Core::Result<Core::Ok>)>;

    explicit OracleSettingsPage(QWidget* parent = nullptr);
    ~OracleSettingsPage() override;

    void setCredentialStore(Core::CredentialStore* store);

    void load(const Core::Profile& profile);
    Core::OracleConnection connection() const;
    // The pod the fields give now, or why they do not give one.
    Core::Result<QUrl> pod() const;
    QList<QPair<QString, QString>> enteredSecrets() const;

    void apply(Core::Profile& profile, Core::CredentialStore* store, DoneCallback done);

    void testConnection();
    Core::ConnectionStatus lastStatus() const { return m_lastStatus; }

signals:
    void statusChanged(const Core::ConnectionStatus& status);

private:
    void updateEndpoint();
    void updateAuth();
    void showStatus(const Core::ConnectionStatus& status);

    QRadioButton* m_byUrl;
    QRadioButton* m_byRegion;
    QLineEdit* m_podUrl;
    QLineEdit* m_pod;
    QLineEdit* m_region;
    QLabel* m_endpoint;
    QComboBox* m_auth;
    QStackedWidget* m_authPages;
    QLineEdit* m_username;
    QLineEdit* m_password;
    QLineEdit* m_tokenUrl;
    QLineEdit* m_clientId;
    QLineEdit* m_clientSecret;
    QLineEdit* m_scope;
    QLineEdit* m_sourceSystem;
    QPushButton* m_test;
    QLabel* m_diagnosis;
    QLabel* m_errors;
    QLabel* m_keychainNote;

    QNetworkAccessManager* m_network;
    QPointer<Core::CredentialStore> m_store; // the applied secrets, under the typed ones in a test
    QPointer<QObject> m_testRun;
    Core::ConnectionStatus m_lastStatus;
};

} // namespace Gui
