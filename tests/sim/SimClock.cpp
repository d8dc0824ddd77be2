#include "SimClock.h"

#include <QDateTime>

namespace Sim {

qint64 SimClock::nowMs() const
{
    return QDateTime::currentMSecsSinceEpoch() + m_offsetMs;
}

void SimClock::advanceMs(qint64 ms)
{
    if (ms > 0)
        m_offsetMs += ms;
}

} // namespace Sim
