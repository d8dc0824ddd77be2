#pragma once

#include <QHash>
#include <QJsonObject>
#include <QString>

namespace Sim {

// Counters reported by GET /_sim/stats. Plain data; every service bumps what it owns.
class SimStats final
{
public:
    void countEndpoint(const QString& key) { ++m_endpoints[key]; }
    void countStatus(int status) { ++m_statuses[QString::number(status)]; }
    void countFault(const QString& kind) { ++m_faults[kind]; }
    void count(const QString& key, qint64 n = 1) { m_counters[key] += n; }
    qint64 counter(const QString& key) const { return m_counters.value(key); }
    qint64 endpoint(const QString& key) const { return m_endpoints.value(key); }
    void noteConcurrency(int inFlight);
    int concurrencyPeak() const { return m_concurrencyPeak; }

    QJsonObject toJson() const;
    void reset();

private:
    QHash<QString, qint64> m_endpoints;
    QHash<QString, qint64> m_statuses;
    QHash<QString, qint64> m_faults;
    QHash<QString, qint64> m_counters;
    int m_concurrencyPeak = 0;
};

} // namespace Sim
