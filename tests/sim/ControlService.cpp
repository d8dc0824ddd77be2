#include "ControlService.h"

#include "CallbackDispatcher.h"
#include "FaultInjector.h"
#include "JsonUtil.h"
#include "OracleAccountsService.h"
#include "OracleAuth.h"
#include "OracleStore.h"
#include "Simulator.h"
#include "TimeUtil.h"
#include "ZohoAccountsService.h"
#include "ZohoLimits.h"
#include "ZohoRecordStore.h"
#include "ZohoTokenStore.h"
#include "ZohoWatchService.h"

#include <QSet>

#include <utility>

namespace Sim {

namespace {
SimResponse ok(const QJsonObject& o = QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}})
{
    return SimResponse::json(200, o);
}

SimResponse fail(int status, const QString& message)
{
    return SimResponse::json(
        status, QJsonObject{{QStringLiteral("status"), QStringLiteral("error")}, {QStringLiteral("error"), message}});
}

bool isDigits(const QString& s)
{
    if (s.isEmpty() || s.size() > 19)
        return false;
    for (const QChar c : s) {
        if (!c.isDigit())
            return false;
    }
    return true;
}
} // namespace

ControlService::ControlService(Simulator& sim)
    : m_sim(sim)
{ }

SimResponse ControlService::handle(const SimRequest& request)
{
    const QStringList segs = request.path.split(QLatin1Char('/'), Qt::SkipEmptyParts).mid(1); // drop "_sim"
    const QString head = segs.value(0);
    const QByteArray& m = request.method;
    if (head == QLatin1String("reset") && m == "POST")
        return reset(request);
    if (head == QLatin1String("zoho"))
        return zoho(request, segs.mid(1));
    if (head == QLatin1String("oracle"))
        return oracle(request, segs.mid(1));
    if (head == QLatin1String("faults"))
        return faults(request, segs.mid(1));
    if (head == QLatin1String("clock"))
        return clock(request);
    if (head == QLatin1String("stats") && m == "GET")
        return stats();
    if (head == QLatin1String("secrets") && m == "GET")
        return secrets();
    if (head == QLatin1String("callbacks")) {
        if (m == "DELETE") {
            m_sim.callbacks().clearLog();
            return ok();
        }
        const QJsonArray log = m_sim.callbacks().log(request.query(QStringLiteral("after")).toLongLong(),
                                                     request.query(QStringLiteral("channel_id")));
        return ok(QJsonObject{{QStringLiteral("callbacks"), log},
                              {QStringLiteral("count"), log.size()},
                              {QStringLiteral("pending"), m_sim.callbacks().pendingCount()}});
    }
    if (head == QLatin1String("channels") && m == "GET")
        return ok(QJsonObject{{QStringLiteral("channels"), m_sim.zohoWatch().channelsJson()}});
    return fail(404, QStringLiteral("unknown control call %1 %2").arg(QString::fromLatin1(m), request.path));
}

SimResponse ControlService::reset(const SimRequest& request)
{
    QJsonObject body;
    if (!request.body.trimmed().isEmpty()) {
        const auto parsed = parseJsonObject(request.body);
        if (!parsed)
            return fail(400, QStringLiteral("the body must be a JSON object"));
        body = *parsed;
    }
    // Absent keys take the values the simulator was started with (not those of an earlier reset),
    // so the same body always gives the same state.
    const DemoData::Counts startup = m_sim.startupCounts();
    const quint32 seed = quint32(body.value(QStringLiteral("seed")).toInteger(m_sim.startupSeed()));
    DemoData::Counts counts;
    counts.demo = body.value(QStringLiteral("demo")).toBool(startup.demo);
    counts.contacts = qMax(0, body.value(QStringLiteral("contacts")).toInt(startup.contacts));
    counts.accounts = qMax(0, body.value(QStringLiteral("accounts")).toInt(startup.accounts));
    counts.oracleAccounts = qMax(0, body.value(QStringLiteral("oracle_accounts")).toInt(startup.oracleAccounts));
    m_sim.reset(seed, counts);
    return ok(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                          {QStringLiteral("seed"), qint64(seed)},
                          {QStringLiteral("contacts"), m_sim.zohoRecords().count(ZohoModule::Contacts)},
                          {QStringLiteral("accounts"), m_sim.zohoRecords().count(ZohoModule::Accounts)},
                          {QStringLiteral("oracle_accounts"), m_sim.oracleStore().count()}});
}

SimResponse ControlService::zoho(const SimRequest& request, const QStringList& segs)
{
    const QByteArray& m = request.method;
    ZohoTokenStore& tokens = m_sim.zohoTokens();
    if (segs.size() == 1 &&
        (segs.at(0) == QLatin1String("grant_codes") || segs.at(0) == QLatin1String("refresh_tokens")) && m == "POST") {
        const auto body = parseJsonObject(request.body.trimmed().isEmpty() ? QByteArray("{}") : request.body);
        if (!body)
            return fail(400, QStringLiteral("the body must be a JSON object"));
        QStringList scopes = toStringList(body->value(QStringLiteral("scopes")));
        if (scopes.isEmpty())
            scopes = ZohoTokenStore::allScopes();
        if (segs.at(0) == QLatin1String("grant_codes"))
            return SimResponse::json(
                201, QJsonObject{{QStringLiteral("code"),
                                  tokens.mintGrantCode(scopes, body->value(QStringLiteral("offline")).toBool(true))},
                                 {QStringLiteral("scopes"), toJsonArray(scopes)},
                                 {QStringLiteral("expires_in"), 120}});
        return SimResponse::json(201, QJsonObject{{QStringLiteral("refresh_token"), tokens.mintRefreshToken(scopes)},
                                                  {QStringLiteral("scopes"), toJsonArray(scopes)}});
    }
    if (segs.size() == 1 && segs.at(0) == QLatin1String("consent")) {
        ZohoAccountsService& accounts = m_sim.zohoAccounts();
        if (m == "POST") {
            const auto body = parseJsonObject(request.body.trimmed().isEmpty() ? QByteArray("{}") : request.body);
            if (!body)
                return fail(400, QStringLiteral("the body must be a JSON object"));
            accounts.setDenyConsent(body->value(QStringLiteral("deny")).toBool(false));
        } else if (m != "GET") {
            return fail(405, QStringLiteral("use GET or POST"));
        }
        return ok(QJsonObject{{QStringLiteral("deny"), accounts.denyConsent()}});
    }

    ZohoModule module = ZohoModule::Contacts;
    if (segs.isEmpty() || !ZohoSchema::parseModule(segs.at(0), module))
        return fail(404, QStringLiteral("unknown Zoho module; use Contacts or Accounts"));
    ZohoRecordStore& records = m_sim.zohoRecords();
    // Control-API edits are made "by a CRM user", not by the integration user.
    const ZohoUser& actor = records.crmUser(0);

    if (segs.size() == 1) {
        if (m == "GET") {
            QJsonArray data;
            const auto& sorted = records.sorted(module, ZohoSortKey::Id, false);
            for (const auto& e : sorted) {
                const ZohoRecord* r = records.find(module, e.id);
                if (r)
                    data.append(records.render(module, *r, nullptr));
            }
            return ok(QJsonObject{{QStringLiteral("data"), data}, {QStringLiteral("count"), data.size()}});
        }
        if (m == "POST") {
            const auto body = parseJsonObject(request.body);
            if (!body)
                return fail(400, QStringLiteral("the body must be a JSON object of fields"));
            QJsonObject fields = *body;
            fields.remove(QStringLiteral("id"));
            const ZohoWriteResult res = records.create(module, fields, 0, false, actor);
            if (!res.ok)
                return SimResponse::json(400, res.error);
            records.publish(ZohoChange{module, QStringLiteral("insert"), {QString::number(res.id)}, {}, {}});
            return SimResponse::json(201, records.render(module, *records.find(module, res.id), nullptr));
        }
        return fail(405, QStringLiteral("use GET or POST"));
    }
    if (segs.size() != 2 || !isDigits(segs.at(1)))
        return fail(404, QStringLiteral("expected /_sim/zoho/{Module}/{id}"));
    const qint64 id = segs.at(1).toLongLong();
    const QString idString = segs.at(1);
    if (!records.find(module, id))
        return fail(404, QStringLiteral("no such record"));
    if (m == "GET")
        return ok(records.render(module, *records.find(module, id), nullptr));
    if (m == "PATCH" || m == "PUT") {
        const auto body = parseJsonObject(request.body);
        if (!body)
            return fail(400, QStringLiteral("the body must be a JSON object of fields"));
        QJsonObject fields = *body;
        fields.remove(QStringLiteral("id"));
        const ZohoWriteResult res = records.update(module, id, fields, 0, false, actor);
        if (!res.ok)
            return SimResponse::json(400, res.error);
        ZohoChange change{module, QStringLiteral("update"), {idString}, {}, {}};
        change.affectedFields.insert(idString, res.changedFields);
        change.affectedValues.insert(idString, res.changedValues);
        records.publish(change);
        return ok(records.render(module, *records.find(module, id), nullptr));
    }
    if (m == "DELETE") {
        records.remove(module, id);
        records.publish(ZohoChange{module, QStringLiteral("delete"), {idString}, {}, {}});
        return ok(QJsonObject{{QStringLiteral("status"), QStringLiteral("deleted")}, {QStringLiteral("id"), idString}});
    }
    return fail(405, QStringLiteral("use GET, PATCH or DELETE"));
}

SimResponse ControlService::oracle(const SimRequest& request, const QStringList& segs)
{
    const QByteArray& m = request.method;
    OracleStore& store = m_sim.oracleStore();
    OracleAccountsService& accounts = m_sim.oracleAccounts();
    OracleRenderOptions options;
    options.version = 4;
    options.onlyData = true;
    const QString canonical = QStringLiteral("11.13.18.05");
    const QString principal = QStringLiteral("SALES_ADMIN");

    if (segs.value(0) == QLatin1String("accounts")) {
        if (segs.size() == 1 && m == "GET") {
            QJsonArray items;
            for (const QString& pn : store.order()) {
                const OracleAccount* a = store.find(pn);
                if (!a)
                    continue;
                QJsonObject item = accounts.render(*a, canonical, options);
                item.insert(QStringLiteral("AccountNumber"), a->accountNumber);
                item.insert(QStringLiteral("AccountId"), a->accountId);
                items.append(item);
            }
            return ok(QJsonObject{{QStringLiteral("items"), items}, {QStringLiteral("count"), items.size()}});
        }
        if (segs.size() == 1 && m == "POST") {
            const auto body = parseJsonObject(request.body);
            if (!body)
                return fail(400, QStringLiteral("the body must be a JSON object of account attributes"));
            QList<OracleErrorDetail> errors;
            if (!accounts.validate(*body, true, false, false, errors))
                return SimResponse::json(400, OracleFormat::errorJson(OracleResult::failure(400, errors)));
            if (store.find(body->value(QStringLiteral("PartyNumber")).toString()))
                return fail(400, QStringLiteral("that PartyNumber exists already"));
            OracleAccount& a = store.create(*body, principal);
            QJsonObject item = accounts.render(a, canonical, options);
            item.insert(QStringLiteral("AccountNumber"), a.accountNumber);
            item.insert(QStringLiteral("AccountId"), a.accountId);
            return SimResponse::json(201, item);
        }
        if (segs.size() == 2 && (m == "PATCH" || m == "PUT")) {
            OracleAccount* a = store.find(segs.at(1));
            if (!a)
                return fail(404, QStringLiteral("no such PartyNumber"));
            const auto body = parseJsonObject(request.body);
            if (!body)
                return fail(400, QStringLiteral("the body must be a JSON object of account attributes"));
            QList<OracleErrorDetail> errors;
            if (!accounts.validate(*body, false, false, false, errors))
                return SimResponse::json(400, OracleFormat::errorJson(OracleResult::failure(400, errors)));
            store.update(*a, *body, principal);
            return ok(accounts.render(*a, canonical, options));
        }
        if (segs.size() == 2 && m == "GET") {
            const OracleAccount* a = store.find(segs.at(1));
            if (!a)
                return fail(404, QStringLiteral("no such PartyNumber"));
            return ok(accounts.render(*a, canonical, options));
        }
        return fail(405,
                    QStringLiteral("use GET/POST /_sim/oracle/accounts or PATCH /_sim/oracle/accounts/{PartyNumber}"));
    }
    if (segs.value(0) == QLatin1String("ar") && segs.size() == 2) {
        OracleArActivity* ar = store.arByNumber(segs.at(1));
        if (!ar)
            return fail(404, QStringLiteral("no such AccountNumber"));
        if (m == "PUT" || m == "PATCH" || m == "POST") {
            const auto body = parseJsonObject(request.body);
            if (!body)
                return fail(400, QStringLiteral("the body must be a JSON object"));
            const QJsonValue open = body->value(QStringLiteral("TotalOpenReceivablesForAccount"));
            const QJsonValue due = body->value(QStringLiteral("TotalTransactionsDueForAccount"));
            if ((!open.isUndefined() && !open.isDouble()) || (!due.isUndefined() && !due.isDouble()))
                return fail(400, QStringLiteral("totals must be numbers"));
            if (body->value(QStringLiteral("transactionPaymentSchedules")).isArray()) {
                ar->schedules = body->value(QStringLiteral("transactionPaymentSchedules")).toArray();
                if (open.isUndefined() && due.isUndefined())
                    ar->totalsOverridden = false;
            }
            if (!open.isUndefined() || !due.isUndefined()) {
                const QJsonObject now = store.arAttrs(*ar, 1);
                ar->totalOpen = open.isUndefined()
                                    ? now.value(QStringLiteral("TotalOpenReceivablesForAccount")).toDouble()
                                    : open.toDouble();
                ar->totalDue = due.isUndefined()
                                   ? now.value(QStringLiteral("TotalTransactionsDueForAccount")).toDouble()
                                   : due.toDouble();
                ar->totalsOverridden = true;
            }
            store.touchAr(*ar);
        }
        QJsonObject out = store.arAttrs(*ar, 1);
        out.insert(QStringLiteral("transactionPaymentSchedules"), store.arSchedules(*ar));
        return ok(out);
    }
    return fail(404, QStringLiteral("unknown Oracle control call"));
}

SimResponse ControlService::faults(const SimRequest& request, const QStringList& segs)
{
    FaultInjector& f = m_sim.faults();
    const QByteArray& m = request.method;
    if (segs.isEmpty() && m == "GET")
        return ok(f.toJson());
    if (segs.isEmpty() && m == "DELETE") {
        f.clear();
        return ok(f.toJson());
    }
    const auto body = parseJsonObject(request.body);
    if (!body)
        return fail(400, QStringLiteral("the body must be a JSON object"));
    QString error;
    if (segs.isEmpty() && m == "POST")
        error = f.applyJson(*body);
    else if (segs.value(0) == QLatin1String("script") && m == "POST")
        error = f.addScript(*body);
    else
        return fail(404, QStringLiteral("use GET/POST/DELETE /_sim/faults or POST /_sim/faults/script"));
    if (!error.isEmpty())
        return fail(400, error);
    return ok(f.toJson());
}

SimResponse ControlService::clock(const SimRequest& request)
{
    SimClock& clock = m_sim.context().clock;
    if (request.method == "POST") {
        const auto body = parseJsonObject(request.body);
        if (!body)
            return fail(400, QStringLiteral("the body must be a JSON object like {\"advance_s\":3600}"));
        const double s = body->value(QStringLiteral("advance_s")).toDouble(-1);
        if (s < 0)
            return fail(400, QStringLiteral("advance_s must be a non-negative number (the clock only moves forward)"));
        clock.advanceMs(qint64(s * 1000.0));
    }
    const qint64 now = clock.nowMs();
    return ok(QJsonObject{{QStringLiteral("now"), oracleTime(now)},
                          {QStringLiteral("now_ms"), now},
                          {QStringLiteral("offset_s"), double(clock.offsetMs()) / 1000.0}});
}

SimResponse ControlService::stats()
{
    SimContext& ctx = m_sim.context();
    QJsonObject o = ctx.stats.toJson();
    ZohoLimits& limits = m_sim.zohoLimits();
    o.insert(QStringLiteral("credits_used"), limits.creditsUsed());
    o.insert(QStringLiteral("credits_remaining"),
             limits.creditsRemaining() < 0 ? QJsonValue() : QJsonValue(limits.creditsRemaining()));
    o.insert(QStringLiteral("credits_budget"), ctx.config.zohoDailyCredits);
    o.insert(QStringLiteral("concurrency_limit"), ctx.config.zohoConcurrency());
    o.insert(QStringLiteral("in_flight"), limits.inFlight());
    o.insert(QStringLiteral("token_refreshes"), ctx.stats.counter(QStringLiteral("token_refreshes")));
    o.insert(QStringLiteral("channels"), m_sim.zohoWatch().liveChannelCount());
    o.insert(QStringLiteral("zoho_access_tokens_live"), m_sim.zohoTokens().liveAccessTokenCount());
    o.insert(QStringLiteral("contacts"), m_sim.zohoRecords().count(ZohoModule::Contacts));
    o.insert(QStringLiteral("accounts"), m_sim.zohoRecords().count(ZohoModule::Accounts));
    o.insert(QStringLiteral("oracle_accounts"), m_sim.oracleStore().count());
    o.insert(QStringLiteral("clock_offset_s"), double(ctx.clock.offsetMs()) / 1000.0);
    return ok(o);
}

SimResponse ControlService::secrets()
{
    QStringList all = m_sim.zohoTokens().secrets();
    all += m_sim.oracleAuth().secrets();
    const QStringList channelTokens = m_sim.zohoWatch().secrets();
    all += channelTokens;
    QStringList unique;
    QSet<QString> seen;
    for (const QString& s : std::as_const(all)) {
        if (!s.isEmpty() && !seen.contains(s)) {
            seen.insert(s);
            unique.append(s);
        }
    }
    return ok(QJsonObject{{QStringLiteral("secrets"), toJsonArray(unique)},
                          {QStringLiteral("zoho"), toJsonArray(m_sim.zohoTokens().secrets())},
                          {QStringLiteral("oracle"), toJsonArray(m_sim.oracleAuth().secrets())},
                          {QStringLiteral("channel_tokens"), toJsonArray(channelTokens)}});
}

} // namespace Sim
