#pragma once

#include "Result.h"
#include "sync/OutboxStore.h"

#include <QStringList>

namespace Core {

class ReadConnection;

// The outbox rows still to work on (pending, running) or to look at (failed, dead), for the
// dashboard's refresh every second. Done rows are not counted (done stays 0): a profile keeps
// them until pruned, millions after a backfill, and counting them would scan them all each time.
// Each state is one equality range of idx_outbox_state_next, so the cost follows the live rows.
namespace QueueDepth {
Result<OutboxCounts> read(const ReadConnection& reader);
Result<QStringList> queryPlan(const ReadConnection& reader);
} // namespace QueueDepth

} // namespace Core
