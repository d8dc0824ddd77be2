#include "SimLogging.h"

namespace Sim {
Q_LOGGING_CATEGORY(lcSim, "ml.sim", QtInfoMsg)
} // namespace Sim
