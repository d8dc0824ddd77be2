#pragma once

#include "Result.h"
#include "audit/AuditEvent.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantList>

#include <optional>

class QIODevice;
class QSqlDatabase;

namespace Core {

class Clock;
class Database;
class ReadConnection;

// Which events to read. Every value is bound as a parameter, never spliced into SQL.
struct AuditFilter
{
    std::optional<qint64> fromMs; // ts >= fromMs
    std::optional<qint64> toMs;   // ts < toMs
    QStringList outcomes;         // any of these; empty: all
    QString module;
    QString source;
    QString zohoId;
    QString partyNumber;
    QString text;    // substring of reason, zoho_id or party_number (ASCII case-insensitive)
    int limit = 100; // page size for query(); <= 0: no limit. count() and exportTo() ignore paging.
    int offset = 0;
    std::optional<qint64> beforeId; // keyset paging: events after this one in newest-first order
};

// The audit trail: append-only (the code never UPDATEs audit_event; only prune() deletes), with filtered
// reads, CSV/JSONL export and retention. Writes run on the Database's owner thread. Reads take an
// optional ReadConnection; given one, they touch nothing else, so a reader thread can use them.
class AuditLog
{
public:
    enum class Format { Csv, Jsonl };
    static constexpr int kDefaultMaxPayloadBytes = 8 * 1024;

    explicit AuditLog(Database& db, const Clock* clock = nullptr);

    // Cap for request and response, in UTF-8 bytes; longer text is cut with "…[truncated N bytes]".
    void setMaxPayloadBytes(int bytes) { m_maxPayloadBytes = qMax(64, bytes); }
    int maxPayloadBytes() const { return m_maxPayloadBytes; }

    // Returns the new event's id. source, direction (to_oracle, to_zoho) and outcome (ok, failed, dead,
    // dry_run) are required.
    Result<qint64> append(const AuditEvent& event);
    // All or nothing, in one transaction. Returns how many were written.
    Result<int> appendMany(const QList<AuditEvent>& events);

    // Newest first (ts, then id, descending).
    Result<QList<AuditEvent>> query(const AuditFilter& filter, const ReadConnection* reader = nullptr) const;
    Result<qint64> count(const AuditFilter& filter, const ReadConnection* reader = nullptr) const;
    // Everything that happened to one Zoho record, oldest first.
    Result<QList<AuditEvent>>
    timeline(const QString& zohoId, int limit = 1000, const ReadConnection* reader = nullptr) const;
    // Streams every event matching the filter (paging ignored), newest first, row by row. Returns rows written.
    Result<qint64>
    exportTo(QIODevice& out, Format format, const AuditFilter& filter, const ReadConnection* reader = nullptr) const;
    // Retention: deletes events older than the given time in small batches; returns how many.
    Result<qint64> prune(qint64 olderThanMs);
    // EXPLAIN QUERY PLAN of query(filter), one line per step (diagnostics and tests).
    Result<QStringList> queryPlan(const AuditFilter& filter, const ReadConnection* reader = nullptr) const;

    static QString capText(const QString& text, int maxBytes);
    // One CSV cell: RFC 4180 quoting, and a leading apostrophe for text a spreadsheet would run as a
    // formula (starting with =, +, -, @, tab or carriage return).
    static QString csvCell(const QString& value);
    static QStringList columnNames();

private:
    struct Statement
    {
        QString sql;         // the whole SELECT, ordered (and paged when asked)
        QString where;       // just " WHERE …", or empty
        QVariantList values; // for sql; the where part's values come first
    };
    Result<Statement>
    selectStatement(const AuditFilter& filter, const QSqlDatabase& conn, const QString& file, bool paged) const;
    Result<int> insertAll(const QList<AuditEvent>& events, QList<qint64>* ids);

    Database& m_db;
    const Clock* m_clock;
    int m_maxPayloadBytes = kDefaultMaxPayloadBytes;
};

} // namespace Core
