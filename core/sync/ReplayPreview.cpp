#include "ReplayPreview.h"

#include "storage/Database.h"
#include "sync/Replay.h"
#include "sync/SyncEngine.h"
#include "sync/SyncSession.h"

#include <QDateTime>
#include <QDir>
#include <QTemporaryDir>
#include <QTimer>

namespace Core {

namespace {
constexpr int kPlanLimit = 200; // events shown; the counts cover them all
}

ReplayPreview::ReplayPreview(
    Profile profile, const Database& live, QNetworkAccessManager* network, CredentialStore* secrets, QObject* parent)
    : QObject(parent)
    , m_profile(std::move(profile))
    , m_live(live)
    , m_network(network)
    , m_secrets(secrets)
{ }

ReplayPreview::~ReplayPreview() = default;

void ReplayPreview::start(const QStringList& zohoIds, bool recordedMapping)
{
    m_dir = std::make_unique<QTemporaryDir>();
    if (!m_dir->isValid()) {
        finish(
            Error(Error::Kind::Storage, tr("Cannot create a directory for the dry run: %1").arg(m_dir->errorString())));
        return;
    }
    const QString copy = QDir(m_dir->path()).filePath(QStringLiteral("dry-run.db"));
    if (auto copied = m_live.snapshotTo(copy); !copied) {
        finish(copied.error());
        return;
    }
    SyncConfig config;
    config.dryRun = true;
    auto session = SyncSession::open(m_profile, copy, m_network, m_secrets, config);
    if (!session) {
        finish(session.error());
        return;
    }
    m_session = std::move(session.value());
    m_session->engine().setUseRecordedMapping(recordedMapping);
    m_startedMs = QDateTime::currentMSecsSinceEpoch();
    auto queued = zohoIds.isEmpty()
                      ? m_session->outbox().requeueAllFailed()
                      : queueReplay(m_session->outbox(), m_session->links(), m_profile.zohoModules(), zohoIds);
    if (!queued) {
        finish(queued.error());
        return;
    }
    m_queued = queued.value();
    if (m_queued == 0) {
        finish(ReplayPlan{});
        return;
    }
    connect(&m_session->engine(), &SyncEngine::idle, this, &ReplayPreview::engineIdle);
    if (auto started = m_session->engine().start(); !started)
        finish(started.error());
}

void ReplayPreview::engineIdle()
{
    if (m_session->engine().isBusy())
        return;
    ReplayPlan plan;
    plan.queued = m_queued;
    plan.counts = m_session->engine().counts();
    AuditFilter planned;
    planned.outcomes = {QStringLiteral("dry_run")};
    planned.limit = kPlanLimit;
    auto writes = m_session->audit().query(planned);
    if (!writes) {
        finish(writes.error());
        return;
    }
    plan.writes = writes.value();
    AuditFilter failed;
    failed.outcomes = {QStringLiteral("failed"), QStringLiteral("dead")};
    failed.fromMs = m_startedMs; // the copy also holds the failures that made these records replayable
    failed.limit = kPlanLimit;
    if (auto failures = m_session->audit().query(failed))
        plan.failures = failures.value();
    finish(plan);
}

void ReplayPreview::finish(const Result<ReplayPlan>& plan)
{
    if (m_done)
        return;
    m_done = true;
    if (m_session)
        m_session->engine().stop();
    // Not from inside the engine's own signal: the session may be torn down by a receiver.
    QTimer::singleShot(0, this, [this, plan] { emit finished(plan); });
}

} // namespace Core
