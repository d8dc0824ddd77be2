#pragma once

#include "HttpTypes.h"

#include <QHash>

namespace Sim {

struct SimContext;
class FaultInjector;

// Oracle identity: the IDCS-style token endpoint (client_credentials with Basic client auth) and
// the check every REST call passes (Basic integration user or an IDCS Bearer token).
class OracleAuth final
{
public:
    OracleAuth(SimContext& ctx, FaultInjector& faults);

    SimResponse token(const SimRequest& request);
    // true with the principal (for who-columns); false with the 401 to send.
    bool authorize(const SimRequest& request, QString& principal, SimResponse& rejection);

    QStringList secrets() const;

private:
    struct Token
    {
        QString clientId;
        qint64 expiresAtMs = 0;
        int calls = 0;
    };

    SimContext& m_ctx;
    FaultInjector& m_faults;
    QHash<QString, Token> m_tokens;
};

} // namespace Sim
