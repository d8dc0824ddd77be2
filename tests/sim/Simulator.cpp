#include "Simulator.h"

#include "CallbackDispatcher.h"
#include "ControlService.h"
#include "OracleAccountsService.h"
#include "OracleAuth.h"
#include "OracleBatch.h"
#include "OracleFormat.h"
#include "OracleReceivablesService.h"
#include "OracleStore.h"
#include "SimLogging.h"
#include "ZohoAccountsService.h"
#include "ZohoCrmService.h"
#include "ZohoLimits.h"
#include "ZohoRecordStore.h"
#include "ZohoTokenStore.h"
#include "ZohoWatchService.h"

#include <QElapsedTimer>

namespace Sim {

namespace {
const char kVersion[] = "11.13.18.05";
}

// Everything a reset throws away. Member order is construction order, which fixes the order of
// draws from the seeded generator.
struct Simulator::State
{
    explicit State(SimContext& ctx)
        : faults(ctx.rng, ctx.stats)
        , tokens(ctx)
        , records(ctx)
        , limits(ctx)
        , dispatcher(std::make_unique<CallbackDispatcher>(ctx))
        , watch(ctx, records, *dispatcher)
        , zohoAccounts(ctx, tokens)
        , crm(ctx, tokens, records, limits, faults, watch)
        , oracleAuth(ctx, faults)
        , oracle(ctx)
        , oracleAccounts(ctx, oracle)
        , batch(ctx, oracle, oracleAccounts)
        , receivables(ctx, oracle)
    {
        records.setChangeListener([this](const ZohoChange& change) { watch.onChange(change); });
    }

    FaultInjector faults;
    ZohoTokenStore tokens;
    ZohoRecordStore records;
    ZohoLimits limits;
    std::unique_ptr<CallbackDispatcher> dispatcher;
    ZohoWatchService watch;
    ZohoAccountsService zohoAccounts;
    ZohoCrmService crm;
    OracleAuth oracleAuth;
    OracleStore oracle;
    OracleAccountsService oracleAccounts;
    OracleBatch batch;
    OracleReceivablesService receivables;
};

Simulator::Simulator(const SimConfig& config, QObject* parent)
    : QObject(parent)
{
    m_ctx.config = config;
    m_control = std::make_unique<ControlService>(*this);
    m_startupSeed = config.seed;
    m_startupCounts = DemoData::Counts{config.demo, config.contacts, config.accounts, config.oracleAccounts};
    reset(m_startupSeed, m_startupCounts);
}

Simulator::~Simulator() = default;

void Simulator::reset(quint32 seed, const DemoData::Counts& counts)
{
    QElapsedTimer timer;
    timer.start();
    m_state.reset();
    m_ctx.config.seed = seed;
    m_ctx.rng.seed(seed);
    m_ctx.clock.reset();
    m_ctx.stats.reset();
    m_counts = counts;
    m_state = std::make_unique<State>(m_ctx);
    DemoData::populate(m_ctx, m_state->records, m_state->oracle, counts);
    qCInfo(lcSim).noquote() << QStringLiteral(
                                   "state built (seed %1): %2 contacts, %3 accounts, %4 Oracle accounts in %5 ms")
                                   .arg(seed)
                                   .arg(m_state->records.count(ZohoModule::Contacts))
                                   .arg(m_state->records.count(ZohoModule::Accounts))
                                   .arg(m_state->oracle.count())
                                   .arg(timer.elapsed());
}

FaultInjector& Simulator::faults()
{
    return m_state->faults;
}
ZohoLimits& Simulator::zohoLimits()
{
    return m_state->limits;
}
ZohoAccountsService& Simulator::zohoAccounts()
{
    return m_state->zohoAccounts;
}
ZohoTokenStore& Simulator::zohoTokens()
{
    return m_state->tokens;
}
ZohoRecordStore& Simulator::zohoRecords()
{
    return m_state->records;
}
ZohoWatchService& Simulator::zohoWatch()
{
    return m_state->watch;
}
CallbackDispatcher& Simulator::callbacks()
{
    return *m_state->dispatcher;
}
OracleAuth& Simulator::oracleAuth()
{
    return m_state->oracleAuth;
}
OracleStore& Simulator::oracleStore()
{
    return m_state->oracle;
}
OracleAccountsService& Simulator::oracleAccounts()
{
    return m_state->oracleAccounts;
}

Simulator::Route Simulator::classify(const SimRequest& request) const
{
    Route r;
    const QString& p = request.path;
    const QByteArray& m = request.method;
    const QStringList segs = p.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    if (p.startsWith(QLatin1String("/oauth/v2/")) || p.startsWith(QLatin1String("/_dc/"))) {
        r.endpoint = p.endsWith(QLatin1String("/revoke"))          ? QStringLiteral("zoho.revoke")
                     : p.endsWith(QLatin1String("/oauth/v2/auth")) ? QStringLiteral("zoho.auth")
                                                                   : QStringLiteral("zoho.token");
        return r;
    }
    if (p.startsWith(QLatin1String("/crm/"))) {
        r.crm = p.startsWith(QLatin1String("/crm/v8/"));
        if (segs.size() == 4 && segs.at(2) == QLatin1String("actions") && segs.at(3) == QLatin1String("watch")) {
            r.endpoint = m == "POST"     ? QStringLiteral("zoho.watch.enable")
                         : m == "GET"    ? QStringLiteral("zoho.watch.list")
                         : m == "DELETE" ? QStringLiteral("zoho.watch.disable")
                                         : QStringLiteral("zoho.watch.update");
        } else if (segs.size() == 3) {
            r.endpoint = m == "GET"      ? QStringLiteral("zoho.records.list")
                         : m == "DELETE" ? QStringLiteral("zoho.records.delete")
                                         : QStringLiteral("zoho.records.write");
        } else if (segs.size() == 4) {
            r.endpoint = (m == "GET" && segs.at(3) != QLatin1String("upsert")) ? QStringLiteral("zoho.records.get")
                         : m == "DELETE"                                       ? QStringLiteral("zoho.records.delete")
                                                                               : QStringLiteral("zoho.records.write");
        } else {
            r.endpoint = QStringLiteral("zoho.other");
        }
        return r;
    }
    r.scope = ApiScope::Oracle;
    if (p.startsWith(QLatin1String("/oauth2/"))) {
        r.endpoint = QStringLiteral("oracle.token");
        return r;
    }
    if (p.startsWith(QLatin1String("/crmRestApi/")) || p.startsWith(QLatin1String("/fscmRestApi/"))) {
        if (segs.size() <= 2)
            r.endpoint = QStringLiteral("oracle.catalog");
        else if (segs.size() == 3)
            r.endpoint = QStringLiteral("oracle.batch");
        else if (segs.at(3) == QLatin1String("accounts")) {
            if (segs.size() == 4)
                r.endpoint =
                    m == "GET" ? QStringLiteral("oracle.accounts.query") : QStringLiteral("oracle.accounts.create");
            else if (segs.size() == 6 && segs.at(4) == QLatin1String("action"))
                r.endpoint = QStringLiteral("oracle.accounts.") + segs.at(5);
            else
                r.endpoint = m == "GET"      ? QStringLiteral("oracle.accounts.get")
                             : m == "PATCH"  ? QStringLiteral("oracle.accounts.patch")
                             : m == "DELETE" ? QStringLiteral("oracle.accounts.delete")
                                             : QStringLiteral("oracle.accounts.other");
        } else if (segs.at(3) == QLatin1String("receivablesCustomerAccountActivities")) {
            r.endpoint = m == "GET" ? QStringLiteral("oracle.ar.query") : QStringLiteral("oracle.ar.other");
        } else {
            r.endpoint = QStringLiteral("oracle.other");
        }
        return r;
    }
    r.scope = ApiScope::Zoho;
    r.endpoint = QStringLiteral("other");
    return r;
}

SimResponse Simulator::notFound(const SimRequest& request) const
{
    return SimResponse::json(
        404, QJsonObject{{QStringLiteral("code"), QStringLiteral("INVALID_URL_PATTERN")},
                         {QStringLiteral("details"), QJsonObject{{QStringLiteral("path"), request.path}}},
                         {QStringLiteral("message"),
                          QStringLiteral("Please check if the URL trying to access is a correct one")},
                         {QStringLiteral("status"), QStringLiteral("error")}});
}

SimResponse Simulator::dispatchApi(const SimRequest& request)
{
    const QString& p = request.path;
    if (p == QLatin1String("/oauth/v2/token"))
        return m_state->zohoAccounts.token(request, true);
    if (p == QLatin1String("/oauth/v2/token/revoke"))
        return m_state->zohoAccounts.revoke(request);
    if (p == QLatin1String("/oauth/v2/auth"))
        return m_state->zohoAccounts.authorize(request, true);
    if (p.startsWith(QLatin1String("/_dc/"))) {
        const QStringList segs = p.split(QLatin1Char('/'), Qt::SkipEmptyParts);
        const bool home = segs.value(1).compare(m_ctx.config.zohoHomeDc, Qt::CaseInsensitive) == 0;
        const QString rest = QLatin1Char('/') + segs.mid(2).join(QLatin1Char('/'));
        if (rest == QLatin1String("/oauth/v2/token"))
            return m_state->zohoAccounts.token(request, home);
        if (rest == QLatin1String("/oauth/v2/auth"))
            return m_state->zohoAccounts.authorize(request, home);
        if (rest == QLatin1String("/oauth/v2/token/revoke"))
            return home ? m_state->zohoAccounts.revoke(request)
                        : SimResponse::json(200,
                                            QJsonObject{{QStringLiteral("error"), QStringLiteral("invalid_client")}});
        return notFound(request);
    }
    if (p.startsWith(QLatin1String("/crm/v8/")))
        return m_state->crm.handle(request);
    if (p.startsWith(QLatin1String("/crm/")))
        return ZohoCrmService::error(404, QStringLiteral("INVALID_URL_PATTERN"),
                                     QStringLiteral("Please check if the URL trying to access is a correct one"));
    if (p == QLatin1String("/oauth2/v1/token"))
        return m_state->oracleAuth.token(request);
    if (p.startsWith(QLatin1String("/crmRestApi/")) || p.startsWith(QLatin1String("/fscmRestApi/")))
        return oracleRest(request);
    return notFound(request);
}

SimResponse Simulator::oracleRest(const SimRequest& request)
{
    QString principal;
    SimResponse rejection;
    if (!m_state->oracleAuth.authorize(request, principal, rejection))
        return rejection;
    int version = 1;
    if (!OracleFormat::frameworkVersion(request, version))
        return SimResponse::bytes(400, "The REST-Framework-Version header value isn't supported. Use 1 to 9.",
                                  "text/plain;charset=UTF-8");

    const QStringList segs = request.path.split(QLatin1Char('/'), Qt::SkipEmptyParts);
    const bool crm = segs.value(0) == QLatin1String("crmRestApi");
    if (segs.value(1) != QLatin1String("resources"))
        return OracleFormat::toResponse(
            OracleResult::error(404, QStringLiteral("The requested resource doesn't exist.")), version);
    if (segs.size() == 2) {
        if (request.method != "GET")
            return OracleFormat::toResponse(OracleResult::error(405, QStringLiteral("Invalid operation.")), version);
        QJsonArray allowed;
        for (int v = 1; v <= 9; ++v)
            allowed.append(QString::number(v));
        OracleResult r;
        r.contentType = "application/json";
        r.body = QJsonObject{
            {QStringLiteral("items"),
             QJsonArray{QJsonObject{
                 {QStringLiteral("version"), QString::fromLatin1(kVersion)},
                 {QStringLiteral("isLatest"), true},
                 {QStringLiteral("adf:extension"),
                  QJsonObject{{QStringLiteral("defaultFrameworkVersion"), QStringLiteral("1")},
                              {QStringLiteral("allowedFrameworkVersions"), allowed}}},
                 {QStringLiteral("links"),
                  QJsonArray{OracleFormat::link(QStringLiteral("self"),
                                                m_ctx.baseUrl + QLatin1Char('/') + segs.value(0) +
                                                    QStringLiteral("/resources/") + QString::fromLatin1(kVersion),
                                                QString::fromLatin1(kVersion), QStringLiteral("collection"))}}}}}};
        return OracleFormat::toResponse(r, version);
    }
    const QString versionSegment = segs.at(2);
    if (versionSegment != QLatin1String(kVersion) && versionSegment != QLatin1String("latest"))
        return OracleFormat::toResponse(
            OracleResult::error(404,
                                QStringLiteral("The version %1 of the resources doesn't exist.").arg(versionSegment)),
            version);
    if (segs.size() == 3) {
        if (crm)
            return OracleFormat::toResponse(m_state->batch.handle(request, versionSegment, version, principal),
                                            version);
        return OracleFormat::toResponse(
            OracleResult::error(404, QStringLiteral("The requested resource doesn't exist.")), version);
    }
    const QString resource = segs.at(3);
    const QStringList rest = segs.mid(4);
    if (crm && resource == QLatin1String("accounts"))
        return OracleFormat::toResponse(
            m_state->oracleAccounts.handle(request, versionSegment, rest, version, principal), version);
    if (!crm && resource == QLatin1String("receivablesCustomerAccountActivities"))
        return OracleFormat::toResponse(m_state->receivables.handle(request, versionSegment, rest, version), version);
    return OracleFormat::toResponse(
        OracleResult::error(404, QStringLiteral("The resource %1 isn't simulated.").arg(resource)), version);
}

SimResponse Simulator::control(const SimRequest& request)
{
    return m_control->handle(request);
}

} // namespace Sim
