#include "storage/LinkStore.h"

#include "storage/Database.h"
#include "storage/SqlUtil.h"

#include <QSqlQuery>

namespace Core {

namespace {

const QString kColumns = QStringLiteral("module, zoho_id, party_number, party_id, account_number, etag, payload_hash, "
                                        "mapping_version, zoho_modified_time, oracle_last_update, synced_at");

RecordLink fromRow(const QSqlQuery& q)
{
    RecordLink link;
    link.module = q.value(0).toString();
    link.zohoId = q.value(1).toString();
    link.partyNumber = q.value(2).toString();
    link.partyId = SqlUtil::optionalText(q.value(3));
    link.accountNumber = SqlUtil::optionalText(q.value(4));
    link.etag = SqlUtil::optionalText(q.value(5));
    link.payloadHash = SqlUtil::optionalText(q.value(6));
    if (const auto v = SqlUtil::optionalInteger(q.value(7)))
        link.mappingVersion = static_cast<int>(*v);
    link.zohoModifiedTime = SqlUtil::optionalText(q.value(8));
    link.oracleLastUpdate = SqlUtil::optionalText(q.value(9));
    link.syncedAtMs = SqlUtil::optionalInteger(q.value(10));
    return link;
}

} // namespace

LinkStore::LinkStore(Database& db)
    : m_db(db)
{ }

Result<Ok> LinkStore::upsert(const RecordLink& link)
{
    if (link.module.isEmpty() || link.zohoId.isEmpty() || link.partyNumber.isEmpty())
        return Error(Error::Kind::InvalidInput,
                     QStringLiteral("A record link needs a module, a Zoho id and a party number"));
    QSqlQuery q(m_db.connection());
    const auto prepared = SqlUtil::prepare(
        q,
        QStringLiteral("INSERT INTO record_link(") + kColumns +
            QStringLiteral(") VALUES(?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(module, zoho_id) DO UPDATE SET "
                           "party_number=excluded.party_number, party_id=excluded.party_id, "
                           "account_number=excluded.account_number, etag=excluded.etag, "
                           "payload_hash=excluded.payload_hash, mapping_version=excluded.mapping_version, "
                           "zoho_modified_time=excluded.zoho_modified_time, "
                           "oracle_last_update=excluded.oracle_last_update, synced_at=excluded.synced_at"),
        m_db.path(), QStringLiteral("record_link upsert"));
    if (!prepared)
        return prepared;
    q.addBindValue(link.module);
    q.addBindValue(link.zohoId);
    q.addBindValue(link.partyNumber);
    q.addBindValue(SqlUtil::text(link.partyId));
    q.addBindValue(SqlUtil::text(link.accountNumber));
    q.addBindValue(SqlUtil::text(link.etag));
    q.addBindValue(SqlUtil::text(link.payloadHash));
    q.addBindValue(SqlUtil::integer(link.mappingVersion));
    q.addBindValue(SqlUtil::text(link.zohoModifiedTime));
    q.addBindValue(SqlUtil::text(link.oracleLastUpdate));
    q.addBindValue(SqlUtil::integer(link.syncedAtMs));
    return SqlUtil::exec(q, m_db.path(), QStringLiteral("record_link upsert"));
}

Result<std::optional<RecordLink>> LinkStore::find(const QString& module, const QString& zohoId) const
{
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    const auto prepared = SqlUtil::prepare(
        q, QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM record_link WHERE module=? AND zoho_id=?"),
        m_db.path(), QStringLiteral("record_link lookup"));
    if (!prepared)
        return prepared.error();
    q.addBindValue(module);
    q.addBindValue(zohoId);
    if (const auto done = SqlUtil::exec(q, m_db.path(), QStringLiteral("record_link lookup")); !done)
        return done.error();
    if (!q.next())
        return std::optional<RecordLink>();
    return std::optional<RecordLink>(fromRow(q));
}

Result<QList<RecordLink>> LinkStore::findByPartyNumber(const QString& partyNumber) const
{
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    const auto prepared =
        SqlUtil::prepare(q,
                         QStringLiteral("SELECT ") + kColumns +
                             QStringLiteral(" FROM record_link WHERE party_number=? ORDER BY module, zoho_id"),
                         m_db.path(), QStringLiteral("record_link lookup by party number"));
    if (!prepared)
        return prepared.error();
    q.addBindValue(partyNumber);
    if (const auto done = SqlUtil::exec(q, m_db.path(), QStringLiteral("record_link lookup by party number")); !done)
        return done.error();
    QList<RecordLink> links;
    while (q.next())
        links << fromRow(q);
    return links;
}

Result<QList<RecordLink>> LinkStore::listByModule(const QString& module) const
{
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    const auto prepared = SqlUtil::prepare(
        q, QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM record_link WHERE module=? ORDER BY zoho_id"),
        m_db.path(), QStringLiteral("record_link list by module"));
    if (!prepared)
        return prepared.error();
    q.addBindValue(module);
    if (const auto done = SqlUtil::exec(q, m_db.path(), QStringLiteral("record_link list by module")); !done)
        return done.error();
    QList<RecordLink> links;
    while (q.next())
        links << fromRow(q);
    return links;
}

Result<bool> LinkStore::remove(const QString& module, const QString& zohoId)
{
    QSqlQuery q(m_db.connection());
    const auto prepared = SqlUtil::prepare(q, QStringLiteral("DELETE FROM record_link WHERE module=? AND zoho_id=?"),
                                           m_db.path(), QStringLiteral("record_link delete"));
    if (!prepared)
        return prepared.error();
    q.addBindValue(module);
    q.addBindValue(zohoId);
    if (const auto done = SqlUtil::exec(q, m_db.path(), QStringLiteral("record_link delete")); !done)
        return done.error();
    return q.numRowsAffected() > 0;
}

Result<qint64> LinkStore::count() const
{
    const auto n = SqlUtil::scalar(m_db.connection(), QStringLiteral("SELECT COUNT(*) FROM record_link"), m_db.path(),
                                   QStringLiteral("record_link count"));
    if (!n)
        return n.error();
    return n.value().toLongLong();
}

} // namespace Core
