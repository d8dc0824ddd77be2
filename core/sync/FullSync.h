#pragma once

#include "Result.h"
#include "mapping/MappingSet.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <memory>

namespace Core {

class CursorStore;
class OracleClient;
class OutboxStore;
class SyncEngine;
class ZohoClient;

// A sync run on demand: reads the Oracle accounts we made before (so new records need no
// lookup each), then lists every Zoho record changed since the poll cursor (all of them with
// `full`) with the fields the mapping needs, and queues them page by page while the engine
// already works on the first pages. The listed record travels in the outbox row, so a backfill
// costs one Zoho call per 200 records. The poll cursor moves only after every page is queued.
//
// A run follows its rows through the engine: progress(done, total) counts this run's records the
// engine has finished (whatever the outcome; a failed one is retried later on the outbox's own
// schedule); total is 0 (not known yet) until listing ends, then fixed. runFinished() follows
// when every row of the run is done, or at cancel(). cancel() stops listing (the pages not yet
// queued are dropped and the cursor of the module being listed stays put) and pauses the engine
// after the round in flight; rows already queued stay in the durable outbox for the next run or
// a resume of the engine.
class FullSync final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FullSync)

public:
    struct Deps
    {
        ZohoClient* zoho = nullptr;
        OracleClient* oracle = nullptr;
        OutboxStore* outbox = nullptr;
        CursorStore* cursors = nullptr;
        SyncEngine* engine = nullptr;
    };

    FullSync(Deps deps, MappingSet mapping, int mappingVersion, QStringList modules, QObject* parent = nullptr);

    // `source` goes on the queued rows and into the audit trail: manual, poll.
    void start(bool full, const QString& source = QStringLiteral("manual"));
    void cancel();
    bool isRunning() const { return m_running; }
    bool isListing() const { return m_listing; }
    int done() const { return m_done; }
    int total() const { return m_listing ? 0 : m_total; }

    static QString cursorName(const QString& module) { return QStringLiteral("poll:") + module; }
    static constexpr qint64 kOverlapS = 60; // Zoho's If-Modified-Since is inclusive and clocks drift

signals:
    void queued(int rows);
    // Listing ended (not emitted after cancel()).
    void finished(const Core::Result<int>& queuedRows);
    void progress(int done, int total);
    void runFinished(int done, int total, bool cancelled);

private:
    void prefetchOracle(int offset);
    void listModule(int index);
    void listingEnded();
    void onRecordFinished(const QString& module, const QString& zohoId);
    void endRun(bool cancelled);
    static QString key(const QString& module, const QString& id) { return module + QLatin1Char('/') + id; }

    Deps m_deps;
    MappingSet m_mapping;
    int m_mappingVersion;
    QStringList m_modules;
    bool m_full = false;
    QString m_source;
    int m_queued = 0;
    QHash<QString, QString> m_snapshot;
    QObject* m_run = nullptr; // context of this run's calls; deleting it drops their answers
    bool m_running = false;
    bool m_listing = false;
    QSet<QString> m_open; // this run's records the engine has not finished yet
    int m_total = 0;
    int m_done = 0;
};

} // namespace Core
