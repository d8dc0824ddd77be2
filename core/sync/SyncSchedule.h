#pragma once

#include "Result.h"

#include <QDateTime>
#include <QObject>
#include <QTime>
#include <QTimeZone>
#include <QTimer>

namespace Core {

class Clock;
class Profile;

// Days of the week and a local start/end time, e.g. "Mon-Fri 08:00-18:00". Text forms:
// "[days] HH:mm-HH:mm", days as a range ("Mon-Fri", "Fri-Mon" wraps), a comma list
// ("Mon,Wed,Fri"), or left out for every day. The empty text is no window: any time is fine.
// The end must come after the start on the same day (no windows over midnight).
class BusinessWindow
{
public:
    static Result<BusinessWindow> parse(const QString& text);

    bool isAlways() const { return m_days == 0; }
    bool hasDay(int dayOfWeek) const { return m_days & (1u << (dayOfWeek - 1)); } // 1 = Monday
    QTime start() const { return m_start; }
    QTime end() const { return m_end; }
    QString toString() const;

    bool contains(const QDateTime& time, const QTimeZone& zone) const;
    // The earliest moment at or after `time` that lies inside the window (time itself when inside).
    QDateTime nextOpen(const QDateTime& time, const QTimeZone& zone) const;

private:
    quint8 m_days = 0; // bit (dayOfWeek - 1); 0: always
    QTime m_start;
    QTime m_end;
};

// When scheduled full syncs run: every intervalMin minutes (0: never), only inside the window.
struct SyncSchedule
{
    static constexpr int kMaxIntervalMin = 7 * 24 * 60;

    int intervalMin = 0;
    BusinessWindow window;

    bool isOn() const { return intervalMin > 0; }
    // The next run after lastRun (now when none was or it is overdue), moved into the window.
    // Invalid when the schedule is off. UTC.
    QDateTime
    nextRun(const QDateTime& now, const QDateTime& lastRun, const QTimeZone& zone = QTimeZone::systemTimeZone()) const;

    // Keys schedule.interval_min and schedule.window.
    static Result<SyncSchedule> fromProfile(const Profile& profile);
    static Result<int> parseInterval(const QString& text);
};

// Fires due() when the schedule says a run is due. Runs that fall due while paused are skipped
// (skipped() instead of due()), so resuming does not start a burst of missed runs. A coarse timer
// re-reads the clock, so a suspended machine catches up when it wakes.
class SyncScheduler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SyncScheduler)

public:
    explicit SyncScheduler(const Clock* clock = nullptr,
                           const QTimeZone& zone = QTimeZone::systemTimeZone(),
                           QObject* parent = nullptr);

    void setSchedule(const SyncSchedule& schedule);
    const SyncSchedule& schedule() const { return m_schedule; }
    void setPaused(bool paused);
    bool isPaused() const { return m_paused; }
    // A run happened (manual or scheduled): the next one counts from here.
    void noteRun(const QDateTime& when);
    QDateTime lastRun() const { return m_lastRun; }
    QDateTime nextRun() const; // invalid when off
    void checkNow();           // re-reads the clock and fires what is due

    static constexpr int kCheckIntervalMs = 30000;

signals:
    void due();
    void skipped(const QDateTime& at);
    void nextRunChanged(const QDateTime& next);

private:
    void arm();

    const Clock* m_clock;
    QTimeZone m_zone;
    SyncSchedule m_schedule;
    QDateTime m_lastRun;
    bool m_paused = false;
    QTimer m_timer;
};

} // namespace Core
