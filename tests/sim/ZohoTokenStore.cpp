#include "ZohoTokenStore.h"

#include "JsonUtil.h"
#include "SimContext.h"

namespace Sim {

namespace {
constexpr qint64 kGrantCodeLifetimeMs = 2 * 60 * 1000;
}

ZohoTokenStore::ZohoTokenStore(SimContext& ctx)
    : m_ctx(ctx)
{
    ZohoRefreshToken rt;
    rt.scopes = allScopes();
    m_refresh.insert(m_ctx.config.zohoRefreshToken, rt);
}

QStringList ZohoTokenStore::allScopes()
{
    return {QStringLiteral("ZohoCRM.modules.ALL"), QStringLiteral("ZohoCRM.notifications.ALL"),
            QStringLiteral("ZohoCRM.settings.ALL"), QStringLiteral("ZohoCRM.users.ALL"),
            QStringLiteral("ZohoCRM.org.ALL")};
}

QString ZohoTokenStore::newToken()
{
    return QStringLiteral("1000.") + randomHex(m_ctx.rng, 32) + QLatin1Char('.') + randomHex(m_ctx.rng, 32);
}

QString ZohoTokenStore::mintGrantCode(const QStringList& scopes, bool offline)
{
    const QString code = newToken();
    m_codes.insert(code, ZohoGrantCode{scopes, m_ctx.clock.nowMs() + kGrantCodeLifetimeMs, false, offline});
    return code;
}

QString ZohoTokenStore::mintRefreshToken(const QStringList& scopes)
{
    const QString token = newToken();
    ZohoRefreshToken rt;
    rt.scopes = scopes;
    m_refresh.insert(token, rt);
    return token;
}

bool ZohoTokenStore::redeemGrantCode(const QString& code, QStringList& scopes, bool* offline)
{
    auto it = m_codes.find(code);
    if (it == m_codes.end() || it->used || it->expiresAtMs < m_ctx.clock.nowMs())
        return false;
    it->used = true; // single use, even if the exchange fails later
    scopes = it->scopes;
    if (offline)
        *offline = it->offline;
    return true;
}

ZohoRefreshToken* ZohoTokenStore::refreshToken(const QString& token)
{
    auto it = m_refresh.find(token);
    if (it == m_refresh.end() || it->revoked)
        return nullptr;
    return &it.value();
}

QString ZohoTokenStore::issueAccessToken(const QString& refreshToken, const QStringList& scopes)
{
    const QString token = newToken();
    ZohoAccessToken at;
    at.refreshToken = refreshToken;
    at.scopes = scopes;
    at.expiresAtMs = m_ctx.clock.nowMs() + qint64(m_ctx.config.tokenTtlS) * 1000;
    m_access.insert(token, at);
    return token;
}

ZohoTokenStore::Check ZohoTokenStore::useAccessToken(const QString& token, int callLimit, QStringList* scopes)
{
    auto it = m_access.find(token);
    if (it == m_access.end())
        return Check::Unknown;
    if (it->revoked)
        return Check::Revoked;
    if (it->expiresAtMs <= m_ctx.clock.nowMs())
        return Check::Expired;
    if (callLimit > 0 && it->calls >= callLimit)
        return Check::CallLimit;
    ++it->calls;
    if (scopes)
        *scopes = it->scopes;
    return Check::Ok;
}

bool ZohoTokenStore::revoke(const QString& token)
{
    auto rt = m_refresh.find(token);
    if (rt != m_refresh.end()) {
        if (rt->revoked)
            return false;
        rt->revoked = true;
        for (auto it = m_access.begin(); it != m_access.end(); ++it) {
            if (it->refreshToken == token)
                it->revoked = true;
        }
        return true;
    }
    auto at = m_access.find(token);
    if (at != m_access.end() && !at->revoked) {
        at->revoked = true;
        return true;
    }
    return false;
}

bool ZohoTokenStore::grants(const QStringList& scopes, const QString& area, const QString& module, const QString& op)
{
    for (const QString& raw : scopes) {
        const QStringList parts = raw.trimmed().split(QLatin1Char('.'));
        if (parts.size() < 3 || parts.at(0).compare(QLatin1String("ZohoCRM"), Qt::CaseInsensitive) != 0)
            continue;
        if (parts.at(1).compare(area, Qt::CaseInsensitive) != 0)
            continue;
        QString scopeModule;
        QString scopeOp;
        if (parts.size() == 3) {
            scopeOp = parts.at(2);
        } else {
            scopeModule = parts.at(2);
            scopeOp = parts.at(3);
        }
        if (!scopeModule.isEmpty() && scopeModule.compare(module, Qt::CaseInsensitive) != 0)
            continue;
        const QString o = scopeOp.toUpper();
        if (o == QLatin1String("ALL") || o == op)
            return true;
        // WRITE covers every change; READ never does.
        if (o == QLatin1String("WRITE") && op != QLatin1String("READ"))
            return true;
    }
    return false;
}

QStringList ZohoTokenStore::secrets() const
{
    QStringList s;
    s << m_ctx.config.zohoClientSecret;
    for (auto it = m_refresh.constBegin(); it != m_refresh.constEnd(); ++it)
        s << it.key();
    for (auto it = m_access.constBegin(); it != m_access.constEnd(); ++it)
        s << it.key();
    for (auto it = m_codes.constBegin(); it != m_codes.constEnd(); ++it)
        s << it.key();
    return s;
}

int ZohoTokenStore::liveAccessTokenCount() const
{
    const qint64 now = m_ctx.clock.nowMs();
    int n = 0;
    for (const ZohoAccessToken& t : m_access) {
        if (!t.revoked && t.expiresAtMs > now)
            ++n;
    }
    return n;
}

} // namespace Sim
