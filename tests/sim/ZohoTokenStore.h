#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace Sim {

struct SimContext;

struct ZohoRefreshToken
{
    QStringList scopes;
    bool revoked = false;
    QList<qint64> refreshTimesMs; // successful refreshes, for the 10-per-10-minutes throttle
};

struct ZohoAccessToken
{
    QString refreshToken;
    QStringList scopes;
    qint64 expiresAtMs = 0;
    int calls = 0;
    bool revoked = false;
};

struct ZohoGrantCode
{
    QStringList scopes;
    qint64 expiresAtMs = 0;
    bool used = false;
    bool offline = true; // false: the exchange gives no refresh_token (no access_type=offline or no consent asked)
};

// Grant codes, refresh tokens and access tokens of Zoho Accounts, with their scopes.
class ZohoTokenStore final
{
public:
    enum class Check { Ok, Unknown, Expired, Revoked, CallLimit };

    explicit ZohoTokenStore(SimContext& ctx);

    static QStringList allScopes();

    QString mintGrantCode(const QStringList& scopes, bool offline = true);
    QString mintRefreshToken(const QStringList& scopes);

    // false when unknown, used or expired (marks the code used on success).
    bool redeemGrantCode(const QString& code, QStringList& scopes, bool* offline = nullptr);
    ZohoRefreshToken* refreshToken(const QString& token);
    QString issueAccessToken(const QString& refreshToken, const QStringList& scopes);

    // Validates an access token for one authorised call and counts it; callLimit is the fault
    // token_expire_after_calls (0 = off).
    Check useAccessToken(const QString& token, int callLimit, QStringList* scopes);
    // Revokes a refresh token (and its access tokens) or an access token; false when unknown.
    bool revoke(const QString& token);

    // A scope list grants op (READ, CREATE, UPDATE, DELETE) on area ("modules" or "notifications"),
    // optionally for one module (lower-case api name).
    static bool grants(const QStringList& scopes, const QString& area, const QString& module, const QString& op);

    QStringList secrets() const;
    int accessTokenCount() const { return m_access.size(); }
    int liveAccessTokenCount() const;

private:
    QString newToken();

    SimContext& m_ctx;
    QHash<QString, ZohoGrantCode> m_codes;
    QHash<QString, ZohoRefreshToken> m_refresh;
    QHash<QString, ZohoAccessToken> m_access;
};

} // namespace Sim
