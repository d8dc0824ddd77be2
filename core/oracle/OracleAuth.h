#pragma once

#include "net/RefreshingTokenSource.h"

#include <QUrl>

namespace Core {

class CredentialStore;
class HttpClient;

// Oracle OAuth through the IAM identity domain (IDCS): client_credentials with Basic client
// authentication, giving Bearer tokens for the Fusion REST APIs.
class OracleIdcsTokenManager final : public RefreshingTokenSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OracleIdcsTokenManager)

public:
    struct Config
    {
        QUrl tokenUrl; // https://idcs-<id>.identity.oraclecloud.com/oauth2/v1/token
        QString clientId;
        QString scope; // urn:opc:resource:fa:instanceid=…urn:opc:resource:consumer::all
    };

    OracleIdcsTokenManager(Config config,
                           HttpClient* http,
                           CredentialStore* secrets,
                           const Clock* clock = nullptr,
                           QObject* parent = nullptr);

    bool refreshMightHelp(const HttpResponse&) const override { return true; }
    QString describe401(const HttpResponse& unauthorized) const override;

    static constexpr const char* kClientSecretKey = "oracle/client_secret";

protected:
    void fetch(std::function<void(Result<Fetched>)> done) override;

private:
    Result<Fetched> parseAnswer(const Result<HttpResponse>& answer) const;

    Config m_config;
    HttpClient* m_http;
    CredentialStore* m_secrets;
};

// Oracle Basic authentication: a user name and the password from the credential store. Nothing
// to refresh, so a 401 is final.
class OracleBasicAuth final : public TokenSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OracleBasicAuth)

public:
    OracleBasicAuth(QString username, CredentialStore* secrets, QObject* parent = nullptr);

    std::optional<AccessToken> validToken() const override;
    void token(QObject* context, Callback callback) override;
    void invalidate(quint64) override { }
    bool refreshMightHelp(const HttpResponse&) const override { return false; }
    QString describe401(const HttpResponse&) const override;

    static constexpr const char* kPasswordKey = "oracle/password";

private:
    QString m_username;
    CredentialStore* m_secrets;
    QByteArray m_header;
};

} // namespace Core
