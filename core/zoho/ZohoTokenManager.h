#pragma once

#include "net/RefreshingTokenSource.h"

#include <QUrl>

#include <deque>

namespace Core {

class CredentialStore;
class HttpClient;

// Zoho OAuth: trades the stored refresh token for access tokens at the data centre's accounts
// server. Zoho answers token errors with HTTP 200 and an "error" member, and allows only 10
// refreshes per refresh token in 10 minutes, so refreshes are single-flight and counted here:
// past the limit we say so instead of asking (and being locked out for longer).
class ZohoTokenManager final : public RefreshingTokenSource
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ZohoTokenManager)

public:
    struct Config
    {
        QUrl accountsUrl;
        QString clientId;
        QString dataCentreLabel; // "EU", for messages
        int maxRefreshesPerWindow = 10;
        qint64 windowS = 600;
    };

    ZohoTokenManager(Config config,
                     HttpClient* http,
                     CredentialStore* secrets,
                     const Clock* clock = nullptr,
                     QObject* parent = nullptr);

    bool refreshMightHelp(const HttpResponse& unauthorized) const override;
    QString describe401(const HttpResponse& unauthorized) const override;

    // The API domain from the last token answer: Zoho says where this org's data lives.
    QUrl apiDomain() const { return m_apiDomain; }

    static constexpr const char* kClientSecretKey = "zoho/client_secret";
    static constexpr const char* kRefreshTokenKey = "zoho/refresh_token";

signals:
    void apiDomainChanged(const QUrl& apiDomain);

protected:
    void fetch(std::function<void(Result<Fetched>)> done) override;

private:
    void post(const QString& clientSecret, const QString& refreshToken, std::function<void(Result<Fetched>)> done);
    Result<Fetched> parseAnswer(const Result<HttpResponse>& answer);
    int refreshesInWindow();

    Config m_config;
    HttpClient* m_http;
    CredentialStore* m_secrets;
    QUrl m_apiDomain;
    std::deque<QDateTime> m_refreshTimes;
    QDateTime m_blockedUntil;
};

} // namespace Core
