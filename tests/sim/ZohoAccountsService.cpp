#include "ZohoAccountsService.h"

#include "SimContext.h"
#include "SimLogging.h"
#include "ZohoTokenStore.h"

#include <QUrl>

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
        bool offline = true;
        if (!m_tokens.redeemGrantCode(p.value(QStringLiteral("code")), scopes, &offline))
            return grantError(QStringLiteral("invalid_code"));
        m_ctx.stats.count(QStringLiteral("tokens_issued"));
        if (!offline) // online access, or a repeated consent without prompt=consent: no refresh token
            return tokenResponse(m_tokens.issueAccessToken(QString(), scopes), QString());
        const QString refresh = m_tokens.mintRefreshToken(scopes);
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

SimResponse ZohoAccountsService::authError(const QString& error, const QString& description) const
{
    // Zoho shows the person an error page; the wording is ours, the error name is OAuth's.
    const QString html = QStringLiteral("<!DOCTYPE html><html><head><title>Zoho Accounts</title></head><body>"
                                        "<h1>Invalid request</h1><p>error=%1</p><p>%2</p></body></html>")
                             .arg(error.toHtmlEscaped(), description.toHtmlEscaped());
    return SimResponse::bytes(400, html.toUtf8(), "text/html;charset=UTF-8");
}

SimResponse ZohoAccountsService::authorize(const SimRequest& request, bool homeDc)
{
    if (request.method != "GET")
        return authError(QStringLiteral("invalid_request"), QStringLiteral("use GET"));
    if (!homeDc || request.query(QStringLiteral("client_id")) != m_ctx.config.zohoClientId)
        return authError(QStringLiteral("invalid_client"),
                         QStringLiteral("The client id is not registered in this data centre."));
    if (request.query(QStringLiteral("response_type")) != QLatin1String("code"))
        return authError(QStringLiteral("unsupported_response_type"), QStringLiteral("response_type must be code"));
    const QString redirectText = request.query(QStringLiteral("redirect_uri"));
    const QUrl redirect(redirectText, QUrl::StrictMode);
    if (redirectText.isEmpty() || !redirect.isValid() || redirect.host().isEmpty() ||
        (redirect.scheme() != QLatin1String("http") && redirect.scheme() != QLatin1String("https")) ||
        redirect.hasFragment())
        return authError(QStringLiteral("invalid_redirect_uri"),
                         QStringLiteral("redirect_uri must be an absolute http(s) URL"));
    QStringList scopes;
    const QStringList requested = request.query(QStringLiteral("scope")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString& scope : requested)
        scopes << scope.trimmed();
    if (scopes.isEmpty())
        return authError(QStringLiteral("invalid_scope"), QStringLiteral("scope is required (comma-separated)"));

    QList<QPair<QString, QString>> answer;
    if (m_denyConsent) {
        answer.append({QStringLiteral("error"), QStringLiteral("access_denied")});
        m_ctx.stats.count(QStringLiteral("consents_denied"));
    } else {
        // A refresh token needs access_type=offline, and after the first consent prompt=consent too.
        const bool offline = request.query(QStringLiteral("access_type")) == QLatin1String("offline") &&
                             (!m_consented || request.query(QStringLiteral("prompt")) == QLatin1String("consent"));
        m_consented = true;
        answer.append({QStringLiteral("code"), m_tokens.mintGrantCode(scopes, offline)});
        answer.append({QStringLiteral("location"), m_ctx.config.zohoHomeDc});
        answer.append({QStringLiteral("accounts-server"), m_ctx.baseUrl});
        m_ctx.stats.count(QStringLiteral("consents_given"));
    }
    if (request.hasQuery(QStringLiteral("state")))
        answer.append({QStringLiteral("state"), request.query(QStringLiteral("state"))});
    QByteArray query = redirect.query(QUrl::FullyEncoded).toUtf8();
    for (const auto& item : answer) {
        if (!query.isEmpty())
            query += '&';
        query += QUrl::toPercentEncoding(item.first) + '=' + QUrl::toPercentEncoding(item.second);
    }
    QUrl target = redirect;
    target.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    SimResponse r = SimResponse::bytes(302, QByteArray(), "text/html;charset=UTF-8");
    r.setHeader("Location", target.toEncoded());
    return r;
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
