#pragma once

#include "Result.h"

#include <QList>
#include <QString>

#include <optional>

namespace Core {

class Clock;
class Database;

// Which Oracle party a Zoho record became, and what we last sent (record_link).
struct RecordLink
{
    QString module;
    QString zohoId;
    QString partyNumber;
    QString partyId;
    QString accountNumber;
    QString etag;
    QString payloadHash;
    std::optional<int> mappingVersion;
    QString zohoModifiedTime;
    QString oracleLastUpdate;
    std::optional<qint64> syncedAtMs; // null: never synced successfully
};

class LinkStore
{
public:
    explicit LinkStore(Database& db);

    // Inserts or replaces the link for (module, zohoId).
    Result<Ok> upsert(const RecordLink& link);
    Result<std::optional<RecordLink>> find(const QString& module, const QString& zohoId) const;
    Result<QList<RecordLink>> findByPartyNumber(const QString& partyNumber) const;
    Result<QList<RecordLink>> listByModule(const QString& module) const;
    Result<bool> remove(const QString& module, const QString& zohoId); // false: there was none
    Result<qint64> count() const;

private:
    Database& m_db;
};

} // namespace Core
