#include "AuditReplay.h"

#include "AuditBrowserWidget.h"
#include "common/Dialogs.h"
#include "storage/Database.h"
#include "sync/Replay.h"
#include "sync/ReplayPreview.h"
#include "sync/SyncEngine.h"
#include "sync/SyncSession.h"

namespace Gui {

namespace {
constexpr int kLinesShown = 12;
}

AuditReplay::AuditReplay(AuditBrowserWidget* browser,
                         Core::SyncSession* session,
                         QNetworkAccessManager* network,
                         Core::CredentialStore* secrets)
    : QObject(browser)
    , m_browser(browser)
    , m_session(session)
    , m_network(network)
    , m_secrets(secrets)
{
    connect(browser, &AuditBrowserWidget::replayRequested, this,
            [this](const QStringList& ids, bool dryRun, bool recorded) {
                dryRun ? preview(ids, recorded) : replay(ids, recorded);
            });
    connect(browser, &AuditBrowserWidget::replayAllFailedRequested, this,
            [this](bool dryRun, bool recorded) { dryRun ? preview({}, recorded) : replay({}, recorded); });
}

AuditReplay::~AuditReplay() = default;

void AuditReplay::replay(const QStringList& zohoIds, bool recordedMapping)
{
    m_session->engine().setUseRecordedMapping(recordedMapping);
    auto queued = zohoIds.isEmpty() ? m_session->outbox().requeueAllFailed()
                                    : Core::queueReplay(m_session->outbox(), m_session->links(),
                                                        m_session->profile().zohoModules(), zohoIds);
    if (!queued) {
        m_browser->setStatusText(tr("Replay not started: %1").arg(queued.error().message));
        return;
    }
    m_browser->setStatusText(queued.value() == 0 ? tr("Nothing to replay: no failed record matched")
                                                 : tr("Replaying %n record(s)…", nullptr, queued.value()));
    m_session->engine().wake();
    emit replayQueued(queued.value());
}

void AuditReplay::preview(const QStringList& zohoIds, bool recordedMapping)
{
    if (m_preview) {
        m_browser->setStatusText(tr("A dry run is already running"));
        return;
    }
    m_browser->setStatusText(tr("Dry run: trying the replay on a copy of the database…"));
    m_preview = new Core::ReplayPreview(m_session->profile(), m_session->database(), m_network, m_secrets, this);
    connect(m_preview, &Core::ReplayPreview::finished, this,
            [this, zohoIds, recordedMapping](const Core::Result<Core::ReplayPlan>& plan) {
                m_preview->deleteLater();
                if (!plan) {
                    m_browser->setStatusText(tr("Dry run failed: %1").arg(plan.error().message));
                    return;
                }
                const QString summary = describePlan(plan.value());
                m_browser->setStatusText(summary.section(QLatin1Char('\n'), 0, 0));
                emit previewReady(summary);
                if (plan.value().queued == 0)
                    return;
                QPointer<AuditReplay> self(this);
                m_browser->dialogs()->confirm(m_browser,
                                              {tr("Replay: dry run"), summary.section(QLatin1Char('\n'), 0, 0),
                                               summary.section(QLatin1Char('\n'), 1), tr("Replay for real")},
                                              [self, zohoIds, recordedMapping](bool yes) {
                                                  if (self && yes)
                                                      self->replay(zohoIds, recordedMapping);
                                              });
            });
    m_preview->start(zohoIds, recordedMapping);
}

QString AuditReplay::describePlan(const Core::ReplayPlan& plan)
{
    if (plan.queued == 0)
        return tr("Dry run: nothing to replay, no failed record matched");
    int creates = 0, updates = 0;
    for (const Core::AuditEvent& e : plan.writes)
        (e.action == QLatin1String("create") ? creates : updates)++;
    QString text = tr("Dry run of %n record(s): ", nullptr, plan.queued) +
                   tr("would create %1, update %2; %3 unchanged; %4 would fail.")
                       .arg(creates)
                       .arg(updates)
                       .arg(plan.counts.unchanged)
                       .arg(plan.failures.size());
    int lines = 0;
    for (const Core::AuditEvent& e : plan.writes) {
        if (lines++ == kLinesShown)
            break;
        text += QLatin1Char('\n') + tr("would %1 %2 %3").arg(e.action, e.module, e.zohoId);
    }
    for (const Core::AuditEvent& e : plan.failures) {
        if (lines++ >= kLinesShown)
            break;
        text += QLatin1Char('\n') + tr("%1 %2 would fail: %3").arg(e.module, e.zohoId, e.reason);
    }
    const int shownTotal = int(plan.writes.size() + plan.failures.size());
    if (shownTotal > kLinesShown)
        text += QLatin1Char('\n') + tr("… and %n more", nullptr, shownTotal - kLinesShown);
    return text;
}

} // namespace Gui
