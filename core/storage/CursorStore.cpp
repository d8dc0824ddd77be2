#include "storage/CursorStore.h"

#include "Clock.h"
#include "storage/Database.h"
#include "storage/SqlUtil.h"

namespace Core {

CursorStore::CursorStore(Database& db, const Clock* clock)
    : m_db(db)
    , m_clock(clock ? clock : SystemClock::instance())
{ }

Result<std::optional<QString>> CursorStore::get(const QString& name) const
{
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    const auto done = SqlUtil::run(q, QStringLiteral("SELECT value FROM poll_cursor WHERE name=?"), {name}, m_db.path(),
                                   QStringLiteral("poll_cursor read"));
    if (!done)
        return done.error();
    if (!q.next())
        return std::optional<QString>();
    return std::optional<QString>(q.value(0).toString());
}

Result<Ok> CursorStore::set(const QString& name, const QString& value)
{
    if (name.isEmpty())
        return Error(Error::Kind::InvalidInput, QStringLiteral("A poll cursor needs a name"));
    QSqlQuery q(m_db.connection());
    return SqlUtil::run(
        q,
        QStringLiteral("INSERT INTO poll_cursor(name, value, updated_at) VALUES(?,?,?) "
                       "ON CONFLICT(name) DO UPDATE SET value=excluded.value, updated_at=excluded.updated_at"),
        {name, value.isNull() ? QString(QLatin1String("")) : value, m_clock->now().toMSecsSinceEpoch()}, m_db.path(),
        QStringLiteral("poll_cursor write"));
}

Result<bool> CursorStore::remove(const QString& name)
{
    QSqlQuery q(m_db.connection());
    const auto done = SqlUtil::run(q, QStringLiteral("DELETE FROM poll_cursor WHERE name=?"), {name}, m_db.path(),
                                   QStringLiteral("poll_cursor delete"));
    if (!done)
        return done.error();
    return q.numRowsAffected() > 0;
}

} // namespace Core
