#pragma once

#include <QtGlobal>

#include <deque>

namespace Sim {

struct SimContext;

// Zoho CRM's two limits: simultaneous in-flight calls per edition, and the rolling 24 h credit
// budget (sim clock). In flight = accepted and not yet answered, so latency makes it observable.
class ZohoLimits final
{
public:
    explicit ZohoLimits(SimContext& ctx);

    // false when the edition's concurrency is exhausted (answer 429 at once).
    bool tryAcquire();
    void release();
    int inFlight() const { return m_inFlight; }

    // false when the budget is spent; otherwise spends one credit.
    bool spendCredit();
    qint64 creditsUsed(); // within the rolling window
    qint64 creditsRemaining();
    // X-API-CREDITS-REMAINING is sent once half the budget is used.
    bool showRemainingHeader();

private:
    void prune();

    SimContext& m_ctx;
    int m_inFlight = 0;
    std::deque<qint64> m_spentAtMs;
};

} // namespace Sim
