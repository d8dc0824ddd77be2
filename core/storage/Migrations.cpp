#include "storage/Migrations.h"

#include "storage/SqlUtil.h"

namespace Core {

Migration Migration::fromSql(int version, const QString& name, const QStringList& statements)
{
    Migration step;
    step.version = version;
    step.name = name;
    step.apply = [version, name, statements](const QSqlDatabase& db, const QString& file) -> Result<Ok> {
        for (const QString& sql : statements) {
            const auto done =
                SqlUtil::execSql(db, sql, file, QStringLiteral("migration %1 (%2)").arg(version).arg(name));
            if (!done)
                return done.error();
        }
        return Ok{};
    };
    return step;
}

namespace {

// Schema v1. Times are integers, milliseconds since the epoch in UTC; JSON goes in TEXT columns.
// Plain CREATE (not IF NOT EXISTS): an unexpected table of the same name must fail the migration
// rather than be silently accepted with the wrong shape.
QStringList schemaV1()
{
    return {
        // The persistent work queue. dedupe_key makes webhook/poll duplicates harmless.
        QStringLiteral("CREATE TABLE outbox ("
                       " id INTEGER PRIMARY KEY,"
                       " dedupe_key TEXT NOT NULL UNIQUE,"
                       " kind TEXT NOT NULL,"   // zoho_change, poll, replay, reverse
                       " source TEXT NOT NULL," // webhook, poll, replay, manual, reverse
                       " module TEXT,"
                       " record_id TEXT,"
                       " payload TEXT NOT NULL," // JSON
                       " state TEXT NOT NULL CHECK(state IN ('pending','running','done','failed','dead')),"
                       " attempts INTEGER NOT NULL DEFAULT 0,"
                       " next_attempt_at INTEGER NOT NULL,"
                       " reason_class TEXT," // auth, throttled, transient, invalid_data, conflict
                       " last_error TEXT,"
                       " mapping_version INTEGER,"
                       " created_at INTEGER NOT NULL,"
                       " updated_at INTEGER NOT NULL)"),
        QStringLiteral("CREATE INDEX idx_outbox_state_next ON outbox(state, next_attempt_at)"),
        QStringLiteral("CREATE INDEX idx_outbox_record ON outbox(module, record_id)"),

        // Append-only history: the code never UPDATEs it; only retention pruning deletes.
        QStringLiteral("CREATE TABLE audit_event ("
                       " id INTEGER PRIMARY KEY,"
                       " ts INTEGER NOT NULL,"
                       " source TEXT NOT NULL,"
                       " module TEXT,"
                       " zoho_id TEXT,"
                       " party_number TEXT,"
                       " direction TEXT NOT NULL," // to_oracle, to_zoho
                       " action TEXT,"             // create, update, unchanged, skip, fetch, writeback
                       " outcome TEXT NOT NULL,"   // ok, failed, dead, dry_run
                       " reason_class TEXT,"
                       " reason TEXT,"
                       " http_status INTEGER,"
                       " duration_ms INTEGER,"
                       " attempt INTEGER,"
                       " outbox_id INTEGER,"
                       " mapping_version INTEGER,"
                       " request TEXT," // redacted by the caller, size-capped by AuditLog
                       " response TEXT)"),
        // Each index ends in ts; SQLite appends the rowid, so "ORDER BY ts DESC, id DESC" needs no sort.
        QStringLiteral("CREATE INDEX idx_audit_ts ON audit_event(ts)"),
        QStringLiteral("CREATE INDEX idx_audit_zoho_ts ON audit_event(zoho_id, ts)"),
        QStringLiteral("CREATE INDEX idx_audit_party_ts ON audit_event(party_number, ts)"),
        QStringLiteral("CREATE INDEX idx_audit_outcome_ts ON audit_event(outcome, ts)"),
        QStringLiteral("CREATE INDEX idx_audit_module_ts ON audit_event(module, ts)"),
        QStringLiteral("CREATE INDEX idx_audit_source_ts ON audit_event(source, ts)"),

        QStringLiteral("CREATE TABLE record_link ("
                       " module TEXT NOT NULL,"
                       " zoho_id TEXT NOT NULL,"
                       " party_number TEXT NOT NULL,"
                       " party_id TEXT,"
                       " account_number TEXT,"
                       " etag TEXT,"
                       " payload_hash TEXT,"
                       " mapping_version INTEGER,"
                       " zoho_modified_time TEXT,"
                       " oracle_last_update TEXT,"
                       " synced_at INTEGER,"
                       " PRIMARY KEY(module, zoho_id))"),
        QStringLiteral("CREATE INDEX idx_record_link_party ON record_link(party_number)"),

        QStringLiteral("CREATE TABLE poll_cursor ("
                       " name TEXT PRIMARY KEY,"
                       " value TEXT NOT NULL,"
                       " updated_at INTEGER NOT NULL)"),

        // token: the per-channel verification value Zoho echoes back, not a user credential.
        QStringLiteral("CREATE TABLE channel ("
                       " module TEXT PRIMARY KEY,"
                       " channel_id TEXT NOT NULL,"
                       " token TEXT NOT NULL,"
                       " events TEXT NOT NULL,"
                       " expires_at INTEGER NOT NULL,"
                       " state TEXT NOT NULL,"
                       " last_error TEXT,"
                       " updated_at INTEGER NOT NULL)"),

        QStringLiteral("CREATE TABLE mapping_version ("
                       " version INTEGER PRIMARY KEY,"
                       " json TEXT NOT NULL,"
                       " created_at INTEGER NOT NULL,"
                       " note TEXT)"),

        // Zoho change events caused by our own write-backs, recognised by their modified time.
        QStringLiteral("CREATE TABLE writeback_echo ("
                       " module TEXT NOT NULL,"
                       " zoho_id TEXT NOT NULL,"
                       " modified_time TEXT NOT NULL,"
                       " fields TEXT,"
                       " created_at INTEGER NOT NULL,"
                       " PRIMARY KEY(module, zoho_id, modified_time))"),
    };
}

// Schema v2: the dashboard's figures.
QStringList schemaV2()
{
    return {
        // Counts per bucket of time read this index alone (direction by equality, ts as a range,
        // outcome and action from the index), never the rows with their payloads.
        QStringLiteral("CREATE INDEX idx_audit_direction_ts ON audit_event(direction, ts, outcome, action)"),
        // Zoho API credits this profile spent, per minute (minutes since the epoch), for the rolling
        // 24 h budget; remaining/observed_at: Zoho's X-API-CREDITS-REMAINING as last seen in that
        // minute, and how many calls we had counted in the window at that moment.
        QStringLiteral("CREATE TABLE zoho_credit ("
                       " minute INTEGER PRIMARY KEY,"
                       " used INTEGER NOT NULL DEFAULT 0,"
                       " remaining INTEGER,"
                       " observed_at INTEGER,"
                       " used_at_observation INTEGER)"),
        // Claims cut short by a crash or kill: not attempts, but a crash loop's tell.
        QStringLiteral("ALTER TABLE outbox ADD COLUMN interruptions INTEGER NOT NULL DEFAULT 0"),
    };
}

} // namespace

namespace Migrations {

QList<Migration> builtin()
{
    return {
        Migration::fromSql(1, QStringLiteral("initial schema"), schemaV1()),
        Migration::fromSql(2, QStringLiteral("dashboard statistics, Zoho credits, outbox interruptions"), schemaV2())};
}

} // namespace Migrations
} // namespace Core
