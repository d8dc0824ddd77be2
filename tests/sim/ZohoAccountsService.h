#pragma once

#include "HttpTypes.h"

namespace Sim {

struct SimContext;
class ZohoTokenStore;

// Zoho Accounts: POST /oauth/v2/token (refresh_token and authorization_code grants) and
// /oauth/v2/token/revoke. Errors are HTTP 200 bodies like the real server's.
class ZohoAccountsService final
{
public:
    ZohoAccountsService(SimContext& ctx, ZohoTokenStore& tokens);

    // homeDc = false answers every token call like the wrong data centre does.
    SimResponse token(const SimRequest& request, bool homeDc);
    SimResponse revoke(const SimRequest& request);

private:
    SimResponse grantError(const QString& error) const;
    SimResponse tokenResponse(const QString& accessToken, const QString& refreshToken) const;

    SimContext& m_ctx;
    ZohoTokenStore& m_tokens;
};

} // namespace Sim
