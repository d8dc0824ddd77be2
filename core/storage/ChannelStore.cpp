#include "storage/ChannelStore.h"

#include "Clock.h"
#include "storage/Database.h"
#include "storage/SqlUtil.h"

namespace Core {

ChannelStore::ChannelStore(Database& db, const Clock* clock)
    : m_db(db)
    , m_clock(clock ? clock : SystemClock::instance())
{ }

Result<Ok> ChannelStore::upsert(const ChannelRecord& c)
{
    if (c.module.isEmpty() || c.channelId.isEmpty() || c.state.isEmpty())
        return Error(Error::Kind::InvalidInput, QStringLiteral("A channel needs a module, a channel id and a state"));
    QSqlQuery q(m_db.connection());
    return SqlUtil::run(
        q,
        QStringLiteral("INSERT INTO channel(module, channel_id, token, events, expires_at, state, "
                       "last_error, updated_at) VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(module) DO UPDATE SET "
                       "channel_id=excluded.channel_id, token=excluded.token, events=excluded.events, "
                       "expires_at=excluded.expires_at, state=excluded.state, "
                       "last_error=excluded.last_error, updated_at=excluded.updated_at"),
        {c.module, c.channelId, c.token.isNull() ? QString(QLatin1String("")) : c.token,
         c.events.isNull() ? QString(QLatin1String("")) : c.events, c.expiresAtMs, c.state, SqlUtil::text(c.lastError),
         m_clock->now().toMSecsSinceEpoch()},
        m_db.path(), QStringLiteral("channel write"));
}

Result<QList<ChannelRecord>> ChannelStore::select(const QString& where, const QVariantList& values) const
{
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    const auto done = SqlUtil::run(q,
                                   QStringLiteral("SELECT module, channel_id, token, events, expires_at, state, "
                                                  "last_error, updated_at FROM channel ") +
                                       where,
                                   values, m_db.path(), QStringLiteral("channel read"));
    if (!done)
        return done.error();
    QList<ChannelRecord> channels;
    while (q.next()) {
        ChannelRecord c;
        c.module = q.value(0).toString();
        c.channelId = q.value(1).toString();
        c.token = q.value(2).toString();
        c.events = q.value(3).toString();
        c.expiresAtMs = q.value(4).toLongLong();
        c.state = q.value(5).toString();
        c.lastError = SqlUtil::optionalText(q.value(6));
        c.updatedAtMs = q.value(7).toLongLong();
        channels << c;
    }
    return channels;
}

Result<std::optional<ChannelRecord>> ChannelStore::find(const QString& module) const
{
    const auto rows = select(QStringLiteral("WHERE module=?"), {module});
    if (!rows)
        return rows.error();
    if (rows.value().isEmpty())
        return std::optional<ChannelRecord>();
    return std::optional<ChannelRecord>(rows.value().first());
}

Result<QList<ChannelRecord>> ChannelStore::list() const
{
    return select(QStringLiteral("ORDER BY module"), {});
}

Result<QList<ChannelRecord>> ChannelStore::expiringBefore(qint64 timeMs) const
{
    return select(QStringLiteral("WHERE expires_at < ? ORDER BY expires_at"), {timeMs});
}

Result<bool> ChannelStore::remove(const QString& module)
{
    QSqlQuery q(m_db.connection());
    const auto done = SqlUtil::run(q, QStringLiteral("DELETE FROM channel WHERE module=?"), {module}, m_db.path(),
                                   QStringLiteral("channel delete"));
    if (!done)
        return done.error();
    return q.numRowsAffected() > 0;
}

} // namespace Core
