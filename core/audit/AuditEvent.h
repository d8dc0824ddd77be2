#pragma once

#include <QString>

#include <optional>

namespace Core {

// One row of the audit trail (audit_event): what the sync did to one record, and how it went.
// Times are milliseconds since the epoch, UTC. Empty strings and empty optionals are stored as NULL.
struct AuditEvent
{
    qint64 id = 0;   // set by the store
    qint64 tsMs = 0; // 0 on append: now
    QString source;  // webhook, poll, replay, manual, reverse
    QString module;
    QString zohoId;
    QString partyNumber;
    QString direction;   // to_oracle, to_zoho
    QString action;      // create, update, unchanged, skip, fetch, writeback
    QString outcome;     // ok, failed, dead, dry_run
    QString reasonClass; // auth, throttled, transient, invalid_data, conflict
    QString reason;
    std::optional<int> httpStatus;
    std::optional<qint64> durationMs;
    std::optional<int> attempt;
    std::optional<qint64> outboxId;
    std::optional<int> mappingVersion;
    QString request;  // already redacted by the caller; AuditLog caps its size
    QString response; // already redacted by the caller; AuditLog caps its size
};

} // namespace Core
