#include "SyncEngine.h"

#include "Clock.h"
#include "Logging.h"
#include "Redact.h"
#include "audit/AuditLog.h"
#include "mapping/FieldMapper.h"
#include "oracle/OracleClient.h"
#include "storage/CursorStore.h"
#include "storage/EchoStore.h"
#include "storage/LinkStore.h"
#include "sync/MappingFields.h"
#include "zoho/ZohoClient.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace Core {

namespace {
QString compact(const QJsonObject& o)
{
    return QString::fromUtf8(Redact::body(QJsonDocument(o).toJson(QJsonDocument::Compact)));
}

QString diagnosticsText(const QList<FieldDiagnostic>& diagnostics)
{
    QStringList lines;
    for (const auto& d : diagnostics)
        lines << QStringLiteral("%1: %2").arg(d.target, d.message);
    return lines.join(QStringLiteral("; "));
}

// A create whose answer was lost (timeout, dropped connection, 5xx, a crash) may still be carried out
// later: a server keeps working on a request its client gave up on. Until this long after such a
// create, the record is not looked up and created again, or the late one becomes a duplicate. It
// assumes Oracle finishes a request within a minute of receiving it (twice the transfer timeout).
constexpr qint64 kCreateSettleMs = 60000;

QString createFenceName(const QString& module, const QString& zohoId)
{
    return QStringLiteral("create_fence:%1:%2").arg(module, zohoId);
}

// The ETag of an item as collections and batch answers carry it (links[].properties.changeIndicator).
QByteArray changeIndicatorOf(const QJsonObject& item)
{
    for (const auto& link : item.value(QStringLiteral("links")).toArray()) {
        const QString indicator = link.toObject()
                                      .value(QStringLiteral("properties"))
                                      .toObject()
                                      .value(QStringLiteral("changeIndicator"))
                                      .toString();
        if (!indicator.isEmpty())
            return indicator.toUtf8();
    }
    return {};
}

// Fields Oracle owns or that identify the record: never sent in a PATCH.
QJsonObject updatable(QJsonObject payload)
{
    payload.remove(QStringLiteral("SourceSystem"));
    payload.remove(QStringLiteral("SourceSystemReferenceValue"));
    payload.remove(QStringLiteral("PartyNumber"));
    payload.remove(QStringLiteral("PartyId"));
    return payload;
}
} // namespace

struct SyncEngine::Work
{
    QList<OutboxItem> items; // every row naming this record in the round
    QString module;
    QString zohoId;
    QString source;
    QJsonObject record;
    bool haveRecord = false;
    QString modifiedTime;
    const MappingSet* mapping = nullptr;
    int mappingVersion = 0;
    QJsonObject payload;
    QByteArray hash;
    std::optional<RecordLink> link;
    QString partyNumber;
    QByteArray etag;
    bool finished = false;
    bool fenced = false; // a create fence exists for the record
    QElapsedTimer timer;
};

struct SyncEngine::Round
{
    QList<OutboxItem> items;
    QHash<QString, std::shared_ptr<Work>> byRecord;
    QList<std::shared_ptr<Work>> works;
    QList<std::shared_ptr<Work>> toResolve;
    QList<std::shared_ptr<Work>> toCreate;
    QList<std::shared_ptr<Work>> toUpdate;
    int pending = 0;
    // The step after the pending calls. It gets the round as an argument rather than capturing it:
    // a round that captured itself would never be freed when its calls are dropped at shutdown.
    std::function<void(const std::shared_ptr<Round>&)> next;
};

SyncEngine::SyncEngine(Deps deps, SyncConfig config, QObject* parent)
    : QObject(parent)
    , m_deps(deps)
    , m_config(std::move(config))
    , m_mapping(MappingSet::defaults())
{
    if (!m_deps.clock)
        m_deps.clock = SystemClock::instance();
    qRegisterMetaType<Core::SyncCounts>();
    m_dueTimer.setSingleShot(true);
    connect(&m_dueTimer, &QTimer::timeout, this, &SyncEngine::drain);
}

SyncEngine::~SyncEngine() = default;

void SyncEngine::setMapping(const MappingSet& mapping, int version)
{
    m_mapping = mapping;
    m_mappingVersion = version;
}

void SyncEngine::setOracleSnapshot(QHash<QString, QString> partyNumberByReference)
{
    m_snapshot = std::move(partyNumberByReference);
}

qint64 SyncEngine::nowMs() const
{
    return m_deps.clock->now().toMSecsSinceEpoch();
}

Result<int> SyncEngine::start()
{
    auto resumed = m_deps.outbox->resumeInterrupted();
    if (!resumed)
        return resumed;
    if (resumed.value() > 0) {
        qCInfo(lcSync) << "resumed" << resumed.value() << "rows left running by an earlier run";
        m_recoveredAtMs = nowMs();
    }
    m_stopping = false;
    wake();
    return resumed;
}

void SyncEngine::wake()
{
    if (!m_busy && !m_paused && !m_stopping)
        QTimer::singleShot(0, this, &SyncEngine::drain);
}

void SyncEngine::pause()
{
    m_paused = true;
    m_dueTimer.stop();
}

void SyncEngine::resume()
{
    m_paused = false;
    wake();
}

void SyncEngine::stop()
{
    m_stopping = true;
    m_dueTimer.stop();
    if (!m_busy)
        QTimer::singleShot(0, this, &SyncEngine::drained);
}

void SyncEngine::drain()
{
    if (m_busy || m_paused || m_stopping)
        return;
    auto claimed = m_deps.outbox->claimDue(m_config.claimBatch, nowMs());
    if (!claimed) {
        qCWarning(lcSync).noquote() << "cannot read the outbox:" << claimed.error().message;
        m_dueTimer.start(5000);
        return;
    }
    if (claimed.value().isEmpty()) {
        const auto next = m_deps.outbox->nextDueAtMs();
        if (next && next.value())
            m_dueTimer.start(int(qBound<qint64>(qint64(10), *next.value() - nowMs() + 5, qint64(3600000))));
        if (m_deferredUntilMs < nowMs())
            emit idle();
        return;
    }
    m_busy = true;
    auto round = std::make_shared<Round>();
    round->items = claimed.value();
    processRound(round);
}

void SyncEngine::processRound(const std::shared_ptr<Round>& round)
{
    // One piece of work per record, however many rows (webhook + poll, bursts) name it.
    for (const OutboxItem& item : round->items) {
        const QString key = item.module + QLatin1Char('/') + item.recordId;
        auto& work = round->byRecord[key];
        if (!work) {
            work = std::make_shared<Work>();
            work->module = item.module;
            work->zohoId = item.recordId;
            work->source = item.source;
            work->timer.start();
            round->works << work;
        }
        work->items << item;
        const QJsonObject payload = QJsonDocument::fromJson(item.payload.toUtf8()).object();
        // A record listed by a poll is used as listed on its first try; retries and replays read it afresh.
        const QJsonObject listed = payload.value(QStringLiteral("record")).toObject();
        if (!listed.isEmpty() && item.attempts <= 1 && item.lastError.isEmpty() && !work->haveRecord) {
            work->record = listed;
            work->haveRecord = true;
        }
    }
    // Cheap skips before any call: deletes, and events whose changed fields are all our own write-back.
    for (const auto& work : std::as_const(round->works)) {
        bool allDeletes = true;
        bool allEchoes = true;
        for (const OutboxItem& item : std::as_const(work->items)) {
            const QJsonObject payload = QJsonDocument::fromJson(item.payload.toUtf8()).object();
            allDeletes = allDeletes && payload.value(QStringLiteral("operation")).toString() == QLatin1String("delete");
            const QJsonArray affected = payload.value(QStringLiteral("affected_fields")).toArray();
            bool echo = item.source == QLatin1String("webhook") && !affected.isEmpty();
            for (const auto& field : affected)
                echo = echo && m_config.writeBackFields.contains(field.toString());
            allEchoes = allEchoes && echo;
        }
        if (!m_mapping.hasModule(work->module))
            skip(work, tr("%1 is not a synced module").arg(work->module));
        else if (allDeletes)
            skip(work, tr("deleted in Zoho; the Oracle account is kept"));
        else if (allEchoes)
            skip(work, tr("echo of our own write-back (only write-back fields changed)"));
    }
    fetchRecords(round);
}

void SyncEngine::fetchRecords(const std::shared_ptr<Round>& round)
{
    QHash<QString, QStringList> idsByModule;
    for (const auto& work : std::as_const(round->works)) {
        if (!work->finished && !work->haveRecord)
            idsByModule[work->module] << work->zohoId;
    }
    round->next = [this](const std::shared_ptr<Round>& r) { planRecords(r); };
    if (idsByModule.isEmpty()) {
        planRecords(round);
        return;
    }
    for (auto it = idsByModule.cbegin(); it != idsByModule.cend(); ++it) {
        const QString module = it.key();
        const QStringList ids = it.value();
        ++round->pending;
        m_deps.zoho->getRecords(module, ids, zohoFieldsFor(m_mapping, module), this,
                                [this, round, module, ids](Result<QList<QJsonObject>> records) {
                                    if (!records) {
                                        for (const QString& id : ids)
                                            failWork(round->byRecord.value(module + QLatin1Char('/') + id),
                                                     records.error());
                                    } else {
                                        QSet<QString> found;
                                        for (const QJsonObject& record : records.value()) {
                                            const QString id = record.value(QStringLiteral("id")).toString();
                                            if (auto work = round->byRecord.value(module + QLatin1Char('/') + id)) {
                                                work->record = record;
                                                work->haveRecord = true;
                                                found.insert(id);
                                            }
                                        }
                                        for (const QString& id : ids) {
                                            if (!found.contains(id))
                                                skip(round->byRecord.value(module + QLatin1Char('/') + id),
                                                     tr("no longer in Zoho (deleted before it could be read)"));
                                        }
                                    }
                                    roundStepDone(round);
                                });
    }
}

const MappingSet* SyncEngine::mappingFor(const OutboxItem& item, int* version)
{
    if (m_useRecordedMapping && item.mappingVersion && *item.mappingVersion != m_mappingVersion && m_mappingLookup) {
        auto& cached = m_recordedMappings[*item.mappingVersion];
        if (!cached)
            cached = m_mappingLookup(*item.mappingVersion);
        if (cached) {
            *version = *item.mappingVersion;
            return &*cached;
        }
    }
    *version = m_mappingVersion;
    return &m_mapping;
}

void SyncEngine::planRecords(const std::shared_ptr<Round>& round)
{
    const FieldMapper mapper;
    for (const auto& work : std::as_const(round->works)) {
        if (work->finished)
            continue;
        work->modifiedTime = work->record.value(QStringLiteral("Modified_Time")).toString();
        // The record as our write-back left it: it may still carry a user's earlier change that was not
        // synced yet, so it is an echo to skip only when its mapped payload is unchanged (below).
        bool echo = false;
        if (m_deps.echoes && !work->modifiedTime.isEmpty()) {
            const auto remembered = m_deps.echoes->contains(work->module, work->zohoId, work->modifiedTime);
            echo = remembered && remembered.value();
        }
        work->mapping = mappingFor(work->items.first(), &work->mappingVersion);
        const MappingResult mapped = mapper.map(*work->mapping, work->module, work->record);
        if (!mapped.ok()) {
            const QString why =
                tr("%1 %2 cannot be mapped: %3").arg(work->module, work->zohoId, diagnosticsText(mapped.errors()));
            for (const OutboxItem& item : std::as_const(work->items))
                failItem(item, QStringLiteral("invalid_data"), why, true);
            AuditEvent event = toOracleEvent(*work, QStringLiteral("skip"), QStringLiteral("failed"));
            event.reasonClass = QStringLiteral("invalid_data");
            event.reason = why;
            event.attempt = work->items.first().attempts;
            event.outboxId = work->items.first().id;
            event.mappingVersion = work->mappingVersion;
            event.request = compact(work->record);
            audit(event);
            work->finished = true;
            ++m_counts.failed;
            emit recordFinished(work->module, work->zohoId, QStringLiteral("failed"));
            continue;
        }
        work->payload = mapped.payload;
        work->hash = FieldMapper::payloadHash(mapped.payload);
        auto link = m_deps.links->find(work->module, work->zohoId);
        if (!link) {
            failWork(work, link.error());
            continue;
        }
        work->link = link.value();
        if (work->link) {
            work->partyNumber = work->link->partyNumber;
            work->etag = work->link->etag.toUtf8();
            if (QString::fromLatin1(work->hash) == work->link->payloadHash &&
                work->link->mappingVersion.value_or(-1) == work->mappingVersion) {
                if (echo)
                    skip(work, tr("echo of our own write-back at %1").arg(work->modifiedTime));
                else
                    succeed(work, QStringLiteral("unchanged"), {}, {});
                continue;
            }
            round->toUpdate << work;
        } else if (const qint64 until = createFenceUntil(*work); until > nowMs()) {
            defer(work, until);
        } else if (m_snapshot) {
            const QString partyNumber = m_snapshot->value(work->zohoId);
            if (partyNumber.isEmpty()) {
                round->toCreate << work;
            } else {
                work->partyNumber = partyNumber;
                round->toUpdate << work;
            }
        } else {
            round->toResolve << work;
        }
    }
    resolveUnknown(round);
}

void SyncEngine::resolveUnknown(const std::shared_ptr<Round>& round)
{
    round->next = [this](const std::shared_ptr<Round>& r) {
        writeCreates(r);
        writeUpdates(r);
        r->next = [this](const std::shared_ptr<Round>& last) { finishRound(last); };
        if (r->pending == 0)
            finishRound(r);
    };
    if (round->toResolve.isEmpty()) {
        // Take the step out first: it replaces round->next while it runs.
        auto next = std::move(round->next);
        next(round);
        return;
    }
    for (const auto& work : std::as_const(round->toResolve)) {
        ++round->pending;
        m_deps.oracle->findBySourceReference(
            work->zohoId, this, [this, round, work](Result<QList<OracleAccount>> found) {
                if (!found) {
                    failWork(work, found.error());
                } else if (found.value().isEmpty()) {
                    round->toCreate << work;
                } else {
                    if (found.value().size() > 1)
                        qCWarning(lcSync) << work->module << work->zohoId << "has" << found.value().size()
                                          << "Oracle accounts; using" << found.value().first().partyNumber();
                    work->partyNumber = found.value().first().partyNumber();
                    work->etag = found.value().first().etag;
                    round->toUpdate << work;
                }
                roundStepDone(round);
            });
    }
}

void SyncEngine::writeCreates(const std::shared_ptr<Round>& round)
{
    QList<std::shared_ptr<Work>> creates;
    for (const auto& work : std::as_const(round->toCreate)) {
        if (work->finished)
            continue;
        if (m_config.dryRun) {
            recordDryRun(work, QStringLiteral("create"), work->payload);
            continue;
        }
        setCreateFence(*work, nowMs() + kCreateSettleMs);
        creates << work;
    }
    const int size = qMax(1, m_config.oracleBatchSize);
    for (int from = 0; from < creates.size(); from += size) {
        const auto chunk = creates.mid(from, size);
        if (chunk.size() == 1)
            sendSingleCreate(round, chunk.first());
        else
            sendCreateBatch(round, chunk);
    }
}

void SyncEngine::sendCreateBatch(const std::shared_ptr<Round>& round, QList<std::shared_ptr<Work>> chunk)
{
    QJsonArray parts;
    for (int i = 0; i < chunk.size(); ++i) {
        QJsonObject payload = chunk.at(i)->payload;
        payload.insert(QStringLiteral("SourceSystem"), m_deps.oracle->sourceSystem());
        parts.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("part%1").arg(i)},
                                 {QStringLiteral("path"), QStringLiteral("/accounts")},
                                 {QStringLiteral("operation"), QStringLiteral("create")},
                                 {QStringLiteral("payload"), payload}});
    }
    ++round->pending;
    m_deps.oracle->batch(parts, this, [this, round, chunk](Result<QJsonArray> answer) {
        if (answer) {
            QHash<QString, QJsonObject> byPart;
            for (const auto& part : answer.value()) {
                const QJsonObject p = part.toObject();
                byPart.insert(p.value(QStringLiteral("id")).toString(), p.value(QStringLiteral("payload")).toObject());
            }
            for (int i = 0; i < chunk.size(); ++i) {
                const QJsonObject item = byPart.value(QStringLiteral("part%1").arg(i));
                if (item.value(QStringLiteral("PartyNumber")).toString().isEmpty())
                    failWork(chunk.at(i), Error(Error::Kind::BadResponse, tr("Oracle's batch answer has no account "
                                                                             "for this record")));
                else
                    succeed(chunk.at(i), QStringLiteral("create"), item, changeIndicatorOf(item));
            }
        } else if (answer.error().kind == Error::Kind::InvalidInput) {
            // All-or-none: nothing was created. Single creates isolate the bad record.
            qCInfo(lcSync) << "batch of" << chunk.size() << "refused; creating one by one";
            for (const auto& work : chunk)
                sendSingleCreate(round, work);
        } else {
            // The batch may or may not have been applied: forget the snapshot so retries look up first,
            // and not before a late batch would have landed.
            m_snapshot.reset();
            for (const auto& work : chunk) {
                setCreateFence(*work, nowMs() + kCreateSettleMs);
                failWork(work, answer.error(), nowMs() + kCreateSettleMs);
            }
        }
        roundStepDone(round);
    });
}

void SyncEngine::sendSingleCreate(const std::shared_ptr<Round>& round, const std::shared_ptr<Work>& work)
{
    ++round->pending;
    m_deps.oracle->createAccount(work->payload, this, [this, round, work](Result<OracleAccount> created) {
        if (created) {
            succeed(work, QStringLiteral("create"), created.value().item, created.value().etag);
        } else {
            if (created.error().kind == Error::Kind::InvalidInput) {
                failWork(work, created.error());
            } else {
                // Perhaps created after all: look up first, and not before a late create would have landed.
                m_snapshot.reset();
                setCreateFence(*work, nowMs() + kCreateSettleMs);
                failWork(work, created.error(), nowMs() + kCreateSettleMs);
            }
        }
        roundStepDone(round);
    });
}

void SyncEngine::writeUpdates(const std::shared_ptr<Round>& round)
{
    for (const auto& work : std::as_const(round->toUpdate)) {
        if (work->finished)
            continue;
        if (m_config.dryRun) {
            recordDryRun(work, QStringLiteral("update"), updatable(work->payload));
            continue;
        }
        sendUpdate(round, work, false);
    }
}

void SyncEngine::sendUpdate(const std::shared_ptr<Round>& round, const std::shared_ptr<Work>& work, bool afterConflict)
{
    ++round->pending;
    m_deps.oracle->updateAccount(
        work->partyNumber, updatable(work->payload), work->etag, this,
        [this, round, work, afterConflict](Result<OracleAccount> updated) {
            if (updated) {
                succeed(work, QStringLiteral("update"), updated.value().item, updated.value().etag);
            } else if (updated.error().kind == Error::Kind::Conflict && !afterConflict) {
                // Changed in Oracle since we read it: read it again and apply our fields on top, once.
                ++round->pending;
                m_deps.oracle->findByPartyNumber(
                    work->partyNumber, this, [this, round, work](Result<std::optional<OracleAccount>> fresh) {
                        if (fresh && fresh.value()) {
                            work->etag = fresh.value()->etag;
                            sendUpdate(round, work, true);
                        } else {
                            failWork(work, fresh ? Error(Error::Kind::NotFound, tr("the linked Oracle account "
                                                                                   "is gone"))
                                                 : fresh.error());
                        }
                        roundStepDone(round);
                    });
            } else {
                if (updated.error().kind == Error::Kind::NotFound) {
                    // The linked account was deleted or merged away: resolve it again next time.
                    warnIfFailed(lcSync(), m_deps.links->remove(work->module, work->zohoId), "forgetting a stale link");
                }
                failWork(work, updated.error());
            }
            roundStepDone(round);
        });
}

void SyncEngine::roundStepDone(const std::shared_ptr<Round>& round)
{
    if (--round->pending == 0 && round->next) {
        auto next = std::move(round->next);
        round->next = nullptr;
        next(round);
    }
}

void SyncEngine::finishRound(const std::shared_ptr<Round>& round)
{
    for (const auto& work : std::as_const(round->works)) {
        if (!work->finished)
            failWork(work, Error(Error::Kind::Internal, tr("the sync round ended without an outcome")));
    }
    emit countsChanged(m_counts);
    m_busy = false;
    if (m_stopping) {
        emit drained();
        return;
    }
    QTimer::singleShot(0, this, &SyncEngine::drain);
}

void SyncEngine::succeed(const std::shared_ptr<Work>& work,
                         const QString& action,
                         const QJsonObject& item,
                         const QByteArray& etag)
{
    if (work->finished)
        return;
    work->finished = true;
    if (action != QLatin1String("unchanged")) {
        RecordLink link = work->link.value_or(RecordLink{});
        link.module = work->module;
        link.zohoId = work->zohoId;
        link.partyNumber = item.value(QStringLiteral("PartyNumber")).toString(work->partyNumber);
        // Framework versions below 9 send the id as a JSON number: print it as an integer, never "3e+17".
        const QJsonValue partyId = item.value(QStringLiteral("PartyId"));
        link.partyId = partyId.isDouble() ? QString::number(partyId.toInteger()) : partyId.toString();
        if (item.contains(QStringLiteral("AccountNumber")))
            link.accountNumber = item.value(QStringLiteral("AccountNumber")).toString();
        link.etag = QString::fromUtf8(etag);
        link.payloadHash = QString::fromLatin1(work->hash);
        link.mappingVersion = work->mappingVersion;
        link.zohoModifiedTime = work->modifiedTime;
        link.oracleLastUpdate = item.value(QStringLiteral("LastUpdateDate")).toString();
        link.syncedAtMs = nowMs();
        work->partyNumber = link.partyNumber;
        if (auto stored = m_deps.links->upsert(link); !stored)
            qCWarning(lcSync).noquote() << "cannot store the link:" << stored.error().message;
        else if (work->fenced && m_deps.cursors)
            warnIfFailed(lcSync(), m_deps.cursors->remove(createFenceName(work->module, work->zohoId)),
                         "dropping a create fence");
    }
    AuditEvent event = toOracleEvent(*work, action, QStringLiteral("ok"));
    event.partyNumber = work->partyNumber;
    event.durationMs = work->timer.elapsed();
    event.attempt = work->items.first().attempts;
    event.outboxId = work->items.first().id;
    event.mappingVersion = work->mappingVersion;
    if (action != QLatin1String("unchanged")) {
        event.request = compact(action == QLatin1String("create") ? work->payload : updatable(work->payload));
        event.response = compact(item);
    }
    audit(event);
    for (const OutboxItem& row : std::as_const(work->items)) {
        if (auto completed = m_deps.outbox->complete(row.id); !completed)
            qCWarning(lcSync).noquote() << "cannot complete outbox row" << row.id << completed.error().message;
    }
    if (action == QLatin1String("create"))
        ++m_counts.created;
    else if (action == QLatin1String("update"))
        ++m_counts.updated;
    else
        ++m_counts.unchanged;
    emit recordFinished(work->module, work->zohoId, action);
}

AuditEvent SyncEngine::toOracleEvent(const Work& work, const QString& action, const QString& outcome) const
{
    AuditEvent event;
    event.source = work.source;
    event.module = work.module;
    event.zohoId = work.zohoId;
    event.direction = QStringLiteral("to_oracle");
    event.action = action;
    event.outcome = outcome;
    return event;
}

void SyncEngine::recordDryRun(const std::shared_ptr<Work>& work, const QString& action, const QJsonObject& payload)
{
    AuditEvent event = toOracleEvent(*work, action, QStringLiteral("dry_run"));
    event.partyNumber = work->partyNumber;
    event.mappingVersion = work->mappingVersion;
    event.request = compact(payload);
    audit(event);
    work->finished = true;
    ++m_counts.wouldWrite;
    // Back to pending: a dry run changes nothing (and runs on a copy of the database anyway).
    for (const OutboxItem& item : std::as_const(work->items))
        failItem(item, {}, {}, false);
}

void SyncEngine::skip(const std::shared_ptr<Work>& work, const QString& why)
{
    if (!work || work->finished)
        return;
    work->finished = true;
    AuditEvent event = toOracleEvent(*work, QStringLiteral("skip"), QStringLiteral("ok"));
    event.reason = why;
    event.attempt = work->items.first().attempts;
    event.outboxId = work->items.first().id;
    audit(event);
    for (const OutboxItem& row : std::as_const(work->items))
        warnIfFailed(lcSync(), m_deps.outbox->complete(row.id), "completing an outbox row");
    ++m_counts.skipped;
    emit recordFinished(work->module, work->zohoId, QStringLiteral("skip"));
}

QString SyncEngine::reasonClassOf(const Error& error)
{
    switch (error.kind) {
    case Error::Kind::Auth:
    case Error::Kind::Forbidden:
    case Error::Kind::Unavailable:
        return QStringLiteral("auth");
    case Error::Kind::Throttled:
        return QStringLiteral("throttled");
    case Error::Kind::Conflict:
        return QStringLiteral("conflict");
    case Error::Kind::InvalidInput:
        return QStringLiteral("invalid_data");
    default:
        break;
    }
    return QStringLiteral("transient");
}

qint64 SyncEngine::createFenceUntil(Work& work)
{
    if (!m_deps.cursors)
        return 0;
    const auto fence = m_deps.cursors->get(createFenceName(work.module, work.zohoId));
    if (!fence || !fence.value())
        return 0;
    work.fenced = true;
    // A run that crashed may have sent the create later than it set the fence.
    const qint64 recovered = m_recoveredAtMs > 0 ? m_recoveredAtMs + kCreateSettleMs : 0;
    return qMax(fence.value()->toLongLong(), recovered);
}

void SyncEngine::setCreateFence(Work& work, qint64 untilMs)
{
    if (!m_deps.cursors)
        return;
    work.fenced = true;
    warnIfFailed(lcSync(), m_deps.cursors->set(createFenceName(work.module, work.zohoId), QString::number(untilMs)),
                 "fencing a create");
}

// Not a failure: the record waits for the fence, and a run is not idle before it has been done.
void SyncEngine::defer(const std::shared_ptr<Work>& work, qint64 untilMs)
{
    work->finished = true;
    const QString why = tr("an earlier create's answer was lost; waiting until %1 before looking it up")
                            .arg(QDateTime::fromMSecsSinceEpoch(untilMs, Qt::UTC).toString(Qt::ISODate));
    for (const OutboxItem& item : std::as_const(work->items))
        warnIfFailed(lcSync(), m_deps.outbox->postpone(item.id, why, untilMs), "deferring an outbox row");
    AuditEvent event = toOracleEvent(*work, QStringLiteral("skip"), QStringLiteral("ok"));
    event.reason = why;
    event.attempt = work->items.first().attempts;
    event.outboxId = work->items.first().id;
    audit(event);
    m_deferredUntilMs = qMax(m_deferredUntilMs, untilMs);
}

void SyncEngine::failWork(const std::shared_ptr<Work>& work, const Error& error, qint64 notBeforeMs)
{
    if (!work || work->finished)
        return;
    work->finished = true;
    const QString reasonClass = reasonClassOf(error);
    // Bad data stays failed until someone fixes the record and replays it; the rest retries.
    const bool permanent = reasonClass == QLatin1String("invalid_data");
    for (const OutboxItem& item : std::as_const(work->items))
        failItem(item, reasonClass, error.message, permanent, notBeforeMs);
    AuditEvent event =
        toOracleEvent(*work, work->partyNumber.isEmpty() ? QStringLiteral("create") : QStringLiteral("update"),
                      QStringLiteral("failed"));
    event.partyNumber = work->partyNumber;
    event.reasonClass = reasonClass;
    event.reason = error.message;
    if (error.httpStatus)
        event.httpStatus = error.httpStatus;
    event.durationMs = work->timer.elapsed();
    event.attempt = work->items.first().attempts;
    event.outboxId = work->items.first().id;
    event.mappingVersion = work->mappingVersion;
    if (!work->payload.isEmpty())
        event.request = compact(work->payload);
    audit(event);
    ++m_counts.failed;
    emit recordFinished(work->module, work->zohoId, QStringLiteral("failed"));
}

void SyncEngine::failItem(
    const OutboxItem& item, const QString& reasonClass, const QString& message, bool permanent, qint64 notBeforeMs)
{
    if (permanent) {
        if (auto failed = m_deps.outbox->failPermanently(item.id, reasonClass, message); !failed)
            qCWarning(lcSync).noquote() << failed.error().message;
        return;
    }
    if (reasonClass.isEmpty()) { // dry run: put the row back as it was
        warnIfFailed(
            lcSync(),
            m_deps.outbox->fail(item.id, QStringLiteral("transient"), tr("dry run"), nowMs() + m_config.retryBaseMs),
            "putting back a dry-run row");
        return;
    }
    const int exponent = qBound(0, item.attempts - 1, 20);
    const qint64 delay = qMin(m_config.retryMaxMs, m_config.retryBaseMs << exponent);
    auto state = m_deps.outbox->fail(item.id, reasonClass, message, qMax(nowMs() + delay, notBeforeMs));
    if (!state)
        qCWarning(lcSync).noquote() << state.error().message;
}

void SyncEngine::audit(AuditEvent event)
{
    if (auto appended = m_deps.audit->append(event); !appended)
        qCWarning(lcSync).noquote() << "cannot write the audit trail:" << appended.error().message;
}

} // namespace Core
