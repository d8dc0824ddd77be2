#pragma once

#include "Result.h"

#include <QStringList>

namespace Core {

class LinkStore;
class OutboxStore;

// Queues Zoho records for another try: their failed or dead rows go back to pending, and a
// record with no failed row but a known link gets a fresh replay row (read again, written again).
// Replayed rows always re-read the record from Zoho: the copy they carried may be the bad one.
Result<int> queueReplay(OutboxStore& outbox, LinkStore& links, const QStringList& modules, const QStringList& zohoIds);

} // namespace Core
