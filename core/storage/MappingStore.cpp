#include "storage/MappingStore.h"

#include "Clock.h"
#include "storage/Database.h"
#include "storage/SqlUtil.h"

namespace Core {

MappingStore::MappingStore(Database& db, const Clock* clock)
    : m_db(db)
    , m_clock(clock ? clock : SystemClock::instance())
{ }

Result<int> MappingStore::add(const QString& json, const QString& note)
{
    if (json.isEmpty())
        return Error(Error::Kind::InvalidInput, QStringLiteral("A mapping version needs its JSON"));
    int version = 0;
    // Read the highest number and insert the next in one write transaction, so two saves cannot collide.
    const auto saved = m_db.transaction([&]() -> Result<Ok> {
        const auto top =
            SqlUtil::scalar(m_db.connection(), QStringLiteral("SELECT COALESCE(MAX(version), 0) FROM mapping_version"),
                            m_db.path(), QStringLiteral("mapping_version read"));
        if (!top)
            return top.error();
        version = top.value().toInt() + 1;
        QSqlQuery q(m_db.connection());
        return SqlUtil::run(
            q, QStringLiteral("INSERT INTO mapping_version(version, json, created_at, note) VALUES(?,?,?,?)"),
            {version, json, m_clock->now().toMSecsSinceEpoch(), SqlUtil::text(note)}, m_db.path(),
            QStringLiteral("mapping_version write"));
    });
    if (!saved)
        return saved.error();
    return version;
}

Result<QList<MappingVersion>> MappingStore::select(const QString& tail, const QVariantList& values) const
{
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    const auto done =
        SqlUtil::run(q, QStringLiteral("SELECT version, json, created_at, note FROM mapping_version ") + tail, values,
                     m_db.path(), QStringLiteral("mapping_version read"));
    if (!done)
        return done.error();
    QList<MappingVersion> versions;
    while (q.next()) {
        MappingVersion v;
        v.version = q.value(0).toInt();
        v.json = q.value(1).toString();
        v.createdAtMs = q.value(2).toLongLong();
        v.note = SqlUtil::optionalText(q.value(3));
        versions << v;
    }
    return versions;
}

Result<std::optional<MappingVersion>> MappingStore::get(int version) const
{
    const auto rows = select(QStringLiteral("WHERE version=?"), {version});
    if (!rows)
        return rows.error();
    if (rows.value().isEmpty())
        return std::optional<MappingVersion>();
    return std::optional<MappingVersion>(rows.value().first());
}

Result<std::optional<MappingVersion>> MappingStore::latest() const
{
    const auto rows = select(QStringLiteral("ORDER BY version DESC LIMIT 1"), {});
    if (!rows)
        return rows.error();
    if (rows.value().isEmpty())
        return std::optional<MappingVersion>();
    return std::optional<MappingVersion>(rows.value().first());
}

Result<QList<MappingVersion>> MappingStore::list() const
{
    return select(QStringLiteral("ORDER BY version"), {});
}

} // namespace Core
