#pragma once

#include "HttpTypes.h"

#include <QJsonObject>
#include <QList>
#include <QRandomGenerator>
#include <QString>

namespace Sim {

class SimStats;

enum class ApiScope { Zoho, Oracle };

// Random faults of one scope (POST /_sim/faults). Zero means off.
struct FaultConfig
{
    int tokenExpireAfterCalls = 0;
    double rate429 = 0;
    int retryAfterS = -1; // -1: no Retry-After header
    double rate5xx = 0;
    int latencyMs = 0;
    int latencySpikeMs = 0;
    double latencySpikeRate = 0;
    double dropRate = 0;
    double malformedRate = 0;

    QJsonObject toJson() const;
    // Fields present in o replace ours; absent ones keep their value. Empty string = valid.
    QString apply(const QJsonObject& o);
};

// POST /_sim/faults/script: the next `count` calls whose "METHOD /path?query" starts with `match`
// (or whose path does, when match starts with '/') get exactly this answer.
struct ScriptedFault
{
    QString match;
    int skip = 0; // matching calls let through before the fault starts
    int remaining = 1;
    int status = 500;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool drop = false;
    int latencyMs = 0;

    QJsonObject toJson() const;
};

// What to do with one API call, decided when it is accepted.
struct FaultDecision
{
    enum class Kind { None, Scripted, TooManyRequests, ServerError };
    Kind kind = Kind::None;
    int extraLatencyMs = 0;
    bool drop = false;      // process, then close without answering
    bool malformed = false; // process, then answer 200 with a truncated body
    int status = 0;
    SimResponse scripted;
};

// Decides faults for API calls (never for /_sim). Scripted faults win over random ones; all
// random draws come from the simulator's single seeded generator.
class FaultInjector final
{
public:
    FaultInjector(QRandomGenerator& rng, SimStats& stats);

    FaultDecision decide(const SimRequest& request, ApiScope scope);
    const FaultConfig& config(ApiScope scope) const { return scope == ApiScope::Zoho ? m_zoho : m_oracle; }

    // Body of POST /_sim/faults. Returns an error message or empty.
    QString applyJson(const QJsonObject& body);
    QString addScript(const QJsonObject& body);
    void clear();
    QJsonObject toJson() const;

    // Truncates a body so it no longer parses (malformed_rate).
    static QByteArray truncate(const QByteArray& body);

private:
    QRandomGenerator& m_rng;
    SimStats& m_stats;
    FaultConfig m_zoho;
    FaultConfig m_oracle;
    QList<ScriptedFault> m_scripts;
};

} // namespace Sim
