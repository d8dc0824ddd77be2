#pragma once

#include <QMetaType>
#include <QString>
#include <QStringList>

namespace Core {

// How the engine works; all of it comes from the profile's settings.
struct SyncConfig
{
    int claimBatch = 200;      // outbox rows claimed per round
    int oracleBatchSize = 50;  // parts per Oracle batch request (all-or-none; falls back to single writes)
    int maxParallelCalls = 8;  // Oracle calls in flight at once
    bool dryRun = false;       // map and plan, send nothing
    qint64 retryBaseMs = 5000; // first outbox retry delay; doubles per attempt
    qint64 retryMaxMs = 3600000;
    // Zoho Account fields the reverse flow writes: changes to only these are our own echo.
    QStringList writeBackFields = {QStringLiteral("Oracle_Party_Number"), QStringLiteral("AR_Open_Balance"),
                                   QStringLiteral("Credit_Status"), QStringLiteral("Last_Synced_From_ERP")};
};

// What a run did, by record.
struct SyncCounts
{
    int created = 0;
    int updated = 0;
    int unchanged = 0;
    int skipped = 0;    // deleted in Zoho, echoes of our own write-back
    int failed = 0;     // this attempt failed (may be retried)
    int wouldWrite = 0; // dry run: what would have been sent

    int total() const { return created + updated + unchanged + skipped + failed + wouldWrite; }
    SyncCounts& operator+=(const SyncCounts& o)
    {
        created += o.created;
        updated += o.updated;
        unchanged += o.unchanged;
        skipped += o.skipped;
        failed += o.failed;
        wouldWrite += o.wouldWrite;
        return *this;
    }
};

} // namespace Core

Q_DECLARE_METATYPE(Core::SyncCounts)
