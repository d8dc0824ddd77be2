#pragma once

#include "Result.h"
#include "audit/AuditStats.h"
#include "dashboard/DashboardWidget.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace Core {
class Clock;
class ReadConnection;
class SyncScheduler;
class SyncService;
class SyncSession;
class ZohoCreditMeter;
} // namespace Core

namespace Gui {

// Feeds the dashboard and carries out what it asks. Cheap figures (queue, channels, credits, next
// run) refresh on a timer; the audit-trail figures (today's counts, the chart) refresh when the
// engine reports progress, at most every kStatsThrottleMs, and once a minute for the clock. Every
// query is an index range scan or a lookup, so none of them holds up the UI. It owns the
// scheduler (schedule.* keys) and the Zoho credit meter (watching the session's Zoho API client).
// The service may be null (no channels then).
class DashboardController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardController)

public:
    static constexpr int kRefreshMs = 1000;
    static constexpr int kStatsThrottleMs = 2000;
    static constexpr int kStatsPeriodMs = 60000;

    DashboardController(Core::SyncSession* session,
                        Core::SyncService* service,
                        Core::ReadConnection* reader,
                        DashboardWidget* widget,
                        QObject* parent = nullptr,
                        const Core::Clock* clock = nullptr);
    ~DashboardController() override;

    Core::SyncScheduler* scheduler() const { return m_scheduler; }
    Core::ZohoCreditMeter* creditMeter() const { return m_meter; }
    bool isRunning() const;
    bool isPaused() const;

public slots:
    // A run of the on-demand sync (listing since the poll cursor); resumes a paused engine.
    void syncNow();
    void setPaused(bool paused);
    void cancel();
    void applySchedule(int intervalMin, const QString& window);
    void refresh();      // queue, channels, credits, last and next sync
    void refreshStats(); // today's counts and the chart

signals:
    void runStarted();
    void runFinished(int done, int total, bool cancelled);
    void pausedChanged(bool paused);
    // Something went wrong that the user should read (also shown on the dashboard).
    void problem(const QString& message);

private:
    void startRun(const QString& source);
    void onRunFinished(int done, int total, bool cancelled);
    void report(const QString& message);
    void updateNextSync();
    QDateTime now() const;

    Core::SyncSession* m_session;
    QPointer<Core::SyncService> m_service;
    Core::ReadConnection* m_reader;
    QPointer<DashboardWidget> m_widget;
    const Core::Clock* m_clock;
    Core::SyncScheduler* m_scheduler;
    Core::ZohoCreditMeter* m_meter;
    Core::SyncBucketCache m_buckets; // finished hours and days are read once
    QTimer m_refreshTimer;
    QTimer m_statsThrottle;
    QTimer m_statsTimer;
};

} // namespace Gui
