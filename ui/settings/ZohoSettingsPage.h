#pragma once

#include "Result.h"
#include "config/ConnectionSettings.h"
#include "net/ConnectionStatus.h"

#include <QPointer>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;

namespace Core {
class CredentialStore;
class Profile;
} // namespace Core

namespace Gui {

// Where the Zoho side lives and who we are there: data centre, OAuth client, and the refresh token
// obtained from a self-client code. Settings go to the profile, secrets only to the credential store.
class ZohoSettingsPage : public QWidget
{
    Q_OBJECT

public:
    using RefreshTokenCallback = std::function<void(Core::Result<QString>)>;
    // The app's seam for exchanging a self-client code for a refresh token.
    using CodeExchange = std::function<void(QString code, RefreshTokenCallback)>;
    using DoneCallback = std::function<void(Core::Result<Core::Ok>)>;

    static QStringList requestedScopes();

    explicit ZohoSettingsPage(QWidget* parent = nullptr);
    ~ZohoSettingsPage() override;

    // The store decides the "no keychain" note; apply() takes its own store.
    void setCredentialStore(Core::CredentialStore* store);
    void setCodeExchange(CodeExchange exchange);

    // Fills the fields from a profile's settings (never secrets).
    void load(const Core::Profile& profile);
    // The connection the fields describe now.
    Core::ZohoConnection connection() const;
    // Credential-store key and value of each secret that was entered; empty ones keep what is stored.
    QList<QPair<QString, QString>> enteredSecrets() const;

    // Writes the settings through Profile::set (problems are shown on the page and stop the apply)
    // and the secrets to `store` only. `done` is called once, from the event loop or at once on a problem.
    void apply(Core::Profile& profile, Core::CredentialStore* store, DoneCallback done);

    // Signs in with the current values and reads a record, as the sync would.
    void testConnection();
    Core::ConnectionStatus lastStatus() const { return m_lastStatus; }

signals:
    void statusChanged(const Core::ConnectionStatus& status);
    void refreshTokenReceived();

private:
    void updateDataCentre();
    void exchangeCode();
    void showStatus(const Core::ConnectionStatus& status);

    QComboBox* m_dataCentre;
    QLabel* m_accountsServer;
    QLineEdit* m_accountsUrl;
    QLineEdit* m_apiUrl;
    QLineEdit* m_clientId;
    QLineEdit* m_clientSecret;
    QLineEdit* m_code;
    QPushButton* m_exchange;
    QLabel* m_codeStatus;
    QLineEdit* m_scopes;
    QPushButton* m_test;
    QLabel* m_diagnosis;
    QLabel* m_errors;
    QLabel* m_keychainNote;

    CodeExchange m_codeExchange;
    QString m_refreshToken;
    QNetworkAccessManager* m_network;
    QPointer<QObject> m_testRun; // owns the stack of the test in flight
    Core::ConnectionStatus m_lastStatus;
};

} // namespace Gui
