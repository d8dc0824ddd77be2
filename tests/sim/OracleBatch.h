#pragma once

#include "HttpTypes.h"
#include "OracleFormat.h"

namespace Sim {

struct SimContext;
class OracleStore;
class OracleAccountsService;

// POST /crmRestApi/resources/{version} with application/vnd.oracle.adf.batch+json: parts run in
// order; all-or-none, so the first failing part rolls everything back and is the only part in
// the 400 answer.
class OracleBatch final
{
public:
    OracleBatch(SimContext& ctx, OracleStore& store, OracleAccountsService& accounts);

    OracleResult
    handle(const SimRequest& request, const QString& versionSegment, int version, const QString& principal);

private:
    OracleResult runPart(const QJsonObject& part, const QString& versionSegment, int version, const QString& principal);

    SimContext& m_ctx;
    OracleStore& m_store;
    OracleAccountsService& m_accounts;
};

} // namespace Sim
