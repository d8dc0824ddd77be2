#include "DashboardController.h"

#include "Clock.h"
#include "Logging.h"
#include "audit/AuditStats.h"
#include "net/Connections.h"
#include "storage/Database.h"
#include "sync/ChannelManager.h"
#include "sync/FullSync.h"
#include "sync/Poller.h"
#include "sync/QueueDepth.h"
#include "sync/SyncEngine.h"
#include "sync/SyncSchedule.h"
#include "sync/SyncService.h"
#include "sync/SyncSession.h"
#include "zoho/ZohoCreditMeter.h"

namespace Gui {

DashboardController::DashboardController(Core::SyncSession* session,
                                         Core::SyncService* service,
                                         Core::ReadConnection* reader,
                                         DashboardWidget* widget,
                                         QObject* parent,
                                         const Core::Clock* clock)
    : QObject(parent)
    , m_session(session)
    , m_service(service)
    , m_reader(reader)
    , m_widget(widget)
    , m_clock(clock ? clock : Core::SystemClock::instance())
    , m_scheduler(new Core::SyncScheduler(m_clock, QTimeZone::systemTimeZone(), this))
    , m_meter(new Core::ZohoCreditMeter(session->database(), m_clock, this))
{
    const Core::Profile& profile = m_session->profile();
    m_meter->attach(m_session->connections().zohoApi());
    if (auto budget = Core::CreditBudget::fromProfile(profile))
        m_meter->setBudget(budget.value());
    else
        report(budget.error().message);

    auto schedule = Core::SyncSchedule::fromProfile(profile);
    if (schedule)
        m_scheduler->setSchedule(schedule.value());
    else
        report(schedule.error().message);
    m_widget->setSchedule(schedule ? schedule.value().intervalMin : 0,
                          schedule ? schedule.value().window.toString() : QString());
    connect(m_scheduler, &Core::SyncScheduler::due, this, [this] {
        if (!isRunning())
            startRun(QStringLiteral("poll"));
    });
    connect(m_scheduler, &Core::SyncScheduler::nextRunChanged, this, [this] { updateNextSync(); });

    Core::FullSync& run = m_session->fullSync();
    connect(&run, &Core::FullSync::progress, this, [this](int done, int total) {
        if (!m_widget->isRunning())
            m_widget->setRunning(true); // a run started elsewhere (the tray, the app's first sync)
        m_widget->setProgress(done, total);
    });
    connect(&run, &Core::FullSync::runFinished, this, &DashboardController::onRunFinished);
    connect(&run, &Core::FullSync::finished, this, [this](const Core::Result<int>& queued) {
        if (!queued)
            report(queued.error().message);
    });
    connect(&m_session->engine(), &Core::SyncEngine::countsChanged, this, [this] {
        if (!m_statsThrottle.isActive())
            m_statsThrottle.start();
    });
    if (m_service && m_service->channels())
        connect(m_service->channels(), &Core::ChannelManager::stateChanged, this, &DashboardController::refresh);

    connect(m_widget, &DashboardWidget::syncNowRequested, this, &DashboardController::syncNow);
    connect(m_widget, &DashboardWidget::pauseToggled, this, &DashboardController::setPaused);
    connect(m_widget, &DashboardWidget::cancelRequested, this, &DashboardController::cancel);
    connect(m_widget, &DashboardWidget::scheduleChanged, this, &DashboardController::applySchedule);
    connect(m_widget, &DashboardWidget::chartRangeChanged, this, &DashboardController::refreshStats);

    m_refreshTimer.setInterval(kRefreshMs);
    connect(&m_refreshTimer, &QTimer::timeout, this, &DashboardController::refresh);
    m_statsThrottle.setSingleShot(true);
    m_statsThrottle.setInterval(kStatsThrottleMs);
    connect(&m_statsThrottle, &QTimer::timeout, this, &DashboardController::refreshStats);
    m_statsTimer.setInterval(kStatsPeriodMs); // the hour and the day roll over
    connect(&m_statsTimer, &QTimer::timeout, this, &DashboardController::refreshStats);
    m_refreshTimer.start();
    m_statsTimer.start();

    m_widget->setSyncEnabled(true);
    m_widget->setPaused(m_session->engine().isPaused());
    m_widget->setRunning(run.isRunning());
    refresh();
    refreshStats();
}

DashboardController::~DashboardController() = default;

QDateTime DashboardController::now() const
{
    return m_clock->now();
}

bool DashboardController::isRunning() const
{
    return m_session->fullSync().isRunning();
}

bool DashboardController::isPaused() const
{
    return m_session->engine().isPaused();
}

void DashboardController::syncNow()
{
    if (isRunning())
        return;
    startRun(QStringLiteral("manual"));
}

void DashboardController::startRun(const QString& source)
{
    // Sync now means sync: a paused (or cancelled) engine picks up its queue again.
    if (isPaused())
        setPaused(false);
    m_scheduler->noteRun(now());
    m_widget->setRunning(true);
    m_widget->setProgress(0, 0);
    m_widget->setStatusText(tr("Syncing: reading changed records from Zoho…"));
    emit runStarted();
    m_session->fullSync().start(false, source);
}

void DashboardController::onRunFinished(int done, int total, bool cancelled)
{
    m_widget->setRunning(false);
    if (cancelled) {
        m_widget->setPaused(true);
        m_scheduler->setPaused(true);
        m_widget->setStatusText(tr("Cancelled after %1 of %2 records. The rest stay queued: Resume or Sync now "
                                   "continues with them.")
                                    .arg(done)
                                    .arg(total));
        emit pausedChanged(true);
    } else {
        m_widget->setStatusText(tr("Sync finished: %1 records.").arg(done));
    }
    refresh();
    refreshStats();
    emit runFinished(done, total, cancelled);
}

void DashboardController::setPaused(bool paused)
{
    if (paused)
        m_session->engine().pause(); // the round in flight still finishes
    else
        m_session->engine().resume();
    m_scheduler->setPaused(paused);
    m_widget->setPaused(paused);
    m_widget->setStatusText(paused ? tr("Paused: nothing is sent until you resume; changes keep being queued.")
                                   : tr("Syncing resumed."));
    refresh();
    emit pausedChanged(paused);
}

void DashboardController::cancel()
{
    m_session->fullSync().cancel();
}

void DashboardController::applySchedule(int intervalMin, const QString& window)
{
    // Profile copies share one settings file: writing through a copy writes the session's profile.
    Core::Profile profile = m_session->profile();
    auto interval = profile.set(QStringLiteral("schedule.interval_min"), QString::number(intervalMin));
    if (!interval) {
        report(interval.error().message);
        return;
    }
    auto windowSet = profile.set(QStringLiteral("schedule.window"), window);
    if (!windowSet) {
        report(windowSet.error().message);
        return;
    }
    auto schedule = Core::SyncSchedule::fromProfile(profile);
    if (!schedule) {
        report(schedule.error().message);
        return;
    }
    m_scheduler->setSchedule(schedule.value());
    updateNextSync();
}

void DashboardController::refresh()
{
    if (!m_widget)
        return;
    if (auto counts = m_reader ? Core::QueueDepth::read(*m_reader) : m_session->outbox().counts())
        m_widget->setQueue(counts.value());
    if (m_service && m_service->channels())
        m_widget->setChannels(m_service->channels()->channels(), now());
    if (auto usage = m_meter->usage())
        m_widget->setCredits(usage.value());
    else
        m_widget->setCreditsUnavailable(usage.error().message);
    updateNextSync();
}

void DashboardController::updateNextSync()
{
    if (!m_widget)
        return;
    QString why = tr("not scheduled");
    if (m_scheduler->schedule().isOn() && m_scheduler->isPaused())
        why = tr("paused");
    else if (m_service && m_service->poller() && m_service->poller()->isStarted())
        why = tr("not scheduled; polling every %1 min").arg(qMax(1, m_service->poller()->config().intervalS / 60));
    m_widget->setNextSync(m_scheduler->isPaused() ? QDateTime() : m_scheduler->nextRun(), why);
}

void DashboardController::refreshStats()
{
    if (!m_widget || !m_reader)
        return;
    const QDateTime t = now();
    const qint64 end = t.toMSecsSinceEpoch() + 1;
    if (auto today = m_buckets.tally(*m_reader, Core::AuditStats::startOfDayMs(t), end, t.toMSecsSinceEpoch()))
        m_widget->setTodayCounts(today.value());
    else
        report(today.error().message);
    const DashboardWidget::ChartRange range = m_widget->chartRange();
    const QList<qint64> edges = range == DashboardWidget::ChartRange::Last24Hours ? Core::AuditStats::hourEdges(t, 24)
                                                                                  : Core::AuditStats::dayEdges(t, 14);
    if (auto buckets = m_buckets.buckets(*m_reader, edges, t.toMSecsSinceEpoch()))
        m_widget->setChart(buckets.value(), range);
    else
        report(buckets.error().message);
    if (auto last = Core::AuditStats::lastEventMs(*m_reader); last && last.value())
        m_widget->setLastSync(QDateTime::fromMSecsSinceEpoch(*last.value(), QTimeZone::utc()));
    else
        m_widget->setLastSync({});
}

void DashboardController::report(const QString& message)
{
    qCWarning(lcSync).noquote() << message;
    if (m_widget)
        m_widget->setStatusText(message);
    emit problem(message);
}

} // namespace Gui
