#include "Clock.h"

namespace Core {

const Clock* SystemClock::instance()
{
    static const SystemClock clock;
    return &clock;
}

} // namespace Core
