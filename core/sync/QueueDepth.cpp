#include "QueueDepth.h"

#include "storage/Database.h"
#include "storage/SqlUtil.h"

namespace Core::QueueDepth {

namespace {
const QString kSql = QStringLiteral("SELECT state, COUNT(*) FROM outbox"
                                    " WHERE state IN ('pending','running','failed','dead') GROUP BY state");
}

Result<OutboxCounts> read(const ReadConnection& reader)
{
    QSqlQuery q(reader.database());
    q.setForwardOnly(true);
    if (auto done = SqlUtil::run(q, kSql, {}, reader.path(), QStringLiteral("queue depth")); !done)
        return done.error();
    OutboxCounts counts;
    while (q.next()) {
        const QString state = q.value(0).toString();
        const qint64 n = q.value(1).toLongLong();
        if (state == QLatin1String("pending"))
            counts.pending = n;
        else if (state == QLatin1String("running"))
            counts.running = n;
        else if (state == QLatin1String("failed"))
            counts.failed = n;
        else if (state == QLatin1String("dead"))
            counts.dead = n;
    }
    return counts;
}

Result<QStringList> queryPlan(const ReadConnection& reader)
{
    QSqlQuery q(reader.database());
    q.setForwardOnly(true);
    if (auto done = SqlUtil::run(q, QStringLiteral("EXPLAIN QUERY PLAN ") + kSql, {}, reader.path(),
                                 QStringLiteral("queue depth plan"));
        !done)
        return done.error();
    QStringList plan;
    while (q.next())
        plan << q.value(3).toString();
    return plan;
}

} // namespace Core::QueueDepth
