#pragma once

#include "Result.h"
#include "config/ConnectionSettings.h"
#include "net/ConnectionStatus.h"

#include <QPointer>
#include <QUrl>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QNetworkAccessManager;
class QPushButton;

namespace Core {
class CredentialStore;
class HttpClient;
class Profile;
struct ZohoGrant;
} // namespace Core

namespace Gui {

// Where the Zoho side lives and who we are there: data centre, OAuth client, and the refresh token,
// obtained by signing in through the browser or, as a fallback, from a pasted self-client code.
// Settings go to the profile, secrets only to the credential store (on apply).
class ZohoSettingsPage : public QWidget
{
    Q_OBJECT

public:
    using RefreshTokenCallback = std::function<void(Core::Result<QString>)>;
    // Replaces the built-in exchange of a self-client code (Core::ZohoCodeExchange); for tests.
    using CodeExchange = std::function<void(QString code, RefreshTokenCallback)>;
    using DoneCallback = std::function<void(Core::Result<Core::Ok>)>;
    // Opens the sign-in address in a browser; false when none could be started.
    using UrlOpener = std::function<bool(const QUrl&)>;

    static QStringList requestedScopes();

    explicit ZohoSettingsPage(QWidget* parent = nullptr);
    ~ZohoSettingsPage() override;

    // The store decides the "no keychain" note; apply() takes its own store.
    void setCredentialStore(Core::CredentialStore* store);
    void setCodeExchange(CodeExchange exchange);
    // The default is QDesktopServices::openUrl.
    void setUrlOpener(UrlOpener opener);
    // How long the browser sign-in waits for Zoho's answer (default 5 minutes).
    void setSignInTimeoutMs(int ms) { m_signInTimeoutMs = ms; }
    // The loopback port of the sign-in's redirect URI (0, the default: any free one). A client whose
    // Zoho API console wants one exact redirect URI registers http://127.0.0.1:PORT/callback.
    void setSignInPort(quint16 port) { m_signInPort = port; }

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

    // "Sign in with browser…": waits on loopback for Zoho's answer, then exchanges the code.
    void signInWithBrowser();
    void cancelSignIn();
    bool isSigningIn() const { return !m_signInRun.isNull(); }

signals:
    void statusChanged(const Core::ConnectionStatus& status);
    void refreshTokenReceived();

private:
    void updateDataCentre();
    void exchangeCode();
    void showStatus(const Core::ConnectionStatus& status);
    // The client secret from the field, else from the credential store.
    void withClientSecret(std::function<void(Core::Result<QString>)> then);
    void grantReceived(const Core::ZohoGrant& grant, QLabel* status);
    void endSignIn();

    QComboBox* m_dataCentre;
    QLabel* m_accountsServer;
    QLineEdit* m_accountsUrl;
    QLineEdit* m_apiUrl;
    QLineEdit* m_clientId;
    QLineEdit* m_clientSecret;
    QLineEdit* m_code;
    QPushButton* m_signIn;
    QPushButton* m_cancelSignIn;
    QLabel* m_signInStatus;
    QPushButton* m_exchange;
    QLabel* m_codeStatus;
    QLineEdit* m_scopes;
    QPushButton* m_test;
    QLabel* m_diagnosis;
    QLabel* m_errors;
    QLabel* m_keychainNote;

    CodeExchange m_codeExchange;
    UrlOpener m_openUrl;
    int m_signInTimeoutMs;
    quint16 m_signInPort = 0;
    QString m_refreshToken;
    QNetworkAccessManager* m_network;
    Core::HttpClient* m_http;
    QPointer<Core::CredentialStore> m_store;
    QPointer<QObject> m_signInRun;   // owns the browser sign-in in flight
    QPointer<QObject> m_exchangeRun; // owns the code exchange in flight
    QPointer<QObject> m_testRun;     // owns the stack of the test in flight
    Core::ConnectionStatus m_lastStatus;
};

} // namespace Gui
