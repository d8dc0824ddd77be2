#pragma once

#include <QtGlobal>

namespace Sim {

// Real time plus an offset that only moves forward (POST /_sim/clock). Every expiry, window and
// timestamp in the simulator reads this clock, so tests can jump hours ahead without waiting.
class SimClock final
{
public:
    qint64 nowMs() const;
    qint64 offsetMs() const { return m_offsetMs; }
    void advanceMs(qint64 ms);
    void reset() { m_offsetMs = 0; }

private:
    qint64 m_offsetMs = 0;
};

} // namespace Sim
