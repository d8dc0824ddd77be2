#include "audit/AuditLog.h"

#include "Clock.h"
#include "Logging.h"
#include "storage/Database.h"
#include "storage/SqlUtil.h"

#include <QDateTime>
#include <QIODevice>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>

namespace Core {

namespace {

const QString kColumns = QStringLiteral("id, ts, source, module, zoho_id, party_number, direction, action, outcome, "
                                        "reason_class, reason, http_status, duration_ms, attempt, outbox_id, "
                                        "mapping_version, request, response");

constexpr int kPruneBatch = 5000;

AuditEvent fromRow(const QSqlQuery& q)
{
    AuditEvent e;
    e.id = q.value(0).toLongLong();
    e.tsMs = q.value(1).toLongLong();
    e.source = q.value(2).toString();
    e.module = SqlUtil::optionalText(q.value(3));
    e.zohoId = SqlUtil::optionalText(q.value(4));
    e.partyNumber = SqlUtil::optionalText(q.value(5));
    e.direction = q.value(6).toString();
    e.action = SqlUtil::optionalText(q.value(7));
    e.outcome = q.value(8).toString();
    e.reasonClass = SqlUtil::optionalText(q.value(9));
    e.reason = SqlUtil::optionalText(q.value(10));
    if (const auto v = SqlUtil::optionalInteger(q.value(11)))
        e.httpStatus = static_cast<int>(*v);
    e.durationMs = SqlUtil::optionalInteger(q.value(12));
    if (const auto v = SqlUtil::optionalInteger(q.value(13)))
        e.attempt = static_cast<int>(*v);
    e.outboxId = SqlUtil::optionalInteger(q.value(14));
    if (const auto v = SqlUtil::optionalInteger(q.value(15)))
        e.mappingVersion = static_cast<int>(*v);
    e.request = SqlUtil::optionalText(q.value(16));
    e.response = SqlUtil::optionalText(q.value(17));
    return e;
}

// Empty strings are stored as NULL, so "no module" is one value, not two.
QVariant textOrNull(const QString& value)
{
    return value.isEmpty() ? QVariant(QMetaType::fromType<QString>()) : QVariant(value);
}

QString escapeLike(const QString& text)
{
    QString escaped;
    escaped.reserve(text.size() + 8);
    for (const QChar c : text) {
        if (c == QLatin1Char('\\') || c == QLatin1Char('%') || c == QLatin1Char('_'))
            escaped += QLatin1Char('\\');
        escaped += c;
    }
    return escaped;
}

QString isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs);
}

QString optionalNumber(const std::optional<qint64>& v)
{
    return v ? QString::number(*v) : QString();
}

QJsonValue jsonText(const QString& s)
{
    return s.isNull() ? QJsonValue(QJsonValue::Null) : QJsonValue(s);
}

QJsonValue jsonNumber(const std::optional<qint64>& v)
{
    return v ? QJsonValue(static_cast<qint64>(*v)) : QJsonValue(QJsonValue::Null);
}

} // namespace

AuditLog::AuditLog(Database& db, const Clock* clock)
    : m_db(db)
    , m_clock(clock ? clock : SystemClock::instance())
{ }

QStringList AuditLog::columnNames()
{
    return {QStringLiteral("id"),
            QStringLiteral("ts"),
            QStringLiteral("time_utc"),
            QStringLiteral("source"),
            QStringLiteral("module"),
            QStringLiteral("zoho_id"),
            QStringLiteral("party_number"),
            QStringLiteral("direction"),
            QStringLiteral("action"),
            QStringLiteral("outcome"),
            QStringLiteral("reason_class"),
            QStringLiteral("reason"),
            QStringLiteral("http_status"),
            QStringLiteral("duration_ms"),
            QStringLiteral("attempt"),
            QStringLiteral("outbox_id"),
            QStringLiteral("mapping_version"),
            QStringLiteral("request"),
            QStringLiteral("response")};
}

QString AuditLog::capText(const QString& text, int maxBytes)
{
    const QByteArray utf8 = text.toUtf8();
    if (utf8.size() <= maxBytes)
        return text;
    int cut = qMax(0, maxBytes);
    // Never split a UTF-8 sequence: back up to the start of the character that would be cut.
    while (cut > 0 && (static_cast<uchar>(utf8.at(cut)) & 0xC0) == 0x80)
        --cut;
    return QString::fromUtf8(utf8.constData(), cut) + QStringLiteral("…[truncated %1 bytes]").arg(utf8.size() - cut);
}

QString AuditLog::csvCell(const QString& value)
{
    QString cell = value;
    if (!cell.isEmpty()) {
        const QChar first = cell.at(0);
        if (first == QLatin1Char('=') || first == QLatin1Char('+') || first == QLatin1Char('-') ||
            first == QLatin1Char('@') || first == QLatin1Char('\t') || first == QLatin1Char('\r'))
            cell.prepend(QLatin1Char('\''));
    }
    const bool quote = cell.contains(QLatin1Char(',')) || cell.contains(QLatin1Char('"')) ||
                       cell.contains(QLatin1Char('\n')) || cell.contains(QLatin1Char('\r'));
    if (!quote)
        return cell;
    cell.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + cell + QLatin1Char('"');
}

Result<int> AuditLog::insertAll(const QList<AuditEvent>& events, QList<qint64>* ids)
{
    static const QStringList directions{QStringLiteral("to_oracle"), QStringLiteral("to_zoho")};
    static const QStringList outcomes{QStringLiteral("ok"), QStringLiteral("failed"), QStringLiteral("dead"),
                                      QStringLiteral("dry_run")};
    for (const AuditEvent& e : events) {
        if (e.source.isEmpty())
            return Error(Error::Kind::InvalidInput, QStringLiteral("An audit event needs a source"));
        if (!directions.contains(e.direction))
            return Error(Error::Kind::InvalidInput, QStringLiteral("Unknown audit direction \"%1\"").arg(e.direction));
        if (!outcomes.contains(e.outcome))
            return Error(Error::Kind::InvalidInput, QStringLiteral("Unknown audit outcome \"%1\"").arg(e.outcome));
    }

    const qint64 now = m_clock->now().toMSecsSinceEpoch();
    const auto done = m_db.transaction([&]() -> Result<Ok> {
        QSqlQuery q(m_db.connection());
        // Prepared once and re-bound per row: bursts and bulk loads stay cheap.
        const auto prepared = SqlUtil::prepare(q,
                                               QStringLiteral("INSERT INTO audit_event(ts, source, module, zoho_id, "
                                                              "party_number, direction, action, outcome, reason_class, "
                                                              "reason, http_status, duration_ms, attempt, outbox_id, "
                                                              "mapping_version, request, response) "
                                                              "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"),
                                               m_db.path(), QStringLiteral("audit_event append"));
        if (!prepared)
            return prepared;
        for (const AuditEvent& e : events) {
            q.bindValue(0, e.tsMs > 0 ? e.tsMs : now);
            q.bindValue(1, e.source);
            q.bindValue(2, textOrNull(e.module));
            q.bindValue(3, textOrNull(e.zohoId));
            q.bindValue(4, textOrNull(e.partyNumber));
            q.bindValue(5, e.direction);
            q.bindValue(6, textOrNull(e.action));
            q.bindValue(7, e.outcome);
            q.bindValue(8, textOrNull(e.reasonClass));
            q.bindValue(9, textOrNull(e.reason));
            q.bindValue(10, SqlUtil::integer(e.httpStatus));
            q.bindValue(11, SqlUtil::integer(e.durationMs));
            q.bindValue(12, SqlUtil::integer(e.attempt));
            q.bindValue(13, SqlUtil::integer(e.outboxId));
            q.bindValue(14, SqlUtil::integer(e.mappingVersion));
            q.bindValue(15, textOrNull(capText(e.request, m_maxPayloadBytes)));
            q.bindValue(16, textOrNull(capText(e.response, m_maxPayloadBytes)));
            if (const auto inserted = SqlUtil::exec(q, m_db.path(), QStringLiteral("audit_event append")); !inserted)
                return inserted;
            if (ids)
                *ids << q.lastInsertId().toLongLong();
        }
        return Ok{};
    });
    if (!done)
        return done.error();
    return static_cast<int>(events.size());
}

Result<qint64> AuditLog::append(const AuditEvent& event)
{
    QList<qint64> ids;
    const auto done = insertAll({event}, &ids);
    if (!done)
        return done.error();
    return ids.value(0);
}

Result<int> AuditLog::appendMany(const QList<AuditEvent>& events)
{
    return insertAll(events, nullptr);
}

Result<AuditLog::Statement>
AuditLog::selectStatement(const AuditFilter& f, const QSqlDatabase& conn, const QString& file, bool paged) const
{
    // The SQL text is assembled only from the constant fragments below; every value is a bound "?".
    QStringList where;
    QVariantList values;
    if (f.fromMs) {
        where << QStringLiteral("ts >= ?");
        values << *f.fromMs;
    }
    if (f.toMs) {
        where << QStringLiteral("ts < ?");
        values << *f.toMs;
    }
    if (f.outcomes.size() == 1) {
        where << QStringLiteral("outcome = ?");
        values << f.outcomes.first();
    } else if (f.outcomes.size() > 1) {
        QStringList marks;
        for (const QString& outcome : f.outcomes) {
            marks << QStringLiteral("?");
            values << outcome;
        }
        where << QStringLiteral("outcome IN (") + marks.join(QLatin1Char(',')) + QLatin1Char(')');
    }
    const auto equals = [&](const QString& column, const QString& value) {
        if (value.isEmpty())
            return;
        where << column + QStringLiteral(" = ?");
        values << value;
    };
    equals(QStringLiteral("module"), f.module);
    equals(QStringLiteral("source"), f.source);
    equals(QStringLiteral("zoho_id"), f.zohoId);
    equals(QStringLiteral("party_number"), f.partyNumber);
    if (!f.text.isEmpty()) {
        const QString pattern = QLatin1Char('%') + escapeLike(f.text) + QLatin1Char('%');
        where << QStringLiteral(
            "(reason LIKE ? ESCAPE '\\' OR zoho_id LIKE ? ESCAPE '\\' OR party_number LIKE ? ESCAPE '\\')");
        values << pattern << pattern << pattern;
    }
    if (paged && f.beforeId) {
        // Keyset paging in (ts, id) order. The anchor's ts is looked up once; if the anchor was pruned,
        // id order is the best remaining guess.
        QSqlQuery anchor(conn);
        anchor.setForwardOnly(true);
        const auto found = SqlUtil::run(anchor, QStringLiteral("SELECT ts FROM audit_event WHERE id = ?"),
                                        {*f.beforeId}, file, QStringLiteral("audit_event page anchor"));
        if (!found)
            return found.error();
        if (anchor.next()) {
            const qint64 ts = anchor.value(0).toLongLong();
            where << QStringLiteral("ts <= ? AND (ts < ? OR id < ?)");
            values << ts << ts << *f.beforeId;
        } else {
            where << QStringLiteral("id < ?");
            values << *f.beforeId;
        }
    }

    Statement st;
    if (!where.isEmpty())
        st.where = QStringLiteral(" WHERE ") + where.join(QStringLiteral(" AND "));
    st.sql = QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM audit_event") + st.where +
             QStringLiteral(" ORDER BY ts DESC, id DESC");
    if (paged && (f.limit > 0 || f.offset > 0)) {
        st.sql += QStringLiteral(" LIMIT ? OFFSET ?");
        values << (f.limit > 0 ? f.limit : -1) << qMax(0, f.offset);
    }
    st.values = values;
    return st;
}

Result<QList<AuditEvent>> AuditLog::query(const AuditFilter& filter, const ReadConnection* reader) const
{
    const QSqlDatabase conn = reader ? reader->database() : m_db.connection();
    const QString file = reader ? reader->path() : m_db.path();
    const auto st = selectStatement(filter, conn, file, true);
    if (!st)
        return st.error();
    QSqlQuery q(conn);
    q.setForwardOnly(true);
    const auto done = SqlUtil::run(q, st.value().sql, st.value().values, file, QStringLiteral("audit_event query"));
    if (!done)
        return done.error();
    QList<AuditEvent> events;
    while (q.next())
        events << fromRow(q);
    if (q.lastError().isValid())
        return SqlUtil::error(file, QStringLiteral("audit_event query"), q.lastError());
    return events;
}

Result<qint64> AuditLog::count(const AuditFilter& filter, const ReadConnection* reader) const
{
    const QSqlDatabase conn = reader ? reader->database() : m_db.connection();
    const QString file = reader ? reader->path() : m_db.path();
    const auto st = selectStatement(filter, conn, file, false);
    if (!st)
        return st.error();
    QSqlQuery q(conn);
    q.setForwardOnly(true);
    // Straight from the index that serves the filter; no row is read for an indexed filter.
    const QString sql = QStringLiteral("SELECT COUNT(*) FROM audit_event") + st.value().where;
    const auto done = SqlUtil::run(q, sql, st.value().values, file, QStringLiteral("audit_event count"));
    if (!done)
        return done.error();
    if (!q.next())
        return SqlUtil::error(file, QStringLiteral("audit_event count"), q.lastError());
    return q.value(0).toLongLong();
}

Result<QList<AuditEvent>> AuditLog::timeline(const QString& zohoId, int limit, const ReadConnection* reader) const
{
    const QSqlDatabase conn = reader ? reader->database() : m_db.connection();
    const QString file = reader ? reader->path() : m_db.path();
    QSqlQuery q(conn);
    q.setForwardOnly(true);
    const auto done = SqlUtil::run(q,
                                   QStringLiteral("SELECT ") + kColumns +
                                       QStringLiteral(" FROM audit_event WHERE zoho_id = ? ORDER BY ts, id LIMIT ?"),
                                   {zohoId, limit > 0 ? limit : -1}, file, QStringLiteral("audit_event timeline"));
    if (!done)
        return done.error();
    QList<AuditEvent> events;
    while (q.next())
        events << fromRow(q);
    return events;
}

Result<qint64>
AuditLog::exportTo(QIODevice& out, Format format, const AuditFilter& filter, const ReadConnection* reader) const
{
    if (!out.isOpen() || !out.isWritable())
        return Error(Error::Kind::InvalidInput, QStringLiteral("The export target is not open for writing"));
    const QSqlDatabase conn = reader ? reader->database() : m_db.connection();
    const QString file = reader ? reader->path() : m_db.path();
    const auto st = selectStatement(filter, conn, file, false);
    if (!st)
        return st.error();

    const auto write = [&out](const QByteArray& bytes) -> Result<Ok> {
        if (out.write(bytes) != bytes.size())
            return Error(Error::Kind::Storage,
                         QStringLiteral("Writing the audit export failed: %1").arg(out.errorString()));
        return Ok{};
    };

    if (format == Format::Csv) {
        QStringList header = columnNames();
        if (const auto w = write(header.join(QLatin1Char(',')).toUtf8() + "\r\n"); !w)
            return w.error();
    }

    QSqlQuery q(conn);
    q.setForwardOnly(true); // stream: one row in memory at a time
    const auto done = SqlUtil::run(q, st.value().sql, st.value().values, file, QStringLiteral("audit_event export"));
    if (!done)
        return done.error();
    qint64 rows = 0;
    while (q.next()) {
        const AuditEvent e = fromRow(q);
        QByteArray line;
        if (format == Format::Csv) {
            const QStringList cells{QString::number(e.id),
                                    QString::number(e.tsMs),
                                    isoTime(e.tsMs),
                                    e.source,
                                    e.module,
                                    e.zohoId,
                                    e.partyNumber,
                                    e.direction,
                                    e.action,
                                    e.outcome,
                                    e.reasonClass,
                                    e.reason,
                                    optionalNumber(e.httpStatus),
                                    optionalNumber(e.durationMs),
                                    optionalNumber(e.attempt),
                                    optionalNumber(e.outboxId),
                                    optionalNumber(e.mappingVersion),
                                    e.request,
                                    e.response};
            QStringList escaped;
            escaped.reserve(cells.size());
            for (const QString& cell : cells)
                escaped << csvCell(cell);
            line = escaped.join(QLatin1Char(',')).toUtf8() + "\r\n";
        } else {
            QJsonObject o;
            o.insert(QStringLiteral("id"), e.id);
            o.insert(QStringLiteral("ts"), e.tsMs);
            o.insert(QStringLiteral("time_utc"), isoTime(e.tsMs));
            o.insert(QStringLiteral("source"), e.source);
            o.insert(QStringLiteral("module"), jsonText(e.module));
            o.insert(QStringLiteral("zoho_id"), jsonText(e.zohoId));
            o.insert(QStringLiteral("party_number"), jsonText(e.partyNumber));
            o.insert(QStringLiteral("direction"), e.direction);
            o.insert(QStringLiteral("action"), jsonText(e.action));
            o.insert(QStringLiteral("outcome"), e.outcome);
            o.insert(QStringLiteral("reason_class"), jsonText(e.reasonClass));
            o.insert(QStringLiteral("reason"), jsonText(e.reason));
            o.insert(QStringLiteral("http_status"), jsonNumber(e.httpStatus));
            o.insert(QStringLiteral("duration_ms"), jsonNumber(e.durationMs));
            o.insert(QStringLiteral("attempt"), jsonNumber(e.attempt));
            o.insert(QStringLiteral("outbox_id"), jsonNumber(e.outboxId));
            o.insert(QStringLiteral("mapping_version"), jsonNumber(e.mappingVersion));
            o.insert(QStringLiteral("request"), jsonText(e.request));
            o.insert(QStringLiteral("response"), jsonText(e.response));
            line = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
        }
        if (const auto w = write(line); !w)
            return w.error();
        ++rows;
    }
    if (q.lastError().isValid())
        return SqlUtil::error(file, QStringLiteral("audit_event export"), q.lastError());
    return rows;
}

Result<qint64> AuditLog::prune(qint64 olderThanMs)
{
    // Small batches, each its own short transaction, so a large retention cut never blocks for long.
    qint64 removed = 0;
    for (;;) {
        QSqlQuery q(m_db.connection());
        const auto done = SqlUtil::run(q,
                                       QStringLiteral("DELETE FROM audit_event WHERE id IN "
                                                      "(SELECT id FROM audit_event WHERE ts < ? LIMIT ?)"),
                                       {olderThanMs, kPruneBatch}, m_db.path(), QStringLiteral("audit_event prune"));
        if (!done)
            return done.error();
        const int n = q.numRowsAffected();
        removed += n;
        if (n < kPruneBatch)
            break;
    }
    if (removed > 0)
        qCInfo(lcDb) << "Audit retention removed" << removed << "events older than" << isoTime(olderThanMs);
    return removed;
}

Result<QStringList> AuditLog::queryPlan(const AuditFilter& filter, const ReadConnection* reader) const
{
    const QSqlDatabase conn = reader ? reader->database() : m_db.connection();
    const QString file = reader ? reader->path() : m_db.path();
    const auto st = selectStatement(filter, conn, file, true);
    if (!st)
        return st.error();
    QSqlQuery q(conn);
    q.setForwardOnly(true);
    const auto done = SqlUtil::run(q, QStringLiteral("EXPLAIN QUERY PLAN ") + st.value().sql, st.value().values, file,
                                   QStringLiteral("audit_event query plan"));
    if (!done)
        return done.error();
    QStringList plan;
    while (q.next())
        plan << q.value(3).toString();
    return plan;
}

} // namespace Core
