#include "SyncSchedule.h"

#include "Clock.h"
#include "config/Profile.h"

#include <QLocale>
#include <QRegularExpression>
#include <QStringList>

namespace Core {

namespace {

const QStringList& dayNames()
{
    static const QStringList names = {QStringLiteral("Mon"), QStringLiteral("Tue"), QStringLiteral("Wed"),
                                      QStringLiteral("Thu"), QStringLiteral("Fri"), QStringLiteral("Sat"),
                                      QStringLiteral("Sun")};
    return names;
}

// 1 = Monday … 7 = Sunday; 0 when unknown. Accepts "Mon" and "Monday", any case.
int dayNumber(const QString& word)
{
    const QString w = word.trimmed();
    for (int i = 0; i < dayNames().size(); ++i) {
        const QString& shortName = dayNames().at(i);
        if (w.compare(shortName, Qt::CaseInsensitive) == 0 ||
            w.compare(QLocale::c().dayName(i + 1, QLocale::LongFormat), Qt::CaseInsensitive) == 0)
            return i + 1;
    }
    return 0;
}

Error windowError(const QString& text, const QString& what)
{
    return Error(Error::Kind::InvalidInput,
                 QObject::tr("schedule.window \"%1\": %2 (expected e.g. \"Mon-Fri 08:00-18:00\")").arg(text, what));
}

Result<QTime> parseTime(const QString& text, const QString& whole)
{
    static const QRegularExpression shape(QStringLiteral("^(\\d{1,2}):(\\d{2})$"));
    const auto m = shape.match(text.trimmed());
    if (!m.hasMatch())
        return windowError(whole, QObject::tr("\"%1\" is not a time of day as HH:mm").arg(text.trimmed()));
    const int hours = m.captured(1).toInt();
    const int minutes = m.captured(2).toInt();
    if (hours == 24 && minutes == 0)
        return QTime(23, 59, 59, 999); // "until midnight"
    if (hours > 23 || minutes > 59)
        return windowError(whole, QObject::tr("\"%1\" is not a time of day").arg(text.trimmed()));
    return QTime(hours, minutes);
}

} // namespace

Result<BusinessWindow> BusinessWindow::parse(const QString& text)
{
    BusinessWindow window;
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return window;
    const QStringList parts = trimmed.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    if (parts.size() > 2)
        return windowError(trimmed, QObject::tr("too many parts; give days, then one time range"));
    const QString times = parts.last();
    if (!times.contains(QLatin1Char(':')))
        return windowError(trimmed, QObject::tr("the time range is missing"));
    quint8 days = 0x7f;
    if (parts.size() == 2) {
        days = 0;
        for (const QString& item : parts.first().split(QLatin1Char(','))) {
            const QStringList ends = item.split(QLatin1Char('-'));
            if (ends.size() > 2 || item.isEmpty())
                return windowError(trimmed, QObject::tr("\"%1\" is not a day or a range of days").arg(item));
            const int from = dayNumber(ends.first());
            const int to = dayNumber(ends.last());
            if (!from || !to)
                return windowError(trimmed,
                                   QObject::tr("unknown day \"%1\"; use %2")
                                       .arg(from ? ends.last() : ends.first(), dayNames().join(QStringLiteral(", "))));
            for (int d = from;; d = d % 7 + 1) { // Fri-Mon wraps over the weekend
                days |= quint8(1u << (d - 1));
                if (d == to)
                    break;
            }
        }
    }
    const QStringList range = times.split(QLatin1Char('-'));
    if (range.size() != 2)
        return windowError(trimmed, QObject::tr("\"%1\" is not a time range such as 08:00-18:00").arg(times));
    auto start = parseTime(range.at(0), trimmed);
    if (!start)
        return start.error();
    auto end = parseTime(range.at(1), trimmed);
    if (!end)
        return end.error();
    if (end.value() <= start.value())
        return windowError(trimmed, QObject::tr("the window must end after it starts on the same day"));
    window.m_days = days;
    window.m_start = start.value();
    window.m_end = end.value();
    return window;
}

QString BusinessWindow::toString() const
{
    if (isAlways())
        return {};
    QStringList days;
    // Runs of consecutive days become ranges: Mon-Fri, Sat-Sun; a lone day stays a name.
    for (int d = 1; d <= 7;) {
        if (!hasDay(d)) {
            ++d;
            continue;
        }
        int last = d;
        while (last < 7 && hasDay(last + 1))
            ++last;
        days << (last == d ? dayNames().at(d - 1) : dayNames().at(d - 1) + QLatin1Char('-') + dayNames().at(last - 1));
        d = last + 1;
    }
    const QString endText = m_end == QTime(23, 59, 59, 999) ? QStringLiteral("24:00") : m_end.toString(u"HH:mm");
    const QString timeText = m_start.toString(u"HH:mm") + QLatin1Char('-') + endText;
    if (m_days == 0x7f)
        return timeText;
    return days.join(QLatin1Char(',')) + QLatin1Char(' ') + timeText;
}

bool BusinessWindow::contains(const QDateTime& time, const QTimeZone& zone) const
{
    if (isAlways())
        return true;
    const QDateTime local = time.toTimeZone(zone);
    return hasDay(local.date().dayOfWeek()) && local.time() >= m_start && local.time() < m_end;
}

QDateTime BusinessWindow::nextOpen(const QDateTime& time, const QTimeZone& zone) const
{
    if (contains(time, zone))
        return time;
    const QDateTime local = time.toTimeZone(zone);
    for (int i = 0; i <= 7; ++i) {
        const QDate day = local.date().addDays(i);
        if (!hasDay(day.dayOfWeek()))
            continue;
        const QDateTime opens(day, m_start, zone);
        if (opens >= time)
            return opens.toUTC();
    }
    return {}; // unreachable: a non-empty window has a day every week
}

QDateTime SyncSchedule::nextRun(const QDateTime& now, const QDateTime& lastRun, const QTimeZone& zone) const
{
    if (!isOn())
        return {};
    QDateTime next = lastRun.isValid() ? lastRun.addSecs(qint64(intervalMin) * 60) : now;
    if (next < now)
        next = now;
    return window.nextOpen(next, zone).toUTC();
}

Result<int> SyncSchedule::parseInterval(const QString& text)
{
    bool ok = false;
    const int minutes = text.trimmed().toInt(&ok);
    if (!ok || minutes < 0 || minutes > kMaxIntervalMin)
        return Error(Error::Kind::InvalidInput,
                     QObject::tr("schedule.interval_min must be a whole number of minutes from 0 (off) to %1, not "
                                 "\"%2\"")
                         .arg(kMaxIntervalMin)
                         .arg(text));
    return minutes;
}

Result<SyncSchedule> SyncSchedule::fromProfile(const Profile& profile)
{
    SyncSchedule schedule;
    auto interval = parseInterval(profile.value(QStringLiteral("schedule.interval_min")));
    if (!interval)
        return interval.error();
    auto window = BusinessWindow::parse(profile.value(QStringLiteral("schedule.window")));
    if (!window)
        return window.error();
    schedule.intervalMin = interval.value();
    schedule.window = window.value();
    return schedule;
}

SyncScheduler::SyncScheduler(const Clock* clock, const QTimeZone& zone, QObject* parent)
    : QObject(parent)
    , m_clock(clock ? clock : SystemClock::instance())
    , m_zone(zone)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &SyncScheduler::checkNow);
}

void SyncScheduler::setSchedule(const SyncSchedule& schedule)
{
    m_schedule = schedule;
    arm();
}

void SyncScheduler::setPaused(bool paused)
{
    m_paused = paused;
    arm();
}

void SyncScheduler::noteRun(const QDateTime& when)
{
    m_lastRun = when.toUTC();
    arm();
}

QDateTime SyncScheduler::nextRun() const
{
    return m_schedule.nextRun(m_clock->now(), m_lastRun, m_zone);
}

void SyncScheduler::checkNow()
{
    const QDateTime now = m_clock->now();
    const QDateTime next = m_schedule.nextRun(now, m_lastRun, m_zone);
    if (next.isValid() && next <= now) {
        m_lastRun = now.toUTC();
        if (m_paused)
            emit skipped(now);
        else
            emit due();
    }
    arm();
}

void SyncScheduler::arm()
{
    const QDateTime next = nextRun();
    emit nextRunChanged(next);
    if (!next.isValid()) {
        m_timer.stop();
        return;
    }
    // Never sleep longer than the coarse interval: the wall clock may jump (suspend, NTP).
    const qint64 wait = qBound(qint64(0), m_clock->now().msecsTo(next), qint64(kCheckIntervalMs));
    m_timer.start(int(wait));
}

} // namespace Core
