#pragma once

#include "Result.h"

#include <QList>
#include <QString>
#include <QVariantList>

#include <optional>

namespace Core {

class Clock;
class Database;

// A Zoho notification channel per module (channel). token is the per-channel verification value Zoho
// echoes in each callback, not a user credential.
struct ChannelRecord
{
    QString module;
    QString channelId;
    QString token;
    QString events; // e.g. "Accounts.all", as sent to Zoho
    qint64 expiresAtMs = 0;
    QString state; // e.g. active, renewing, failed, disabled
    QString lastError;
    qint64 updatedAtMs = 0; // set by the store
};

class ChannelStore
{
public:
    explicit ChannelStore(Database& db, const Clock* clock = nullptr);

    Result<Ok> upsert(const ChannelRecord& channel);
    Result<std::optional<ChannelRecord>> find(const QString& module) const;
    Result<QList<ChannelRecord>> list() const;
    // Channels that expire before the given time, soonest first (for renewal).
    Result<QList<ChannelRecord>> expiringBefore(qint64 timeMs) const;
    Result<bool> remove(const QString& module);

private:
    Result<QList<ChannelRecord>> select(const QString& where, const QVariantList& values) const;

    Database& m_db;
    const Clock* m_clock;
};

} // namespace Core
