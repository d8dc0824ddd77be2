#pragma once

#include "Result.h"
#include "audit/AuditLog.h"
#include "config/Profile.h"
#include "mapping/MappingSet.h"
#include "storage/ChannelStore.h"
#include "storage/CursorStore.h"
#include "storage/EchoStore.h"
#include "storage/LinkStore.h"
#include "storage/MappingStore.h"
#include "sync/OutboxStore.h"
#include "sync/SyncTypes.h"

#include <QObject>

#include <memory>

class QNetworkAccessManager;

namespace Core {

class Connections;
class CredentialStore;
class Database;
class FullSync;
class ReverseFlow;
class SyncEngine;

// Everything a sync needs for one profile, built in the right order: the database and its
// stores, both sides' clients, the current mapping version, the engine, the on-demand sync and
// the reverse flow. The CLI and the desktop app both run through it.
class SyncSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncSession)

public:
    static Result<std::unique_ptr<SyncSession>> open(const Profile& profile,
                                                     const QString& databasePath,
                                                     QNetworkAccessManager* network,
                                                     CredentialStore* secrets,
                                                     SyncConfig config = {});
    ~SyncSession() override;

    const Profile& profile() const { return m_profile; }
    Database& database() { return *m_db; }
    OutboxStore& outbox() { return *m_outbox; }
    AuditLog& audit() { return *m_audit; }
    LinkStore& links() { return *m_links; }
    CursorStore& cursors() { return *m_cursors; }
    ChannelStore& channels() { return *m_channels; }
    EchoStore& echoes() { return *m_echoes; }
    MappingStore& mappings() { return *m_mappings; }
    Connections& connections() { return *m_connections; }
    SyncEngine& engine() { return *m_engine; }
    FullSync& fullSync() { return *m_fullSync; }
    ReverseFlow& reverseFlow() { return *m_reverse; }
    int mappingVersion() const { return m_mappingVersion; }
    const MappingSet& mapping() const { return m_mapping; }

private:
    explicit SyncSession(Profile profile);
    Result<Ok> build(const QString& databasePath,
                     QNetworkAccessManager* network,
                     CredentialStore* secrets,
                     const SyncConfig& config);

    Profile m_profile;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<OutboxStore> m_outbox;
    std::unique_ptr<AuditLog> m_audit;
    std::unique_ptr<LinkStore> m_links;
    std::unique_ptr<CursorStore> m_cursors;
    std::unique_ptr<ChannelStore> m_channels;
    std::unique_ptr<EchoStore> m_echoes;
    std::unique_ptr<MappingStore> m_mappings;
    Connections* m_connections = nullptr;
    SyncEngine* m_engine = nullptr;
    FullSync* m_fullSync = nullptr;
    ReverseFlow* m_reverse = nullptr;
    MappingSet m_mapping;
    int m_mappingVersion = 0;
};

} // namespace Core
