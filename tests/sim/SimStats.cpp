#include "SimStats.h"

namespace Sim {

namespace {
QJsonObject toObject(const QHash<QString, qint64>& hash)
{
    QJsonObject o;
    for (auto it = hash.constBegin(); it != hash.constEnd(); ++it)
        o.insert(it.key(), it.value());
    return o;
}
} // namespace

void SimStats::noteConcurrency(int inFlight)
{
    if (inFlight > m_concurrencyPeak)
        m_concurrencyPeak = inFlight;
}

QJsonObject SimStats::toJson() const
{
    QJsonObject o = toObject(m_counters);
    o.insert(QStringLiteral("endpoints"), toObject(m_endpoints));
    o.insert(QStringLiteral("statuses"), toObject(m_statuses));
    o.insert(QStringLiteral("faults_injected"), toObject(m_faults));
    qint64 faultTotal = 0;
    for (const qint64 n : m_faults)
        faultTotal += n;
    o.insert(QStringLiteral("faults_injected_total"), faultTotal);
    o.insert(QStringLiteral("concurrency_peak"), m_concurrencyPeak);
    return o;
}

void SimStats::reset()
{
    m_endpoints.clear();
    m_statuses.clear();
    m_faults.clear();
    m_counters.clear();
    m_concurrencyPeak = 0;
}

} // namespace Sim
