#include "sync/OutboxStore.h"

#include "Clock.h"
#include "Logging.h"
#include "storage/Database.h"
#include "storage/SqlUtil.h"

#include <QSqlQuery>

namespace Core {

namespace {

const QString kColumns = QStringLiteral("id, dedupe_key, kind, source, module, record_id, payload, state, attempts, "
                                        "next_attempt_at, reason_class, last_error, mapping_version, created_at, "
                                        "updated_at");

// Error texts from remote systems can be long; the row keeps enough to diagnose.
constexpr int kMaxErrorChars = 4000;

QString capError(const QString& message)
{
    if (message.size() <= kMaxErrorChars)
        return message;
    return message.left(kMaxErrorChars) + QStringLiteral("…[truncated]");
}

OutboxItem fromRow(const QSqlQuery& q)
{
    OutboxItem item;
    item.id = q.value(0).toLongLong();
    item.dedupeKey = q.value(1).toString();
    item.kind = q.value(2).toString();
    item.source = q.value(3).toString();
    item.module = SqlUtil::optionalText(q.value(4));
    item.recordId = SqlUtil::optionalText(q.value(5));
    item.payload = q.value(6).toString();
    item.state = OutboxItem::stateFromName(q.value(7).toString()).value_or(OutboxItem::State::Pending);
    item.attempts = q.value(8).toInt();
    item.nextAttemptAtMs = q.value(9).toLongLong();
    item.reasonClass = SqlUtil::optionalText(q.value(10));
    item.lastError = SqlUtil::optionalText(q.value(11));
    if (const auto v = SqlUtil::optionalInteger(q.value(12)))
        item.mappingVersion = static_cast<int>(*v);
    item.createdAtMs = q.value(13).toLongLong();
    item.updatedAtMs = q.value(14).toLongLong();
    return item;
}

} // namespace

QString OutboxItem::stateName(State state)
{
    switch (state) {
    case State::Pending:
        return QStringLiteral("pending");
    case State::Running:
        return QStringLiteral("running");
    case State::Done:
        return QStringLiteral("done");
    case State::Failed:
        return QStringLiteral("failed");
    case State::Dead:
        return QStringLiteral("dead");
    }
    return QStringLiteral("pending");
}

std::optional<OutboxItem::State> OutboxItem::stateFromName(const QString& name)
{
    for (State s : {State::Pending, State::Running, State::Done, State::Failed, State::Dead}) {
        if (stateName(s) == name)
            return s;
    }
    return std::nullopt;
}

bool OutboxStore::isKnownKind(const QString& kind)
{
    static const QStringList known{QStringLiteral("zoho_change"), QStringLiteral("poll"), QStringLiteral("replay"),
                                   QStringLiteral("reverse")};
    return known.contains(kind);
}

bool OutboxStore::isKnownSource(const QString& source)
{
    static const QStringList known{QStringLiteral("webhook"), QStringLiteral("poll"), QStringLiteral("replay"),
                                   QStringLiteral("manual"), QStringLiteral("reverse")};
    return known.contains(source);
}

bool OutboxStore::isKnownReasonClass(const QString& reasonClass)
{
    static const QStringList known{QStringLiteral("auth"), QStringLiteral("throttled"), QStringLiteral("transient"),
                                   QStringLiteral("invalid_data"), QStringLiteral("conflict")};
    return known.contains(reasonClass);
}

OutboxStore::OutboxStore(Database& db, const Clock* clock, int maxAttempts)
    : m_db(db)
    , m_clock(clock ? clock : SystemClock::instance())
    , m_maxAttempts(qMax(1, maxAttempts))
{ }

void OutboxStore::setMaxAttempts(int maxAttempts)
{
    m_maxAttempts = qMax(1, maxAttempts);
}

qint64 OutboxStore::nowMs() const
{
    return m_clock->now().toMSecsSinceEpoch();
}

Result<EnqueueOutcome> OutboxStore::insert(const OutboxItem& item, qint64 now)
{
    if (item.dedupeKey.isEmpty())
        return Error(Error::Kind::InvalidInput, QStringLiteral("An outbox item needs a dedupe key"));
    if (!isKnownKind(item.kind))
        return Error(Error::Kind::InvalidInput, QStringLiteral("Unknown outbox kind \"%1\"").arg(item.kind));
    if (!isKnownSource(item.source))
        return Error(Error::Kind::InvalidInput, QStringLiteral("Unknown outbox source \"%1\"").arg(item.source));

    QSqlQuery q(m_db.connection());
    // ON CONFLICT on the dedupe key only: unlike INSERT OR IGNORE it does not swallow CHECK/NOT NULL errors.
    const auto inserted = SqlUtil::run(
        q,
        QStringLiteral("INSERT INTO outbox(dedupe_key, kind, source, module, record_id, payload, state, attempts, "
                       "next_attempt_at, mapping_version, created_at, updated_at) "
                       "VALUES(?,?,?,?,?,?,'pending',0,?,?,?,?) ON CONFLICT(dedupe_key) DO NOTHING"),
        {item.dedupeKey, item.kind, item.source, SqlUtil::text(item.module), SqlUtil::text(item.recordId),
         item.payload.isEmpty() ? QStringLiteral("{}") : item.payload,
         item.nextAttemptAtMs > 0 ? item.nextAttemptAtMs : now, SqlUtil::integer(item.mappingVersion), now, now},
        m_db.path(), QStringLiteral("outbox enqueue"));
    if (!inserted)
        return inserted.error();

    EnqueueOutcome outcome;
    if (q.numRowsAffected() > 0) {
        outcome.id = q.lastInsertId().toLongLong();
        return outcome;
    }
    QSqlQuery existing(m_db.connection());
    existing.setForwardOnly(true);
    const auto found = SqlUtil::run(existing, QStringLiteral("SELECT id, state FROM outbox WHERE dedupe_key=?"),
                                    {item.dedupeKey}, m_db.path(), QStringLiteral("outbox enqueue"));
    if (!found)
        return found.error();
    if (!existing.next())
        return Error(Error::Kind::Storage, QStringLiteral("outbox enqueue: the row for a duplicate key vanished"));
    outcome.id = existing.value(0).toLongLong();
    outcome.duplicate = true;
    outcome.state = OutboxItem::stateFromName(existing.value(1).toString()).value_or(OutboxItem::State::Pending);
    return outcome;
}

Result<EnqueueOutcome> OutboxStore::enqueue(const OutboxItem& item)
{
    const auto many = enqueueMany({item});
    if (!many)
        return many.error();
    return many.value().first();
}

Result<QList<EnqueueOutcome>> OutboxStore::enqueueMany(const QList<OutboxItem>& items)
{
    QList<EnqueueOutcome> outcomes;
    const qint64 now = nowMs();
    const auto done = m_db.transaction([&]() -> Result<Ok> {
        for (const OutboxItem& item : items) {
            const auto one = insert(item, now);
            if (!one)
                return one.error();
            outcomes << one.value();
        }
        return Ok{};
    });
    if (!done)
        return done.error();
    return outcomes;
}

Result<QList<OutboxItem>> OutboxStore::claimDue(int max, qint64 dueBeforeMs)
{
    QList<OutboxItem> claimed;
    if (max <= 0)
        return claimed;
    const qint64 now = nowMs();
    // One write transaction: the select and the state change cannot interleave with another claim.
    const auto done = m_db.transaction([&]() -> Result<Ok> {
        const auto due = select(QStringLiteral("WHERE state='pending' AND next_attempt_at <= ? "
                                               "ORDER BY next_attempt_at, id LIMIT ?"),
                                {dueBeforeMs, max});
        if (!due)
            return due.error();
        QSqlQuery q(m_db.connection());
        const auto prepared = SqlUtil::prepare(
            q, QStringLiteral("UPDATE outbox SET state='running', attempts=attempts+1, updated_at=? WHERE id=?"),
            m_db.path(), QStringLiteral("outbox claim"));
        if (!prepared)
            return prepared;
        for (OutboxItem item : due.value()) {
            q.bindValue(0, now);
            q.bindValue(1, item.id);
            if (const auto updated = SqlUtil::exec(q, m_db.path(), QStringLiteral("outbox claim")); !updated)
                return updated;
            item.state = OutboxItem::State::Running;
            item.attempts += 1;
            item.updatedAtMs = now;
            claimed << item;
        }
        return Ok{};
    });
    if (!done)
        return done.error();
    return claimed;
}

Result<Ok> OutboxStore::explainMiss(qint64 id, const QString& expected) const
{
    const auto row = get(id);
    if (!row)
        return row.error();
    return Error(
        Error::Kind::Conflict,
        QStringLiteral("Outbox item %1 is %2, not %3").arg(id).arg(OutboxItem::stateName(row.value().state), expected));
}

Result<Ok> OutboxStore::complete(qint64 id)
{
    QSqlQuery q(m_db.connection());
    const auto done =
        SqlUtil::run(q, QStringLiteral("UPDATE outbox SET state='done', updated_at=? WHERE id=? AND state='running'"),
                     {nowMs(), id}, m_db.path(), QStringLiteral("outbox complete"));
    if (!done)
        return done;
    if (q.numRowsAffected() == 0)
        return explainMiss(id, QStringLiteral("running"));
    return Ok{};
}

Result<OutboxItem::State>
OutboxStore::fail(qint64 id, const QString& reasonClass, const QString& message, qint64 nextAttemptAtMs)
{
    if (!isKnownReasonClass(reasonClass))
        return Error(Error::Kind::InvalidInput, QStringLiteral("Unknown reason class \"%1\"").arg(reasonClass));
    OutboxItem::State state = OutboxItem::State::Pending;
    const auto done = m_db.transaction([&]() -> Result<Ok> {
        QSqlQuery q(m_db.connection());
        // attempts was counted by claimDue, so the attempt that just failed is included.
        const auto updated =
            SqlUtil::run(q,
                         QStringLiteral("UPDATE outbox SET state=CASE WHEN attempts >= ? THEN 'dead' ELSE "
                                        "'pending' END, reason_class=?, last_error=?, next_attempt_at=?, "
                                        "updated_at=? WHERE id=? AND state='running'"),
                         {m_maxAttempts, reasonClass, capError(message), nextAttemptAtMs, nowMs(), id}, m_db.path(),
                         QStringLiteral("outbox fail"));
        if (!updated)
            return updated;
        if (q.numRowsAffected() == 0)
            return explainMiss(id, QStringLiteral("running"));
        const auto row = get(id);
        if (!row)
            return row.error();
        state = row.value().state;
        return Ok{};
    });
    if (!done)
        return done.error();
    if (state == OutboxItem::State::Dead)
        qCWarning(lcDb) << "Outbox item" << id << "dead-lettered after" << m_maxAttempts << "attempts:" << reasonClass;
    return state;
}

Result<Ok> OutboxStore::postpone(qint64 id, const QString& reason, qint64 nextAttemptAtMs)
{
    QSqlQuery q(m_db.connection());
    const auto done =
        SqlUtil::run(q,
                     QStringLiteral("UPDATE outbox SET state='pending', attempts=MAX(attempts-1,0), last_error=?, "
                                    "next_attempt_at=?, updated_at=? WHERE id=? AND state='running'"),
                     {capError(reason), nextAttemptAtMs, nowMs(), id}, m_db.path(), QStringLiteral("outbox postpone"));
    if (!done)
        return done;
    if (q.numRowsAffected() == 0)
        return explainMiss(id, QStringLiteral("running"));
    return Ok{};
}

Result<Ok> OutboxStore::failPermanently(qint64 id, const QString& reasonClass, const QString& message)
{
    if (!isKnownReasonClass(reasonClass))
        return Error(Error::Kind::InvalidInput, QStringLiteral("Unknown reason class \"%1\"").arg(reasonClass));
    QSqlQuery q(m_db.connection());
    const auto done = SqlUtil::run(
        q,
        QStringLiteral("UPDATE outbox SET state='failed', reason_class=?, last_error=?, updated_at=? "
                       "WHERE id=? AND state IN ('pending','running')"),
        {reasonClass, capError(message), nowMs(), id}, m_db.path(), QStringLiteral("outbox fail permanently"));
    if (!done)
        return done;
    if (q.numRowsAffected() == 0)
        return explainMiss(id, QStringLiteral("pending or running"));
    return Ok{};
}

Result<int> OutboxStore::resumeInterrupted()
{
    int resumed = 0;
    const qint64 now = nowMs();
    const auto done = m_db.transaction([&]() -> Result<Ok> {
        QSqlQuery q(m_db.connection());
        auto run = SqlUtil::run(q,
                                QStringLiteral("SELECT module, record_id, interruptions+1 FROM outbox "
                                               "WHERE state='running' AND interruptions+1>=?"),
                                {kWarnInterruptions}, m_db.path(), QStringLiteral("outbox resume"));
        if (!run)
            return run;
        while (q.next())
            qCWarning(lcDb).noquote() << "The sync stopped" << q.value(2).toInt() << "times while"
                                      << q.value(0).toString() << q.value(1).toString()
                                      << "was in hand: if it keeps crashing, look at this record";
        run = SqlUtil::run(q,
                           QStringLiteral("UPDATE outbox SET state='pending', attempts=MAX(attempts-1,0), "
                                          "interruptions=interruptions+1, updated_at=? WHERE state='running'"),
                           {now}, m_db.path(), QStringLiteral("outbox resume"));
        resumed = q.numRowsAffected();
        return run;
    });
    if (!done)
        return done.error();
    if (resumed > 0)
        qCInfo(lcDb) << "Resumed" << resumed << "outbox items interrupted by the last shutdown";
    return resumed;
}

Result<int> OutboxStore::requeue(const QList<qint64>& ids)
{
    int requeued = 0;
    const qint64 now = nowMs();
    const auto done = m_db.transaction([&]() -> Result<Ok> {
        QSqlQuery q(m_db.connection());
        const auto prepared =
            SqlUtil::prepare(q,
                             QStringLiteral("UPDATE outbox SET state='pending', attempts=0, next_attempt_at=?, "
                                            "updated_at=? WHERE id=? AND state IN ('failed','dead')"),
                             m_db.path(), QStringLiteral("outbox requeue"));
        if (!prepared)
            return prepared;
        for (qint64 id : ids) {
            q.bindValue(0, now);
            q.bindValue(1, now);
            q.bindValue(2, id);
            if (const auto updated = SqlUtil::exec(q, m_db.path(), QStringLiteral("outbox requeue")); !updated)
                return updated;
            requeued += q.numRowsAffected();
        }
        return Ok{};
    });
    if (!done)
        return done.error();
    return requeued;
}

Result<int> OutboxStore::requeueAllFailed()
{
    const qint64 now = nowMs();
    QSqlQuery q(m_db.connection());
    const auto done =
        SqlUtil::run(q,
                     QStringLiteral("UPDATE outbox SET state='pending', attempts=0, next_attempt_at=?, updated_at=? "
                                    "WHERE state IN ('failed','dead')"),
                     {now, now}, m_db.path(), QStringLiteral("outbox requeue"));
    if (!done)
        return done.error();
    return q.numRowsAffected();
}

Result<OutboxCounts> OutboxStore::counts() const
{
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    const auto done = SqlUtil::run(q, QStringLiteral("SELECT state, COUNT(*) FROM outbox GROUP BY state"), {},
                                   m_db.path(), QStringLiteral("outbox counts"));
    if (!done)
        return done.error();
    OutboxCounts counts;
    while (q.next()) {
        const qint64 n = q.value(1).toLongLong();
        switch (OutboxItem::stateFromName(q.value(0).toString()).value_or(OutboxItem::State::Pending)) {
        case OutboxItem::State::Pending:
            counts.pending = n;
            break;
        case OutboxItem::State::Running:
            counts.running = n;
            break;
        case OutboxItem::State::Done:
            counts.done = n;
            break;
        case OutboxItem::State::Failed:
            counts.failed = n;
            break;
        case OutboxItem::State::Dead:
            counts.dead = n;
            break;
        }
    }
    return counts;
}

Result<std::optional<qint64>> OutboxStore::nextDueAtMs() const
{
    const auto v = SqlUtil::scalar(m_db.connection(),
                                   QStringLiteral("SELECT MIN(next_attempt_at) FROM outbox WHERE state='pending'"),
                                   m_db.path(), QStringLiteral("outbox next due"));
    if (!v)
        return v.error();
    return SqlUtil::optionalInteger(v.value());
}

Result<QList<OutboxItem>> OutboxStore::select(const QString& tail, const QVariantList& values) const
{
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    const auto done = SqlUtil::run(q, QStringLiteral("SELECT ") + kColumns + QStringLiteral(" FROM outbox ") + tail,
                                   values, m_db.path(), QStringLiteral("outbox read"));
    if (!done)
        return done.error();
    QList<OutboxItem> items;
    while (q.next())
        items << fromRow(q);
    return items;
}

Result<OutboxItem> OutboxStore::get(qint64 id) const
{
    const auto rows = select(QStringLiteral("WHERE id=?"), {id});
    if (!rows)
        return rows.error();
    if (rows.value().isEmpty())
        return Error(Error::Kind::NotFound, QStringLiteral("Outbox item %1 does not exist").arg(id));
    return rows.value().first();
}

Result<QList<OutboxItem>> OutboxStore::listByState(OutboxItem::State state, int limit, int offset) const
{
    const bool queued = state == OutboxItem::State::Pending || state == OutboxItem::State::Running;
    const QString order =
        queued ? QStringLiteral("ORDER BY next_attempt_at, id") : QStringLiteral("ORDER BY updated_at DESC, id DESC");
    return select(QStringLiteral("WHERE state=? ") + order + QStringLiteral(" LIMIT ? OFFSET ?"),
                  {OutboxItem::stateName(state), limit > 0 ? limit : -1, qMax(0, offset)});
}

Result<qint64> OutboxStore::pruneDone(qint64 olderThanMs)
{
    QSqlQuery q(m_db.connection());
    const auto done = SqlUtil::run(q, QStringLiteral("DELETE FROM outbox WHERE state='done' AND updated_at < ?"),
                                   {olderThanMs}, m_db.path(), QStringLiteral("outbox prune"));
    if (!done)
        return done.error();
    return static_cast<qint64>(q.numRowsAffected());
}

} // namespace Core
