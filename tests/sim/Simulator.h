#pragma once

#include "DemoData.h"
#include "FaultInjector.h"
#include "HttpTypes.h"
#include "SimContext.h"

#include <QObject>

#include <memory>

namespace Sim {

class CallbackDispatcher;
class ControlService;
class OracleAccountsService;
class OracleAuth;
class OracleBatch;
class OracleReceivablesService;
class OracleStore;
class ZohoAccountsService;
class ZohoCrmService;
class ZohoLimits;
class ZohoRecordStore;
class ZohoTokenStore;
class ZohoWatchService;

// Composition root: owns the context and every store and service, routes API calls to them and
// rebuilds all state on reset. HTTP concerns (faults, latency, sockets) stay in SimServer.
class Simulator final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Simulator)

public:
    struct Route
    {
        QString endpoint; // stats key, e.g. "zoho.records.list"
        ApiScope scope = ApiScope::Zoho;
        bool crm = false; // counts against Zoho's concurrency limit
    };

    explicit Simulator(const SimConfig& config, QObject* parent = nullptr);
    ~Simulator() override;

    void setBaseUrl(const QString& url) { m_ctx.baseUrl = url; }
    SimContext& context() { return m_ctx; }

    // Drops every piece of state and rebuilds it from the seed.
    void reset(quint32 seed, const DemoData::Counts& counts);
    const DemoData::Counts& counts() const { return m_counts; }
    // What the command line asked for: a reset body's absent keys take these, not earlier resets'.
    const DemoData::Counts& startupCounts() const { return m_startupCounts; }
    quint32 startupSeed() const { return m_startupSeed; }

    Route classify(const SimRequest& request) const;
    SimResponse dispatchApi(const SimRequest& request);
    SimResponse control(const SimRequest& request);

    FaultInjector& faults();
    ZohoLimits& zohoLimits();
    ZohoAccountsService& zohoAccounts();
    ZohoTokenStore& zohoTokens();
    ZohoRecordStore& zohoRecords();
    ZohoWatchService& zohoWatch();
    CallbackDispatcher& callbacks();
    OracleAuth& oracleAuth();
    OracleStore& oracleStore();
    OracleAccountsService& oracleAccounts();

private:
    struct State;

    SimResponse oracleRest(const SimRequest& request);
    SimResponse notFound(const SimRequest& request) const;

    SimContext m_ctx;
    DemoData::Counts m_counts;
    DemoData::Counts m_startupCounts;
    quint32 m_startupSeed = 1;
    std::unique_ptr<State> m_state;
    std::unique_ptr<ControlService> m_control;
};

} // namespace Sim
