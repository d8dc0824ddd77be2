#include "OracleAuth.h"

#include "net/FormBody.h"
#include "net/HttpClient.h"
#include "secrets/CredentialStore.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

namespace Core {

OracleIdcsTokenManager::OracleIdcsTokenManager(
    Config config, HttpClient* http, CredentialStore* secrets, const Clock* clock, QObject* parent)
    : RefreshingTokenSource(clock, parent)
    , m_config(std::move(config))
    , m_http(http)
    , m_secrets(secrets)
{ }

QString OracleIdcsTokenManager::describe401(const HttpResponse&) const
{
    return tr("Oracle rejected a freshly issued OAuth token (401): check the scope and that the confidential app "
              "is trusted by the Fusion pod");
}

void OracleIdcsTokenManager::fetch(std::function<void(Result<Fetched>)> done)
{
    m_secrets->read(QString::fromLatin1(kClientSecretKey), this, [this, done](Result<QString> secret) {
        if (!secret) {
            done(secret.error());
            return;
        }
        HttpRequest request;
        request.method = "POST";
        request.url = m_config.tokenUrl;
        request.setHeader("Content-Type", "application/x-www-form-urlencoded;charset=UTF-8");
        request.setHeader("Accept", "application/json");
        request.setHeader("Authorization",
                          "Basic " + (m_config.clientId + QLatin1Char(':') + secret.value()).toUtf8().toBase64());
        QList<QPair<QString, QString>> fields{{QStringLiteral("grant_type"), QStringLiteral("client_credentials")}};
        if (!m_config.scope.isEmpty())
            fields.append({QStringLiteral("scope"), m_config.scope});
        request.body = formBody(fields);
        request.timeoutMs = 20000;
        request.label = QStringLiteral("oracle.token");
        // Asking twice only mints a second token: Qt may re-send it after a lost answer.
        request.retryUnsafe = true;
        m_http->send(request, this, [this, done](Result<HttpResponse> answer) { done(parseAnswer(answer)); });
    });
}

Result<RefreshingTokenSource::Fetched> OracleIdcsTokenManager::parseAnswer(const Result<HttpResponse>& answer) const
{
    const QString server = m_config.tokenUrl.toDisplayString(QUrl::RemovePath);
    if (!answer) {
        Error error = answer.error();
        error.message = tr("The Oracle identity domain %1 could not be reached: %2").arg(server, error.message);
        return error;
    }
    const HttpResponse& response = answer.value();
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    const QString accessToken = body.value(QStringLiteral("access_token")).toString();
    if (response.status == 200 && !accessToken.isEmpty()) {
        qint64 expiresIn = body.value(QStringLiteral("expires_in")).toVariant().toLongLong();
        return Fetched{"Bearer " + accessToken.toUtf8(), expiresIn > 0 ? expiresIn : 3600};
    }
    const QString error = body.value(QStringLiteral("error")).toString();
    if (response.status == 401 || error == QLatin1String("invalid_client"))
        return Error{Error::Kind::Auth,
                     tr("The Oracle identity domain %1 rejected the client id or secret (invalid_client)").arg(server),
                     response.status, QStringLiteral("invalid_client")};
    if (error == QLatin1String("invalid_scope"))
        return Error{
            Error::Kind::Auth,
            tr("The Oracle identity domain %1 rejected the scope \"%2\" (invalid_scope)").arg(server, m_config.scope),
            response.status, error};
    return Error{
        Error::Kind::Auth,
        tr("The Oracle identity domain %1 refused a token: HTTP %2 %3").arg(server).arg(response.status).arg(error),
        response.status, error};
}

OracleBasicAuth::OracleBasicAuth(QString username, CredentialStore* secrets, QObject* parent)
    : TokenSource(parent)
    , m_username(std::move(username))
    , m_secrets(secrets)
{ }

std::optional<AccessToken> OracleBasicAuth::validToken() const
{
    if (m_header.isEmpty())
        return std::nullopt;
    return AccessToken{m_header, 1, {}};
}

void OracleBasicAuth::token(QObject* context, Callback callback)
{
    if (auto current = validToken()) {
        QTimer::singleShot(0, context, [callback, token = *current] { callback(token); });
        return;
    }
    QPointer<QObject> guard(context);
    m_secrets->read(QString::fromLatin1(kPasswordKey), this, [this, guard, callback](Result<QString> password) {
        if (!guard)
            return;
        if (!password) {
            callback(password.error());
            return;
        }
        m_header = "Basic " + (m_username + QLatin1Char(':') + password.value()).toUtf8().toBase64();
        callback(AccessToken{m_header, 1, {}});
    });
}

QString OracleBasicAuth::describe401(const HttpResponse&) const
{
    return tr("Oracle credentials rejected (401) for user %1: check the user name and password").arg(m_username);
}

} // namespace Core
