#pragma once

#include "HttpTypes.h"
#include "OracleFormat.h"

namespace Sim {

struct SimContext;
class OracleStore;
struct OracleAccount;

// CX Sales `accounts` (key PartyNumber): create (with Upsert-Mode), query, get (ETag /
// If-None-Match), PATCH (If-Match), DELETE and action/findDuplicates. The operations are also
// what a batch part runs.
class OracleAccountsService final
{
public:
    OracleAccountsService(SimContext& ctx, OracleStore& store);

    // rest = path segments after ".../accounts"; versionSegment = "11.13.18.05" or "latest".
    OracleResult handle(const SimRequest& request,
                        const QString& versionSegment,
                        const QStringList& rest,
                        int version,
                        const QString& principal);

    OracleResult create(const QJsonObject& payload,
                        bool upsertMode,
                        const QString& versionSegment,
                        const OracleRenderOptions& options,
                        const QString& principal);
    OracleResult get(const QString& partyNumber,
                     const QByteArray& ifNoneMatch,
                     const QString& versionSegment,
                     const OracleRenderOptions& options);
    // replace = batch "replace": attributes not in the payload are cleared.
    OracleResult update(const QString& partyNumber,
                        const QJsonObject& payload,
                        const QByteArray& ifMatch,
                        bool replace,
                        const QString& versionSegment,
                        const OracleRenderOptions& options,
                        const QString& principal);
    OracleResult remove(const QString& partyNumber, const QByteArray& ifMatch);
    OracleResult query(const SimRequest& request, const QString& versionSegment, int version);
    OracleResult findDuplicates(const QByteArray& body, int version);

    QJsonObject
    render(const OracleAccount& account, const QString& versionSegment, const OracleRenderOptions& options) const;
    QString itemUrl(const QString& versionSegment, const QString& partyNumber) const;
    // Validates a create/update payload; control-API edits skip the source-system registry.
    bool validate(const QJsonObject& payload,
                  bool creating,
                  bool upsertKey,
                  bool checkSourceSystem,
                  QList<OracleErrorDetail>& errors) const;

private:
    OracleResult itemResult(int status,
                            const OracleAccount& account,
                            const QString& versionSegment,
                            const OracleRenderOptions& options) const;

    SimContext& m_ctx;
    OracleStore& m_store;
};

} // namespace Sim
