#include "ZohoLimits.h"

#include "SimContext.h"

namespace Sim {

namespace {
constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;
}

ZohoLimits::ZohoLimits(SimContext& ctx)
    : m_ctx(ctx)
{ }

bool ZohoLimits::tryAcquire()
{
    if (m_inFlight >= m_ctx.config.zohoConcurrency())
        return false;
    ++m_inFlight;
    m_ctx.stats.noteConcurrency(m_inFlight);
    return true;
}

void ZohoLimits::release()
{
    if (m_inFlight > 0)
        --m_inFlight;
}

void ZohoLimits::prune()
{
    const qint64 cutoff = m_ctx.clock.nowMs() - kDayMs;
    while (!m_spentAtMs.empty() && m_spentAtMs.front() <= cutoff)
        m_spentAtMs.pop_front();
}

bool ZohoLimits::spendCredit()
{
    prune();
    const qint64 budget = m_ctx.config.zohoDailyCredits;
    if (budget > 0 && qint64(m_spentAtMs.size()) >= budget)
        return false;
    m_spentAtMs.push_back(m_ctx.clock.nowMs());
    m_ctx.stats.count(QStringLiteral("credits_used_total"));
    return true;
}

qint64 ZohoLimits::creditsUsed()
{
    prune();
    return qint64(m_spentAtMs.size());
}

qint64 ZohoLimits::creditsRemaining()
{
    const qint64 budget = m_ctx.config.zohoDailyCredits;
    if (budget <= 0)
        return -1;
    return qMax<qint64>(0, budget - creditsUsed());
}

bool ZohoLimits::showRemainingHeader()
{
    const qint64 budget = m_ctx.config.zohoDailyCredits;
    return budget > 0 && creditsUsed() * 2 >= budget;
}

} // namespace Sim
