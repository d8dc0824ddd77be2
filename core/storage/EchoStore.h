#pragma once

#include "Result.h"

#include <QString>

namespace Core {

class Clock;
class Database;

// Remembers the Zoho records we wrote back (writeback_echo), keyed by the Modified_Time Zoho gave the
// write, so the change notification our own write causes is recognised and not synced back again.
class EchoStore
{
public:
    explicit EchoStore(Database& db, const Clock* clock = nullptr);

    // Idempotent: remembering the same (module, zohoId, modifiedTime) twice keeps one row.
    Result<Ok> remember(const QString& module,
                        const QString& zohoId,
                        const QString& modifiedTime,
                        const QString& fields = QString());
    Result<bool> contains(const QString& module, const QString& zohoId, const QString& modifiedTime) const;
    // Forgets echoes recorded before the given time; returns how many.
    Result<qint64> prune(qint64 olderThanMs);

private:
    Database& m_db;
    const Clock* m_clock;
};

} // namespace Core
