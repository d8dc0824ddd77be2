#include "FaultInjector.h"

#include "JsonUtil.h"
#include "SimStats.h"

#include <QJsonArray>

namespace Sim {

namespace {
QString readRate(const QJsonObject& o, const char* key, double& out)
{
    const QString k = QString::fromLatin1(key);
    if (!o.contains(k))
        return {};
    const QJsonValue v = o.value(k);
    if (v.isNull()) {
        out = 0;
        return {};
    }
    if (!v.isDouble() || v.toDouble() < 0 || v.toDouble() > 1)
        return k + QStringLiteral(" must be a number between 0 and 1");
    out = v.toDouble();
    return {};
}

QString readInt(const QJsonObject& o, const char* key, int& out, int nullValue)
{
    const QString k = QString::fromLatin1(key);
    if (!o.contains(k))
        return {};
    const QJsonValue v = o.value(k);
    if (v.isNull()) {
        out = nullValue;
        return {};
    }
    if (!v.isDouble() || v.toDouble() < 0)
        return k + QStringLiteral(" must be a non-negative number");
    out = v.toInt();
    return {};
}
} // namespace

QJsonObject FaultConfig::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("token_expire_after_calls"), tokenExpireAfterCalls);
    o.insert(QStringLiteral("rate_429"), rate429);
    o.insert(QStringLiteral("retry_after_s"), retryAfterS < 0 ? QJsonValue() : QJsonValue(retryAfterS));
    o.insert(QStringLiteral("rate_5xx"), rate5xx);
    o.insert(QStringLiteral("latency_ms"), latencyMs);
    o.insert(QStringLiteral("latency_spike_ms"), latencySpikeMs);
    o.insert(QStringLiteral("latency_spike_rate"), latencySpikeRate);
    o.insert(QStringLiteral("drop_rate"), dropRate);
    o.insert(QStringLiteral("malformed_rate"), malformedRate);
    return o;
}

QString FaultConfig::apply(const QJsonObject& o)
{
    FaultConfig next = *this;
    QString error;
    if (error.isEmpty())
        error = readInt(o, "token_expire_after_calls", next.tokenExpireAfterCalls, 0);
    if (error.isEmpty())
        error = readRate(o, "rate_429", next.rate429);
    if (error.isEmpty())
        error = readInt(o, "retry_after_s", next.retryAfterS, -1);
    if (error.isEmpty())
        error = readRate(o, "rate_5xx", next.rate5xx);
    if (error.isEmpty())
        error = readInt(o, "latency_ms", next.latencyMs, 0);
    if (error.isEmpty())
        error = readInt(o, "latency_spike_ms", next.latencySpikeMs, 0);
    if (error.isEmpty())
        error = readRate(o, "latency_spike_rate", next.latencySpikeRate);
    if (error.isEmpty())
        error = readRate(o, "drop_rate", next.dropRate);
    if (error.isEmpty())
        error = readRate(o, "malformed_rate", next.malformedRate);
    if (error.isEmpty())
        *this = next;
    return error;
}

QJsonObject ScriptedFault::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("match"), match);
    o.insert(QStringLiteral("skip"), skip);
    o.insert(QStringLiteral("remaining"), remaining);
    o.insert(QStringLiteral("status"), status);
    QJsonObject h;
    for (const auto& header : headers)
        h.insert(QString::fromLatin1(header.first), QString::fromLatin1(header.second));
    o.insert(QStringLiteral("headers"), h);
    o.insert(QStringLiteral("body"), QString::fromUtf8(body));
    o.insert(QStringLiteral("drop"), drop);
    o.insert(QStringLiteral("latency_ms"), latencyMs);
    return o;
}

FaultInjector::FaultInjector(QRandomGenerator& rng, SimStats& stats)
    : m_rng(rng)
    , m_stats(stats)
{ }

FaultDecision FaultInjector::decide(const SimRequest& request, ApiScope scope)
{
    FaultDecision d;
    const QString key = request.methodAndPath();
    for (int i = 0; i < m_scripts.size(); ++i) {
        ScriptedFault& s = m_scripts[i];
        const bool pathOnly = s.match.startsWith(QLatin1Char('/'));
        const QString subject = pathOnly ? key.mid(key.indexOf(QLatin1Char(' ')) + 1) : key;
        if (!subject.startsWith(s.match))
            continue;
        if (s.skip > 0) {
            --s.skip;
            break; // this call goes on like any other (random faults may still hit it)
        }
        d.kind = FaultDecision::Kind::Scripted;
        d.extraLatencyMs = s.latencyMs;
        d.scripted.status = s.status;
        d.scripted.headers = s.headers;
        d.scripted.body = s.body;
        d.scripted.drop = s.drop;
        if (!s.body.isEmpty() && d.scripted.headerValue("Content-Type").isEmpty()) {
            const bool looksJson = s.body.startsWith('{') || s.body.startsWith('[');
            d.scripted.setHeader("Content-Type", looksJson ? "application/json;charset=UTF-8" : "text/plain");
        }
        if (--s.remaining <= 0)
            m_scripts.removeAt(i);
        m_stats.countFault(QStringLiteral("scripted"));
        return d;
    }

    const FaultConfig& c = config(scope);
    d.extraLatencyMs = c.latencyMs;
    if (randomChance(m_rng, c.latencySpikeRate)) {
        d.extraLatencyMs += c.latencySpikeMs;
        m_stats.countFault(QStringLiteral("latency_spike"));
    }
    if (randomChance(m_rng, c.rate429)) {
        d.kind = FaultDecision::Kind::TooManyRequests;
        d.status = 429;
        m_stats.countFault(QStringLiteral("429"));
        return d;
    }
    if (randomChance(m_rng, c.rate5xx)) {
        static const int statuses[] = {500, 502, 503};
        d.kind = FaultDecision::Kind::ServerError;
        d.status = statuses[m_rng.bounded(3)];
        m_stats.countFault(QStringLiteral("5xx"));
        return d;
    }
    if (randomChance(m_rng, c.dropRate)) {
        d.drop = true;
        m_stats.countFault(QStringLiteral("drop"));
        return d;
    }
    if (randomChance(m_rng, c.malformedRate)) {
        d.malformed = true;
        m_stats.countFault(QStringLiteral("malformed"));
    }
    return d;
}

QString FaultInjector::applyJson(const QJsonObject& body)
{
    const QString scope = body.value(QStringLiteral("scope")).toString(QStringLiteral("all"));
    if (scope != QLatin1String("all") && scope != QLatin1String("zoho") && scope != QLatin1String("oracle"))
        return QStringLiteral("scope must be zoho, oracle or all");
    FaultConfig zoho = m_zoho;
    FaultConfig oracle = m_oracle;
    if (scope != QLatin1String("oracle")) {
        const QString e = zoho.apply(body);
        if (!e.isEmpty())
            return e;
    }
    if (scope != QLatin1String("zoho")) {
        const QString e = oracle.apply(body);
        if (!e.isEmpty())
            return e;
    }
    m_zoho = zoho;
    m_oracle = oracle;
    return {};
}

QString FaultInjector::addScript(const QJsonObject& body)
{
    ScriptedFault s;
    s.match = body.value(QStringLiteral("match")).toString();
    if (s.match.isEmpty())
        return QStringLiteral("match is required, e.g. \"GET /crm/v8/Contacts\"");
    s.remaining = body.value(QStringLiteral("count")).toInt(1);
    if (s.remaining < 1)
        return QStringLiteral("count must be at least 1");
    s.skip = body.value(QStringLiteral("skip")).toInt(0);
    if (s.skip < 0)
        return QStringLiteral("skip must not be negative");
    s.status = body.value(QStringLiteral("status")).toInt(500);
    if (s.status < 100 || s.status > 599)
        return QStringLiteral("status must be an HTTP status");
    const QJsonObject headers = body.value(QStringLiteral("headers")).toObject();
    for (auto it = headers.constBegin(); it != headers.constEnd(); ++it)
        s.headers.append({it.key().toLatin1(), it.value().toVariant().toString().toLatin1()});
    const QJsonValue b = body.value(QStringLiteral("body"));
    if (b.isString())
        s.body = b.toString().toUtf8();
    else if (b.isObject())
        s.body = toCompactJson(b.toObject());
    else if (b.isArray())
        s.body = QJsonDocument(b.toArray()).toJson(QJsonDocument::Compact);
    s.drop = body.value(QStringLiteral("drop")).toBool(false);
    s.latencyMs = qMax(0, body.value(QStringLiteral("latency_ms")).toInt(0));
    m_scripts.append(s);
    return {};
}

void FaultInjector::clear()
{
    m_zoho = FaultConfig();
    m_oracle = FaultConfig();
    m_scripts.clear();
}

QJsonObject FaultInjector::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("zoho"), m_zoho.toJson());
    o.insert(QStringLiteral("oracle"), m_oracle.toJson());
    QJsonArray scripts;
    for (const ScriptedFault& s : m_scripts)
        scripts.append(s.toJson());
    o.insert(QStringLiteral("scripts"), scripts);
    return o;
}

QByteArray FaultInjector::truncate(const QByteArray& body)
{
    if (body.size() < 4)
        return QByteArrayLiteral("{\"data\":[");
    return body.left(body.size() / 2);
}

} // namespace Sim
