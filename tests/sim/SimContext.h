#pragma once

#include "SimClock.h"
#include "SimConfig.h"
#include "SimStats.h"

#include <QRandomGenerator>
#include <QString>

namespace Sim {

// State shared by every service: configuration, the clock, the single seeded generator (data and
// faults draw from it, so a run is repeatable) and the counters. Owned by Simulator.
struct SimContext
{
    SimConfig config;
    SimClock clock;
    QRandomGenerator rng;
    SimStats stats;
    QString baseUrl; // http://127.0.0.1:PORT, used for api_domain, Location, links, resource_uri
};

} // namespace Sim
