#pragma once

#include "Result.h"
#include "audit/AuditEvent.h"
#include "config/Profile.h"
#include "sync/SyncTypes.h"

#include <QObject>
#include <QStringList>

#include <memory>

class QNetworkAccessManager;
class QTemporaryDir;

namespace Core {

class CredentialStore;
class Database;
class SyncSession;

// What a replay would do, found by running it on a copy of the database with nothing sent.
struct ReplayPlan
{
    int queued = 0;
    SyncCounts counts;
    QList<AuditEvent> writes;   // the dry run's planned writes (action, payload), newest first
    QList<AuditEvent> failures; // records that would fail again, with the reason
};

// A replay's dry run: snapshots the live database, opens a dry-run session on the copy, queues the
// records and lets the engine plan them. Zoho is read (the records are fetched again, as the real
// replay does); Oracle gets reads only. The copy goes when this object does.
class ReplayPreview final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReplayPreview)

public:
    ReplayPreview(Profile profile,
                  const Database& live,
                  QNetworkAccessManager* network,
                  CredentialStore* secrets,
                  QObject* parent = nullptr);
    ~ReplayPreview() override;

    // Empty `zohoIds`: every failed record.
    void start(const QStringList& zohoIds, bool recordedMapping);

signals:
    void finished(const Core::Result<Core::ReplayPlan>& plan);

private:
    void engineIdle();
    void finish(const Result<ReplayPlan>& plan);

    Profile m_profile;
    const Database& m_live;
    QNetworkAccessManager* m_network;
    CredentialStore* m_secrets;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<SyncSession> m_session;
    int m_queued = 0;
    qint64 m_startedMs = 0;
    bool m_done = false;
};

} // namespace Core
