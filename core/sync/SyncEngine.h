#pragma once

#include "Result.h"
#include "mapping/MappingSet.h"
#include "sync/OutboxStore.h"
#include "sync/SyncTypes.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace Core {

class AuditLog;
class Clock;
class CursorStore;
class EchoStore;
class LinkStore;
class OracleClient;
class ZohoClient;
struct AuditEvent;

// Drains the outbox: fetches the Zoho records the rows name (webhook rows carry only ids),
// maps them, and creates or updates the Oracle account exactly once:
//  - the local link (Zoho id -> PartyNumber) first, then Oracle by SourceSystem + reference, and
//    only then a create with SourceSystem set; a create that timed out is looked up again before
//    any retry, so no duplicate is made;
//  - a payload unchanged since the last sync is not sent;
//  - updates carry If-Match when an ETag is known; a 412 re-reads and tries once more;
//  - creates go in Oracle batches (all-or-none), falling back to single creates when a batch
//    fails, so one bad record cannot hold back the others.
// Every attempt on every record goes to the audit trail.
class SyncEngine final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncEngine)

public:
    struct Deps
    {
        OutboxStore* outbox = nullptr;
        AuditLog* audit = nullptr;
        LinkStore* links = nullptr;
        EchoStore* echoes = nullptr;
        // Where create fences live (see kCreateSettleMs); without it a lost create answer is not fenced.
        CursorStore* cursors = nullptr;
        ZohoClient* zoho = nullptr;
        OracleClient* oracle = nullptr;
        const Clock* clock = nullptr;
    };
    // Gives the mapping of a recorded version (for replays with the mapping of the time).
    using MappingLookup = std::function<std::optional<MappingSet>(int version)>;

    SyncEngine(Deps deps, SyncConfig config, QObject* parent = nullptr);
    ~SyncEngine() override;

    void setMapping(const MappingSet& mapping, int version);
    void setMappingLookup(MappingLookup lookup) { m_mappingLookup = std::move(lookup); }
    // Replays may use the mapping recorded with each row instead of the current one.
    void setUseRecordedMapping(bool recorded) { m_useRecordedMapping = recorded; }
    void setDryRun(bool dryRun) { m_config.dryRun = dryRun; }
    void setWriteBackFields(const QStringList& fields) { m_config.writeBackFields = fields; }
    const SyncConfig& config() const { return m_config; }

    // Oracle accounts already carrying our SourceSystem, by reference (Zoho id) -> PartyNumber,
    // read once before a backfill so 20,000 new records need no 20,000 lookups. Cleared as soon
    // as a write's fate is unknown (timeout), because then it may be stale.
    void setOracleSnapshot(QHash<QString, QString> partyNumberByReference);

    // Returns rows left running by a crash to the queue and starts draining.
    Result<int> start();
    void wake();
    void pause();
    void resume();
    bool isPaused() const { return m_paused; }
    bool isBusy() const { return m_busy; }
    // Stop taking new rows; the round in flight finishes. drained() follows when it has.
    void stop();

    const SyncCounts& counts() const { return m_counts; }
    void resetCounts() { m_counts = {}; }

signals:
    void recordFinished(const QString& module, const QString& zohoId, const QString& outcome);
    void countsChanged(const Core::SyncCounts& counts);
    // Nothing is due now (more may be due later, at the next attempt time).
    void idle();
    void drained();

private:
    struct Round;
    struct Work;

    void drain();
    void processRound(const std::shared_ptr<Round>& round);
    void fetchRecords(const std::shared_ptr<Round>& round);
    void planRecords(const std::shared_ptr<Round>& round);
    void resolveUnknown(const std::shared_ptr<Round>& round);
    void writeCreates(const std::shared_ptr<Round>& round);
    void sendCreateBatch(const std::shared_ptr<Round>& round, QList<std::shared_ptr<Work>> chunk);
    void sendSingleCreate(const std::shared_ptr<Round>& round, const std::shared_ptr<Work>& work);
    void writeUpdates(const std::shared_ptr<Round>& round);
    void sendUpdate(const std::shared_ptr<Round>& round, const std::shared_ptr<Work>& work, bool afterConflict);
    void roundStepDone(const std::shared_ptr<Round>& round);
    void finishRound(const std::shared_ptr<Round>& round);

    void
    succeed(const std::shared_ptr<Work>& work, const QString& action, const QJsonObject& item, const QByteArray& etag);
    void skip(const std::shared_ptr<Work>& work, const QString& why);
    void recordDryRun(const std::shared_ptr<Work>& work, const QString& action, const QJsonObject& payload);
    void defer(const std::shared_ptr<Work>& work, qint64 untilMs);
    void failWork(const std::shared_ptr<Work>& work, const Error& error, qint64 notBeforeMs = 0);
    void failItem(const OutboxItem& item,
                  const QString& reasonClass,
                  const QString& message,
                  bool permanent,
                  qint64 notBeforeMs = 0);
    qint64 createFenceUntil(Work& work);
    void setCreateFence(Work& work, qint64 untilMs);
    // The audit event of one record's step towards Oracle, with who, what and how it ended.
    AuditEvent toOracleEvent(const Work& work, const QString& action, const QString& outcome) const;
    void audit(AuditEvent event);

    const MappingSet* mappingFor(const OutboxItem& item, int* version);
    qint64 nowMs() const;
    static QString reasonClassOf(const Error& error);

    Deps m_deps;
    SyncConfig m_config;
    MappingSet m_mapping;
    int m_mappingVersion = 0;
    MappingLookup m_mappingLookup;
    QHash<int, std::optional<MappingSet>> m_recordedMappings;
    bool m_useRecordedMapping = false;
    std::optional<QHash<QString, QString>> m_snapshot;
    qint64 m_recoveredAtMs = 0;   // start() after a crash: creates of that run may still land
    qint64 m_deferredUntilMs = 0; // rows wait for a create fence until then: not idle before
    bool m_busy = false;
    bool m_paused = false;
    bool m_stopping = false;
    QTimer m_dueTimer;
    SyncCounts m_counts;
};

} // namespace Core
