#include "Clock.h"
#include "config/Profile.h"
#include "sync/SyncSchedule.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using Core::BusinessWindow;
using Core::SyncSchedule;
using Core::SyncScheduler;

namespace {

class ManualClock final : public Core::Clock
{
public:
    QDateTime now() const override { return m_now; }
    void set(const QDateTime& t) { m_now = t.toUTC(); }
    void advanceMin(int minutes) { m_now = m_now.addSecs(qint64(minutes) * 60); }

private:
    QDateTime m_now;
};

const QTimeZone kUtc = QTimeZone::utc();

QDateTime utc(int y, int mo, int d, int h, int mi)
{
    return QDateTime(QDate(y, mo, d), QTime(h, mi), kUtc);
}

BusinessWindow window(const QString& text)
{
    auto parsed = BusinessWindow::parse(text);
    if (!parsed)
        qFatal("%s", qPrintable(parsed.error().message));
    return parsed.value();
}

} // namespace

class tst_SyncSchedule : public QObject
{
    Q_OBJECT

private slots:
    void parsesWindows_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("normalised");
        QTest::addColumn<QList<int>>("days");
        QTest::newRow("week") << "Mon-Fri 08:00-18:00"
                              << "Mon-Fri 08:00-18:00" << QList<int>{1, 2, 3, 4, 5};
        QTest::newRow("case, long names") << "monday-FRIDAY 8:00-18:30"
                                          << "Mon-Fri 08:00-18:30" << QList<int>{1, 2, 3, 4, 5};
        QTest::newRow("list") << "Mon,Wed,Fri 09:00-17:00"
                              << "Mon,Wed,Fri 09:00-17:00" << QList<int>{1, 3, 5};
        QTest::newRow("wraps") << "Fri-Mon 10:00-14:00"
                               << "Mon,Fri-Sun 10:00-14:00" << QList<int>{1, 5, 6, 7};
        QTest::newRow("every day") << "06:00-24:00"
                                   << "06:00-24:00" << QList<int>{1, 2, 3, 4, 5, 6, 7};
    }

    void parsesWindows()
    {
        QFETCH(QString, text);
        QFETCH(QString, normalised);
        QFETCH(QList<int>, days);
        auto parsed = BusinessWindow::parse(text);
        QVERIFY2(parsed.ok(), parsed.ok() ? "" : qPrintable(parsed.error().message));
        QCOMPARE(parsed.value().toString(), normalised);
        for (int d = 1; d <= 7; ++d)
            QCOMPARE(parsed.value().hasDay(d), days.contains(d));
        // The normalised text parses to the same window.
        QCOMPARE(window(normalised).toString(), normalised);
    }

    void emptyTextIsAnyTime()
    {
        auto parsed = BusinessWindow::parse(QStringLiteral("  "));
        QVERIFY(parsed.ok());
        QVERIFY(parsed.value().isAlways());
        QVERIFY(parsed.value().contains(utc(2026, 1, 4, 3, 0), kUtc));
    }

    void parseErrorsNameWhatIsWrong_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("day") << "Mon-Fry 08:00-18:00"
                             << "unknown day \"Fry\"";
        QTest::newRow("no times") << "Mon-Fri"
                                  << "time range is missing";
        QTest::newRow("hour") << "Mon-Fri 25:00-26:00"
                              << "\"25:00\" is not a time of day";
        QTest::newRow("shape") << "Mon-Fri 08:00"
                               << "not a time range";
        QTest::newRow("minutes") << "Mon 08:00-18:7"
                                 << "\"18:7\" is not a time of day as HH:mm";
        QTest::newRow("backwards") << "Mon-Fri 18:00-08:00"
                                   << "must end after it starts";
        QTest::newRow("parts") << "Mon Fri 08:00-18:00"
                               << "too many parts";
    }

    void parseErrorsNameWhatIsWrong()
    {
        QFETCH(QString, text);
        QFETCH(QString, mentions);
        auto parsed = BusinessWindow::parse(text);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(mentions), qPrintable(parsed.error().message));
        QVERIFY2(parsed.error().message.contains(text), qPrintable(parsed.error().message));
    }

    void nextRunWithoutWindow()
    {
        SyncSchedule s;
        const QDateTime now = utc(2026, 3, 4, 10, 0); // a Wednesday
        QVERIFY(!s.nextRun(now, {}, kUtc).isValid()); // off
        s.intervalMin = 30;
        QCOMPARE(s.nextRun(now, {}, kUtc), now);                                 // never ran: now
        QCOMPARE(s.nextRun(now, now.addSecs(-600), kUtc), now.addSecs(20 * 60)); // 10 min ago: in 20
        QCOMPARE(s.nextRun(now, now.addSecs(-7200), kUtc), now);                 // overdue: now
    }

    void nextRunRollsIntoTheNextWindow()
    {
        SyncSchedule s;
        s.intervalMin = 60;
        s.window = window(QStringLiteral("Mon-Fri 08:00-18:00"));
        // Wednesday 17:30, last run 16:45: 17:45 is inside.
        QCOMPARE(s.nextRun(utc(2026, 3, 4, 17, 30), utc(2026, 3, 4, 16, 45), kUtc), utc(2026, 3, 4, 17, 45));
        // Wednesday 17:30, last run 17:15: 18:15 is outside: Thursday 08:00.
        QCOMPARE(s.nextRun(utc(2026, 3, 4, 17, 30), utc(2026, 3, 4, 17, 15), kUtc), utc(2026, 3, 5, 8, 0));
        // Friday evening: Monday morning.
        QCOMPARE(s.nextRun(utc(2026, 3, 6, 19, 0), utc(2026, 3, 6, 17, 50), kUtc), utc(2026, 3, 9, 8, 0));
        // Before the window on a weekday: that day's opening.
        QCOMPARE(s.nextRun(utc(2026, 3, 4, 6, 0), {}, kUtc), utc(2026, 3, 4, 8, 0));
    }

    void windowIsLocalTimeAcrossDaylightSaving()
    {
        const QTimeZone berlin("Europe/Berlin");
        if (!berlin.isValid())
            QSKIP("no tz database");
        SyncSchedule s;
        s.intervalMin = 60;
        s.window = window(QStringLiteral("Mon-Fri 08:00-18:00"));
        // Saturday 28 March 2026; DST starts Sunday 29 March. Monday 30 March 08:00 CEST = 06:00 UTC.
        QCOMPARE(s.nextRun(utc(2026, 3, 28, 12, 0), {}, berlin), utc(2026, 3, 30, 6, 0));
        // A Friday in winter (CET): 08:00 local is 07:00 UTC.
        QCOMPARE(s.nextRun(utc(2026, 3, 6, 5, 0), {}, berlin), utc(2026, 3, 6, 7, 0));
    }

    void schedulerFiresWhenDueAndSkipsWhilePaused()
    {
        ManualClock clock;
        clock.set(utc(2026, 3, 4, 9, 0));
        SyncScheduler scheduler(&clock, kUtc);
        QSignalSpy due(&scheduler, &SyncScheduler::due);
        QSignalSpy skipped(&scheduler, &SyncScheduler::skipped);
        SyncSchedule s;
        s.intervalMin = 15;
        scheduler.noteRun(clock.now());
        scheduler.setSchedule(s);
        QCOMPARE(scheduler.nextRun(), utc(2026, 3, 4, 9, 15));

        clock.advanceMin(10);
        scheduler.checkNow();
        QCOMPARE(due.count(), 0);
        clock.advanceMin(5);
        scheduler.checkNow();
        QCOMPARE(due.count(), 1);
        QCOMPARE(scheduler.nextRun(), utc(2026, 3, 4, 9, 30));

        scheduler.setPaused(true);
        clock.advanceMin(15);
        scheduler.checkNow();
        QCOMPARE(due.count(), 1);
        QCOMPARE(skipped.count(), 1);
        // Resuming does not start the missed run at once.
        scheduler.setPaused(false);
        scheduler.checkNow();
        QCOMPARE(due.count(), 1);
        clock.advanceMin(15);
        scheduler.checkNow();
        QCOMPARE(due.count(), 2);

        // A manual run moves the next scheduled one.
        clock.advanceMin(5);
        scheduler.noteRun(clock.now());
        QCOMPARE(scheduler.nextRun(), clock.now().addSecs(15 * 60));

        // Off: nothing is due, however late.
        scheduler.setSchedule(SyncSchedule{});
        clock.advanceMin(600);
        scheduler.checkNow();
        QCOMPARE(due.count(), 2);
        QVERIFY(!scheduler.nextRun().isValid());
    }

    void schedulerTimerFiresOnItsOwn()
    {
        // Real time: an overdue schedule fires from the event loop without checkNow().
        SyncScheduler scheduler;
        QSignalSpy due(&scheduler, &SyncScheduler::due);
        SyncSchedule s;
        s.intervalMin = 1;
        scheduler.noteRun(QDateTime::currentDateTimeUtc().addSecs(-120));
        scheduler.setSchedule(s);
        QVERIFY(due.wait(20000));
    }

    void profileKeysAreValidatedWhenSet()
    {
        QTemporaryDir dir;
        auto profile = Core::Profile::open(dir.path());
        QVERIFY(profile.ok());
        Core::Profile& p = profile.value();
        QCOMPARE(p.value(QStringLiteral("schedule.interval_min")), QStringLiteral("0"));
        QVERIFY(p.set(QStringLiteral("schedule.interval_min"), QStringLiteral("0")).ok());
        QVERIFY(p.set(QStringLiteral("schedule.interval_min"), QStringLiteral("45")).ok());
        const auto negative = p.set(QStringLiteral("schedule.interval_min"), QStringLiteral("-5"));
        QVERIFY(!negative.ok());
        QVERIFY2(negative.error().message.contains(QStringLiteral("schedule.interval_min")),
                 qPrintable(negative.error().message));
        QVERIFY(!p.set(QStringLiteral("schedule.interval_min"), QStringLiteral("often")).ok());
        QVERIFY(p.set(QStringLiteral("schedule.window"), QStringLiteral("Mon-Fri 08:00-18:00")).ok());
        const auto bad = p.set(QStringLiteral("schedule.window"), QStringLiteral("Mon-Fry 08:00-18:00"));
        QVERIFY(!bad.ok());
        QVERIFY2(bad.error().message.contains(QStringLiteral("Fry")), qPrintable(bad.error().message));
        // The refused values were not stored.
        auto schedule = SyncSchedule::fromProfile(p);
        QVERIFY(schedule.ok());
        QCOMPARE(schedule.value().intervalMin, 45);
        QCOMPARE(schedule.value().window.toString(), QStringLiteral("Mon-Fri 08:00-18:00"));
        QVERIFY(p.set(QStringLiteral("schedule.window"), QString()).ok());
        QVERIFY(SyncSchedule::fromProfile(p).value().window.isAlways());
    }
};

QTEST_GUILESS_MAIN(tst_SyncSchedule)
#include "tst_SyncSchedule.moc"
