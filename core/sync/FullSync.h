#pragma once

#include "Result.h"
#include "mapping/MappingSet.h"

#include <QHash>
#include <QObject>
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

    static QString cursorName(const QString& module) { return QStringLiteral("poll:") + module; }
    static constexpr qint64 kOverlapS = 60; // Zoho's If-Modified-Since is inclusive and clocks drift

signals:
    void queued(int rows);
    void finished(const Core::Result<int>& queuedRows);

private:
    void prefetchOracle(int offset);
    void listModule(int index);

    Deps m_deps;
    MappingSet m_mapping;
    int m_mappingVersion;
    QStringList m_modules;
    bool m_full = false;
    QString m_source;
    int m_queued = 0;
    QHash<QString, QString> m_snapshot;
};

} // namespace Core
