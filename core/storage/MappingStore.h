#pragma once

#include "Result.h"

#include <QList>
#include <QString>
#include <QVariantList>

#include <optional>

namespace Core {

class Clock;
class Database;

// One saved field mapping (mapping_version). Versions only grow; outbox rows and audit events refer to
// the version they were mapped with, so old versions are kept.
struct MappingVersion
{
    int version = 0;
    QString json;
    qint64 createdAtMs = 0;
    QString note;
};

class MappingStore
{
public:
    explicit MappingStore(Database& db, const Clock* clock = nullptr);

    // Saves json as the next version (1 for the first) and returns that number.
    Result<int> add(const QString& json, const QString& note = QString());
    Result<std::optional<MappingVersion>> get(int version) const;
    Result<std::optional<MappingVersion>> latest() const;
    Result<QList<MappingVersion>> list() const; // oldest first

private:
    Result<QList<MappingVersion>> select(const QString& tail, const QVariantList& values) const;

    Database& m_db;
    const Clock* m_clock;
};

} // namespace Core
