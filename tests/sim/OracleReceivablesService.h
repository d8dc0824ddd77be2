#pragma once

#include "HttpTypes.h"
#include "OracleFormat.h"

namespace Sim {

struct SimContext;
class OracleStore;
struct OracleArActivity;

// Read-only receivablesCustomerAccountActivities[/{AccountId}[/child/transactionPaymentSchedules]]
// (fscmRestApi), one activity per Oracle account; POST is "not supported".
class OracleReceivablesService final
{
public:
    OracleReceivablesService(SimContext& ctx, OracleStore& store);

    // rest = path segments after ".../receivablesCustomerAccountActivities".
    OracleResult handle(const SimRequest& request, const QString& versionSegment, const QStringList& rest, int version);

private:
    QJsonObject render(const OracleArActivity& ar,
                       const QString& versionSegment,
                       const OracleRenderOptions& options,
                       const QStringList& expand) const;
    QJsonValue schedulesValue(const OracleArActivity& ar, const QString& selfHref, int version) const;
    QString itemUrl(const QString& versionSegment, qint64 accountId) const;

    SimContext& m_ctx;
    OracleStore& m_store;
};

} // namespace Sim
