#pragma once

#include <QLoggingCategory>

namespace Sim {
// The simulator logs to stderr through this category only; stdout carries the startup line alone.
Q_DECLARE_LOGGING_CATEGORY(lcSim)
} // namespace Sim
