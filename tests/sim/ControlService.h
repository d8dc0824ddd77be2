#pragma once

#include "HttpTypes.h"

namespace Sim {

class Simulator;

// The /_sim control API (tests/sim/README.md): reset, state inspection and edits as a Zoho or
// Oracle user would make them, faults, the clock, counters, callbacks, channels and secrets.
// Never delayed or faulted.
class ControlService final
{
public:
    explicit ControlService(Simulator& sim);

    SimResponse handle(const SimRequest& request);

private:
    SimResponse reset(const SimRequest& request);
    SimResponse zoho(const SimRequest& request, const QStringList& segs);
    SimResponse oracle(const SimRequest& request, const QStringList& segs);
    SimResponse faults(const SimRequest& request, const QStringList& segs);
    SimResponse clock(const SimRequest& request);
    SimResponse stats();
    SimResponse secrets();

    Simulator& m_sim;
};

} // namespace Sim
