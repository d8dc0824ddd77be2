#pragma once

#include "HttpTypes.h"

namespace Sim {

struct SimContext;
class ZohoTokenStore;

// Zoho Accounts: GET /oauth/v2/auth (the browser's consent step, answered at once), POST
// /oauth/v2/token (refresh_token and authorization_code grants) and /oauth/v2/token/revoke. Token
// errors are HTTP 200 bodies like the real server's.
class ZohoAccountsService final
{
public:
    ZohoAccountsService(SimContext& ctx, ZohoTokenStore& tokens);

    // homeDc = false answers every token call like the wrong data centre does.
    SimResponse token(const SimRequest& request, bool homeDc);
    SimResponse revoke(const SimRequest& request);
    // Consents at once (or declines, see setDenyConsent) and redirects to redirect_uri with a code.
    SimResponse authorize(const SimRequest& request, bool homeDc);

    // true: the simulated user presses Deny (redirect with error=access_denied) until set back.
    void setDenyConsent(bool deny) { m_denyConsent = deny; }
    bool denyConsent() const { return m_denyConsent; }

private:
    SimResponse grantError(const QString& error) const;
    SimResponse tokenResponse(const QString& accessToken, const QString& refreshToken) const;
    SimResponse authError(const QString& error, const QString& description) const;

    SimContext& m_ctx;
    ZohoTokenStore& m_tokens;
    bool m_denyConsent = false;
    bool m_consented = false; // a first consent happened: later ones need prompt=consent for a refresh token
};

} // namespace Sim
