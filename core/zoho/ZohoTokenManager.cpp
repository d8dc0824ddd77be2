#include "ZohoTokenManager.h"

#include "Clock.h"
#include "Logging.h"
#include "net/FormBody.h"
#include "net/HttpClient.h"
#include "secrets/CredentialStore.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace Core {

ZohoTokenManager::ZohoTokenManager(
    Config config, HttpClient* http, CredentialStore* secrets, const Clock* clock, QObject* parent)
    : RefreshingTokenSource(clock, parent)
    , m_config(std::move(config))
    , m_http(http)
    , m_secrets(secrets)
{ }

bool ZohoTokenManager::refreshMightHelp(const HttpResponse& unauthorized) const
{
    // A token without the scope stays without it after a refresh.
    const QString code = QJsonDocument::fromJson(unauthorized.body).object().value(QStringLiteral("code")).toString();
    return code != QLatin1String("OAUTH_SCOPE_MISMATCH");
}

QString ZohoTokenManager::describe401(const HttpResponse& unauthorized) const
{
    const QString code = QJsonDocument::fromJson(unauthorized.body).object().value(QStringLiteral("code")).toString();
    if (code == QLatin1String("OAUTH_SCOPE_MISMATCH"))
        return tr("The Zoho token lacks a scope this call needs (OAUTH_SCOPE_MISMATCH): sign in again granting "
                  "ZohoCRM.modules.ALL and ZohoCRM.notifications.ALL");
    return tr("Zoho CRM rejected a freshly refreshed token (%1): sign in to Zoho again")
        .arg(code.isEmpty() ? QStringLiteral("HTTP 401") : code);
}

int ZohoTokenManager::refreshesInWindow()
{
    const QDateTime horizon = clock()->now().addSecs(-m_config.windowS);
    while (!m_refreshTimes.empty() && m_refreshTimes.front() <= horizon)
        m_refreshTimes.pop_front();
    return int(m_refreshTimes.size());
}

void ZohoTokenManager::fetch(std::function<void(Result<Fetched>)> done)
{
    const QDateTime now = clock()->now();
    if (m_blockedUntil.isValid() && now < m_blockedUntil) {
        done(Error{
            Error::Kind::Throttled,
            tr("Zoho refused token refreshes for now (too many in 10 minutes); the next try is possible at %1 UTC")
                .arg(m_blockedUntil.toString(QStringLiteral("HH:mm:ss"))),
            0, QStringLiteral("Access Denied")});
        return;
    }
    if (refreshesInWindow() >= m_config.maxRefreshesPerWindow) {
        const QDateTime next = m_refreshTimes.front().addSecs(m_config.windowS);
        done(Error{
            Error::Kind::Throttled,
            tr("Zoho allows %1 token refreshes in 10 minutes and they are used up; the next is possible at %2 UTC")
                .arg(m_config.maxRefreshesPerWindow)
                .arg(next.toString(QStringLiteral("HH:mm:ss"))),
            0, QStringLiteral("refresh_limit")});
        return;
    }
    m_secrets->read(QString::fromLatin1(kClientSecretKey), this, [this, done](Result<QString> clientSecret) {
        if (!clientSecret) {
            done(clientSecret.error());
            return;
        }
        m_secrets->read(QString::fromLatin1(kRefreshTokenKey), this,
                        [this, done, secret = clientSecret.value()](Result<QString> refreshToken) {
                            if (!refreshToken) {
                                done(refreshToken.error());
                                return;
                            }
                            post(secret, refreshToken.value(), done);
                        });
    });
}

void ZohoTokenManager::post(const QString& clientSecret,
                            const QString& refreshToken,
                            std::function<void(Result<Fetched>)> done)
{
    HttpRequest request;
    request.method = "POST";
    request.url = m_config.accountsUrl;
    request.url.setPath(request.url.path() + QStringLiteral("/oauth/v2/token"));
    request.setHeader("Content-Type", "application/x-www-form-urlencoded");
    request.setHeader("Accept", "application/json");
    request.body = formBody({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                             {QStringLiteral("client_id"), m_config.clientId},
                             {QStringLiteral("client_secret"), clientSecret},
                             {QStringLiteral("refresh_token"), refreshToken}});
    request.timeoutMs = 20000;
    request.label = QStringLiteral("zoho.token");
    // Asking twice only mints a second token: Qt may re-send it after a lost answer.
    request.retryUnsafe = true;
    m_refreshTimes.push_back(clock()->now());
    m_http->send(request, this, [this, done](Result<HttpResponse> answer) { done(parseAnswer(answer)); });
}

Result<RefreshingTokenSource::Fetched> ZohoTokenManager::parseAnswer(const Result<HttpResponse>& answer)
{
    const QString server = m_config.accountsUrl.toDisplayString();
    if (!answer) {
        Error error = answer.error();
        error.message = tr("The Zoho accounts server %1 could not be reached: %2").arg(server, error.message);
        return error;
    }
    const HttpResponse& response = answer.value();
    QJsonParseError parseError{};
    const QJsonObject body = QJsonDocument::fromJson(response.body, &parseError).object();
    const QString error = body.value(QStringLiteral("error")).toString();
    if (error == QLatin1String("invalid_client")) {
        emit reauthenticationRequired(QStringLiteral("invalid_client"));
        return Error{Error::Kind::Auth,
                     tr("Zoho accounts server for data centre %1 rejected the client id: is the app registered in a "
                        "different data centre?")
                         .arg(m_config.dataCentreLabel.isEmpty() ? server : m_config.dataCentreLabel),
                     response.status, error};
    }
    if (error == QLatin1String("invalid_code")) {
        emit reauthenticationRequired(QStringLiteral("invalid_code"));
        return Error{Error::Kind::Auth,
                     tr("Zoho rejected the stored refresh token (invalid_code): it was revoked or belongs to another "
                        "client; sign in to Zoho again"),
                     response.status, error};
    }
    if (error == QLatin1String("Access Denied")) {
        m_blockedUntil = clock()->now().addSecs(m_config.windowS);
        return Error{Error::Kind::Throttled,
                     tr("Zoho refused the token refresh: too many refreshes in 10 minutes (Access Denied); the next "
                        "try is possible at %1 UTC")
                         .arg(m_blockedUntil.toString(QStringLiteral("HH:mm:ss"))),
                     response.status, error};
    }
    if (!error.isEmpty())
        return Error{Error::Kind::Auth, tr("Zoho accounts server %1 refused the token refresh: %2").arg(server, error),
                     response.status, error};
    const QString accessToken = body.value(QStringLiteral("access_token")).toString();
    if (response.status != 200 || accessToken.isEmpty())
        return Error{
            Error::Kind::BadResponse,
            tr("Zoho accounts server %1 answered HTTP %2 without an access token").arg(server).arg(response.status),
            response.status,
            {}};

    // expires_in is in seconds; old answers carried expires_in_sec instead.
    qint64 expiresIn = body.value(QStringLiteral("expires_in")).toVariant().toLongLong();
    if (expiresIn <= 0)
        expiresIn = body.value(QStringLiteral("expires_in_sec")).toVariant().toLongLong();
    if (expiresIn <= 0)
        expiresIn = 3600;
    const QUrl apiDomain(body.value(QStringLiteral("api_domain")).toString());
    if (apiDomain.isValid() && !apiDomain.host().isEmpty() && apiDomain != m_apiDomain) {
        m_apiDomain = apiDomain;
        qCInfo(lcOAuth) << "Zoho api_domain is" << apiDomain.toDisplayString();
        emit apiDomainChanged(apiDomain);
    }
    return Fetched{"Zoho-oauthtoken " + accessToken.toUtf8(), expiresIn};
}

} // namespace Core
