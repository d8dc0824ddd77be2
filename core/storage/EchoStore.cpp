#include "storage/EchoStore.h"

#include "Clock.h"
#include "storage/Database.h"
#include "storage/SqlUtil.h"

namespace Core {

EchoStore::EchoStore(Database& db, const Clock* clock)
    : m_db(db)
    , m_clock(clock ? clock : SystemClock::instance())
{ }

Result<Ok>
EchoStore::remember(const QString& module, const QString& zohoId, const QString& modifiedTime, const QString& fields)
{
    if (module.isEmpty() || zohoId.isEmpty() || modifiedTime.isEmpty())
        return Error(Error::Kind::InvalidInput,
                     QStringLiteral("A write-back echo needs a module, a Zoho id and a modified time"));
    QSqlQuery q(m_db.connection());
    return SqlUtil::run(q,
                        QStringLiteral("INSERT INTO writeback_echo(module, zoho_id, modified_time, fields, created_at) "
                                       "VALUES(?,?,?,?,?) ON CONFLICT(module, zoho_id, modified_time) DO NOTHING"),
                        {module, zohoId, modifiedTime, SqlUtil::text(fields), m_clock->now().toMSecsSinceEpoch()},
                        m_db.path(), QStringLiteral("writeback_echo write"));
}

Result<bool> EchoStore::contains(const QString& module, const QString& zohoId, const QString& modifiedTime) const
{
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    const auto done =
        SqlUtil::run(q, QStringLiteral("SELECT 1 FROM writeback_echo WHERE module=? AND zoho_id=? AND modified_time=?"),
                     {module, zohoId, modifiedTime}, m_db.path(), QStringLiteral("writeback_echo read"));
    if (!done)
        return done.error();
    return q.next();
}

Result<qint64> EchoStore::prune(qint64 olderThanMs)
{
    QSqlQuery q(m_db.connection());
    const auto done = SqlUtil::run(q, QStringLiteral("DELETE FROM writeback_echo WHERE created_at < ?"), {olderThanMs},
                                   m_db.path(), QStringLiteral("writeback_echo prune"));
    if (!done)
        return done.error();
    return static_cast<qint64>(q.numRowsAffected());
}

} // namespace Core
