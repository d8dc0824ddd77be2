#include "ZohoAccountsService.h"

#include "SimContext.h"
#include "SimLogging.h"
#include "ZohoTokenStore.h"

namespace Sim {

namespace {
constexpr qint64 kThrottleWindowMs = 10 * 60 * 1000;
constexpr int kMaxRefreshesPerWindow = 10;

// Query string and form body both carry the parameters; the body wins on conflicts.
QHash<QString, QString> params(const SimRequest& request)
{
    QHash<QString, QString> p;
    for (const auto& item : request.queryItems)
        p.insert(item.first, item.second);
    if (!request.body.isEmpty() && !request.body.trimmed().startsWith('{')) {
        const auto form = SimRequest::parseForm(request.body.trimmed());
        for (const auto& item : form)
            p.insert(item.first, item.second);
    }
    return p;
}
} // namespace

ZohoAccountsService::ZohoAccountsService(SimContext& ctx, ZohoTokenStore& tokens)
    : m_ctx(ctx)
    , m_tokens(tokens)
{ }

SimResponse ZohoAccountsService::grantError(const QString& error) const
{
    return SimResponse::json(200, QJsonObject{{QStringLiteral("error"), error}});
}

SimResponse ZohoAccountsService::tokenResponse(const QString& accessToken, const QString& refreshToken) const
{
    QJsonObject o{{QStringLiteral("access_token"), accessToken},
                  {QStringLiteral("api_domain"), m_ctx.baseUrl},
                  {QStringLiteral("token_type"), QStringLiteral("Bearer")},
                  {QStringLiteral("expires_in"), m_ctx.config.tokenTtlS}};
    if (!refreshToken.isEmpty())
        o.insert(QStringLiteral("refresh_token"), refreshToken);
    return SimResponse::json(200, o);
}

SimResponse ZohoAccountsService::token(const SimRequest& request, bool homeDc)
{
    if (request.method != "POST")
        return SimResponse::json(405, QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid_request")}});
    if (!homeDc)
        return grantError(QStringLiteral("invalid_client"));

    const QHash<QString, QString> p = params(request);
    const QString grantType = p.value(QStringLiteral("grant_type"));
    if (grantType != QLatin1String("refresh_token") && grantType != QLatin1String("authorization_code"))
        return grantError(QStringLiteral("unsupported_grant_type"));
    if (p.value(QStringLiteral("client_id")) != m_ctx.config.zohoClientId ||
        p.value(QStringLiteral("client_secret")) != m_ctx.config.zohoClientSecret)
        return grantError(QStringLiteral("invalid_client"));

    if (grantType == QLatin1String("authorization_code")) {
        QStringList scopes;
        if (!m_tokens.redeemGrantCode(p.value(QStringLiteral("code")), scopes))
            return grantError(QStringLiteral("invalid_code"));
        const QString refresh = m_tokens.mintRefreshToken(scopes);
        m_ctx.stats.count(QStringLiteral("tokens_issued"));
        return tokenResponse(m_tokens.issueAccessToken(refresh, scopes), refresh);
    }

    const QString refresh = p.value(QStringLiteral("refresh_token"));
    ZohoRefreshToken* rt = m_tokens.refreshToken(refresh);
    if (!rt)
        return grantError(QStringLiteral("invalid_code"));
    const qint64 now = m_ctx.clock.nowMs();
    while (!rt->refreshTimesMs.isEmpty() && rt->refreshTimesMs.first() <= now - kThrottleWindowMs)
        rt->refreshTimesMs.removeFirst();
    if (rt->refreshTimesMs.size() >= kMaxRefreshesPerWindow) {
        m_ctx.stats.count(QStringLiteral("token_refreshes_throttled"));
        qCInfo(lcSim) << "refresh throttled (more than 10 refreshes in 10 minutes)";
        return SimResponse::json(
            m_ctx.config.zohoThrottleStatus,
            QJsonObject{
                {QStringLiteral("error_description"),
                 QStringLiteral("You have made too many requests continuously. Please try again after some time.")},
                {QStringLiteral("error"), QStringLiteral("Access Denied")},
                {QStringLiteral("status"), QStringLiteral("failure")}});
    }
    rt->refreshTimesMs.append(now);
    m_ctx.stats.count(QStringLiteral("token_refreshes"));
    m_ctx.stats.count(QStringLiteral("tokens_issued"));
    const QStringList scopes = rt->scopes; // copy: issuing may rehash the token tables
    return tokenResponse(m_tokens.issueAccessToken(refresh, scopes), QString());
}

SimResponse ZohoAccountsService::revoke(const SimRequest& request)
{
    if (request.method != "POST")
        return SimResponse::json(405, QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid_request")}});
    const QString token = params(request).value(QStringLiteral("token"));
    if (token.isEmpty() || !m_tokens.revoke(token))
        return SimResponse::json(400, QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid_token")},
                                                  {QStringLiteral("status"), QStringLiteral("failure")}});
    m_ctx.stats.count(QStringLiteral("tokens_revoked"));
    return SimResponse::json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("success")}});
}

} // namespace Sim
