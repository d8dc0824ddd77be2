#include "OracleAuth.h"

#include "FaultInjector.h"
#include "JsonUtil.h"
#include "SimContext.h"

namespace Sim {

namespace {
SimResponse unauthorized()
{
    SimResponse r = SimResponse::empty(401);
    r.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
    return r;
}

QByteArray base64Url(const QByteArray& data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

bool basicCredentials(const QByteArray& header, QString& user, QString& password)
{
    if (header.size() < 7 || header.left(6).toLower() != "basic ")
        return false;
    const QByteArray decoded = QByteArray::fromBase64(header.mid(6).trimmed());
    const int colon = decoded.indexOf(':');
    if (colon < 0)
        return false;
    user = QString::fromUtf8(decoded.left(colon));
    password = QString::fromUtf8(decoded.mid(colon + 1));
    return true;
}
} // namespace

OracleAuth::OracleAuth(SimContext& ctx, FaultInjector& faults)
    : m_ctx(ctx)
    , m_faults(faults)
{ }

SimResponse OracleAuth::token(const SimRequest& request)
{
    if (request.method != "POST")
        return SimResponse::json(405, QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid_request")}});
    QHash<QString, QString> form;
    const auto items = SimRequest::parseForm(request.body.trimmed());
    for (const auto& item : items)
        form.insert(item.first, item.second);

    QString clientId;
    QString clientSecret;
    if (!basicCredentials(request.header("authorization"), clientId, clientSecret)) {
        clientId = form.value(QStringLiteral("client_id"));
        clientSecret = form.value(QStringLiteral("client_secret"));
    }
    if (clientId != m_ctx.config.oracleClientId || clientSecret != m_ctx.config.oracleClientSecret)
        return SimResponse::json(
            401, QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid_client")},
                             {QStringLiteral("error_description"), QStringLiteral("Client authentication failed.")}});
    const QString grant = form.value(QStringLiteral("grant_type"));
    if (grant.isEmpty())
        return SimResponse::json(400, QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid_request")},
                                                  {QStringLiteral("error_description"),
                                                   QStringLiteral("The grant_type parameter is missing.")}});
    if (grant != QLatin1String("client_credentials"))
        return SimResponse::json(400, QJsonObject{{QStringLiteral("error"), QStringLiteral("unsupported_grant_type")},
                                                  {QStringLiteral("error_description"),
                                                   QStringLiteral("The grant type is not supported.")}});

    const qint64 now = m_ctx.clock.nowMs();
    const qint64 expires = now + qint64(m_ctx.config.tokenTtlS) * 1000;
    // JWT-shaped like IDCS's; the signature part is random, nothing verifies it.
    const QByteArray header = base64Url(R"({"alg":"RS256","typ":"JWT","kid":"SIGNING_KEY"})");
    const QByteArray payload = base64Url(
        toCompactJson(QJsonObject{{QStringLiteral("sub"), clientId},
                                  {QStringLiteral("iss"), QStringLiteral("https://identity.oraclecloud.com/")},
                                  {QStringLiteral("scope"), form.value(QStringLiteral("scope"))},
                                  {QStringLiteral("iat"), now / 1000},
                                  {QStringLiteral("exp"), expires / 1000},
                                  {QStringLiteral("jti"), randomHex(m_ctx.rng, 32)}}));
    const QByteArray signature = base64Url(QByteArray::fromHex(randomHex(m_ctx.rng, 64).toLatin1()));
    const QString token = QString::fromLatin1(header + '.' + payload + '.' + signature);
    m_tokens.insert(token, Token{clientId, expires, 0});
    m_ctx.stats.count(QStringLiteral("oracle_tokens_issued"));
    return SimResponse::json(200, QJsonObject{{QStringLiteral("access_token"), token},
                                              {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                                              {QStringLiteral("expires_in"), m_ctx.config.tokenTtlS}});
}

bool OracleAuth::authorize(const SimRequest& request, QString& principal, SimResponse& rejection)
{
    const QByteArray header = request.header("authorization");
    QString user;
    QString password;
    if (basicCredentials(header, user, password)) {
        if (user == m_ctx.config.oracleUser && password == m_ctx.config.oraclePassword) {
            principal = user.toUpper();
            return true;
        }
        rejection = unauthorized();
        return false;
    }
    if (header.size() > 7 && header.left(7).toLower() == "bearer ") {
        const auto it = m_tokens.find(QString::fromLatin1(header.mid(7).trimmed()));
        const int limit = m_faults.config(ApiScope::Oracle).tokenExpireAfterCalls;
        if (it != m_tokens.end() && it->expiresAtMs > m_ctx.clock.nowMs()) {
            if (limit > 0 && it->calls >= limit) {
                m_ctx.stats.countFault(QStringLiteral("token_expired"));
            } else {
                ++it->calls;
                principal = it->clientId.toUpper();
                return true;
            }
        }
    }
    rejection = unauthorized();
    return false;
}

QStringList OracleAuth::secrets() const
{
    QStringList s{m_ctx.config.oraclePassword, m_ctx.config.oracleClientSecret};
    for (auto it = m_tokens.constBegin(); it != m_tokens.constEnd(); ++it)
        s.append(it.key());
    return s;
}

} // namespace Sim
