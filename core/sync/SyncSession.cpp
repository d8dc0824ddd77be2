#include "SyncSession.h"

#include "Logging.h"
#include "net/Connections.h"
#include "storage/Database.h"
#include "sync/FullSync.h"
#include "sync/ReverseFlow.h"
#include "sync/SyncEngine.h"

#include <QFile>

namespace Core {

SyncSession::SyncSession(Profile profile)
    : m_profile(std::move(profile))
{ }

SyncSession::~SyncSession() = default;

Result<std::unique_ptr<SyncSession>> SyncSession::open(const Profile& profile,
                                                       const QString& databasePath,
                                                       QNetworkAccessManager* network,
                                                       CredentialStore* secrets,
                                                       SyncConfig config)
{
    std::unique_ptr<SyncSession> session(new SyncSession(profile));
    auto built =
        session->build(databasePath.isEmpty() ? profile.databasePath() : databasePath, network, secrets, config);
    if (!built)
        return built.error();
    return session;
}

Result<Ok> SyncSession::build(const QString& databasePath,
                              QNetworkAccessManager* network,
                              CredentialStore* secrets,
                              const SyncConfig& config)
{
    auto db = Database::open(databasePath);
    if (!db)
        return db.error();
    m_db = std::move(db.value());
    // Customer data: readable by its owner only.
    QFile::setPermissions(databasePath, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    if (m_db->recoveredFromCorruption())
        qCWarning(lcDb).noquote() << "the database was damaged and has been moved aside to"
                                  << m_db->corruptFileMovedTo() << "- a fresh one was started";
    m_outbox =
        std::make_unique<OutboxStore>(*m_db, nullptr, qMax(1, m_profile.intValue(QStringLiteral("sync.max_attempts"))));
    m_audit = std::make_unique<AuditLog>(*m_db);
    m_links = std::make_unique<LinkStore>(*m_db);
    m_cursors = std::make_unique<CursorStore>(*m_db);
    m_channels = std::make_unique<ChannelStore>(*m_db);
    m_echoes = std::make_unique<EchoStore>(*m_db);
    m_mappings = std::make_unique<MappingStore>(*m_db);

    // The mapping in force is the newest stored version; a new profile starts from the defaults.
    auto latest = m_mappings->latest();
    if (!latest)
        return latest.error();
    if (latest.value()) {
        auto parsed = MappingSet::fromJson(latest.value()->json.toUtf8());
        if (!parsed)
            return Error(Error::Kind::Config, tr("Mapping version %1 in %2 is unusable: %3")
                                                  .arg(latest.value()->version)
                                                  .arg(databasePath, parsed.error().message));
        m_mapping = parsed.value();
        m_mappingVersion = latest.value()->version;
    } else {
        m_mapping = MappingSet::defaults();
        auto added = m_mappings->add(QString::fromUtf8(m_mapping.toJson()), tr("defaults"));
        if (!added)
            return added.error();
        m_mappingVersion = added.value();
    }
    m_mapping.setVersion(m_mappingVersion);

    m_connections = new Connections(network, secrets, m_profile.zoho(), m_profile.oracle(), {}, nullptr, this);
    if (m_connections->zohoProblem())
        return *m_connections->zohoProblem();
    if (m_connections->oracleProblem())
        return *m_connections->oracleProblem();

    SyncEngine::Deps deps;
    deps.outbox = m_outbox.get();
    deps.audit = m_audit.get();
    deps.links = m_links.get();
    deps.echoes = m_echoes.get();
    deps.cursors = m_cursors.get();
    deps.zoho = m_connections->zoho();
    deps.oracle = m_connections->oracle();
    m_engine = new SyncEngine(deps, config, this);
    m_engine->setMapping(m_mapping, m_mappingVersion);
    m_engine->setMappingLookup([this](int version) -> std::optional<MappingSet> {
        auto stored = m_mappings->get(version);
        if (!stored || !stored.value())
            return std::nullopt;
        auto parsed = MappingSet::fromJson(stored.value()->json.toUtf8());
        return parsed ? std::optional<MappingSet>(parsed.value()) : std::nullopt;
    });

    QStringList modules;
    for (const QString& module : m_profile.zohoModules()) {
        if (m_mapping.hasModule(module))
            modules << module;
    }
    m_fullSync =
        new FullSync({m_connections->zoho(), m_connections->oracle(), m_outbox.get(), m_cursors.get(), m_engine},
                     m_mapping, m_mappingVersion, modules, this);
    ReverseFlow::Fields fields;
    fields.partyNumber = m_profile.value(QStringLiteral("reverse.party_number_field"));
    fields.openBalance = m_profile.value(QStringLiteral("reverse.open_balance_field"));
    fields.creditStatus = m_profile.value(QStringLiteral("reverse.credit_status_field"));
    fields.syncedAt = m_profile.value(QStringLiteral("reverse.synced_at_field"));
    m_reverse = new ReverseFlow(
        {m_links.get(), m_echoes.get(), m_cursors.get(), m_audit.get(), m_connections->zoho(), m_connections->oracle()},
        fields, this);
    // Changes to only these fields are our own echo, whatever they are called in this org.
    QStringList writeBack{fields.partyNumber, fields.openBalance, fields.creditStatus, fields.syncedAt};
    writeBack.removeAll(QString());
    m_engine->setWriteBackFields(writeBack);
    return Ok{};
}

} // namespace Core
