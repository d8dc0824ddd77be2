#pragma once

#include <QString>

namespace Soak {

struct OutboxState
{
    bool readable = false;
    qint64 pending = 0;
    qint64 running = 0;
    qint64 done = 0;
    qint64 failed = 0;
    qint64 dead = 0;
    qint64 total() const { return pending + running + done + failed + dead; }
};

// Reads the outbox of a profile database that a live `serve` writes: a read-only SQLite connection
// (WAL readers never block the writer), opened afresh for every look.
class OutboxProbe
{
public:
    explicit OutboxProbe(QString databasePath);
    OutboxState read() const;

private:
    QString m_path;
};

} // namespace Soak
