#include "Clock.h"
#include "config/Profile.h"
#include "storage/Database.h"
#include "zoho/ZohoCreditMeter.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using Core::ZohoCreditMeter;
namespace CreditBudget = Core::CreditBudget;

namespace {
class ManualClock final : public Core::Clock
{
public:
    QDateTime now() const override { return m_now; }
    void set(const QDateTime& t) { m_now = t; }
    void advanceMin(qint64 minutes) { m_now = m_now.addSecs(minutes * 60); }

private:
    QDateTime m_now;
};

qint64 ourCalls(const ZohoCreditMeter& meter)
{
    auto usage = meter.usage();
    if (!usage)
        qFatal("%s", qPrintable(usage.error().message));
    return usage.value().ourCalls;
}
} // namespace

class tst_ZohoCreditMeter : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        QVERIFY(m_dir.isValid());
        m_path = m_dir.filePath(QStringLiteral("credits-%1.db").arg(++m_run));
        m_clock.set(QDateTime(QDate(2026, 2, 2), QTime(9, 0), QTimeZone::utc()));
    }

    void budgetFollowsTheEditionTable_data()
    {
        QTest::addColumn<QString>("edition");
        QTest::addColumn<int>("users");
        QTest::addColumn<qint64>("budget");
        QTest::newRow("free") << "free" << 3 << qint64(5000);
        QTest::newRow("standard") << "standard" << 10 << qint64(52500);
        QTest::newRow("standard cap") << "standard" << 1000 << qint64(100000);
        QTest::newRow("professional") << "professional" << 20 << qint64(60000);
        QTest::newRow("professional cap") << "professional" << 10000 << qint64(3000000);
        QTest::newRow("enterprise") << "Enterprise" << 50 << qint64(100000);
        QTest::newRow("enterprise cap") << "enterprise" << 10000 << qint64(5000000);
        QTest::newRow("ultimate, no cap") << "ultimate" << 10000 << qint64(20050000);
    }

    void budgetFollowsTheEditionTable()
    {
        QFETCH(QString, edition);
        QFETCH(int, users);
        QFETCH(qint64, budget);
        QCOMPARE(CreditBudget::forEdition(edition, users), std::optional<qint64>(budget));
    }

    void budgetFromTheProfile()
    {
        QTemporaryDir dir;
        auto profile = Core::Profile::open(dir.path());
        QVERIFY(profile.ok());
        Core::Profile& p = profile.value();
        // Defaults: Standard with one licensed user.
        QCOMPARE(CreditBudget::fromProfile(p).value(), qint64(50250));
        QVERIFY(p.set(QStringLiteral("zoho.edition"), QStringLiteral("professional")).ok());
        QVERIFY(p.set(QStringLiteral("zoho.licensed_users"), QStringLiteral("40")).ok());
        QCOMPARE(CreditBudget::fromProfile(p).value(), qint64(70000));
        QVERIFY(!p.set(QStringLiteral("zoho.edition"), QStringLiteral("platinum")).ok());
        QVERIFY(!p.set(QStringLiteral("zoho.licensed_users"), QStringLiteral("0")).ok());
        QVERIFY(!p.set(QStringLiteral("zoho.daily_credits"), QStringLiteral("-3")).ok());
        QVERIFY(!p.set(QStringLiteral("zoho.daily_credits"), QStringLiteral("lots")).ok());
        QVERIFY(p.set(QStringLiteral("zoho.daily_credits"), QStringLiteral("120000")).ok());
        QCOMPARE(CreditBudget::fromProfile(p).value(), qint64(120000)); // add-ons: the override wins
        QVERIFY(p.set(QStringLiteral("zoho.daily_credits"), QString()).ok());
        QCOMPARE(CreditBudget::fromProfile(p).value(), qint64(70000));
    }

    void countsAnsweredCallsOnly()
    {
        auto db = Core::Database::open(m_path);
        QVERIFY(db.ok());
        ZohoCreditMeter meter(*db.value(), &m_clock);
        for (int status : {200, 201, 204, 304, 400, 404, 500})
            meter.note(status);
        for (int status : {0, 401, 403, 429})
            meter.note(status);
        QCOMPARE(ourCalls(meter), qint64(7));
        QVERIFY(meter.flush().ok());
        QCOMPARE(ourCalls(meter), qint64(7));
    }

    void survivesARestartAndRollsOff()
    {
        {
            auto db = Core::Database::open(m_path);
            QVERIFY(db.ok());
            ZohoCreditMeter meter(*db.value(), &m_clock);
            for (int i = 0; i < 5; ++i)
                meter.note(200);
            m_clock.advanceMin(90);
            for (int i = 0; i < 3; ++i)
                meter.note(200);
            QSignalSpy flushed(&meter, &ZohoCreditMeter::flushed);
            QVERIFY(flushed.wait(10000)); // the timer writes them out on its own
            meter.note(200);
            // The destructor writes the last one.
        }
        auto db = Core::Database::open(m_path);
        QVERIFY(db.ok());
        ZohoCreditMeter meter(*db.value(), &m_clock);
        QCOMPARE(ourCalls(meter), qint64(9));
        m_clock.advanceMin(24 * 60 - 90 - 1); // the first five are 23 h 59 min old
        QCOMPARE(ourCalls(meter), qint64(9));
        m_clock.advanceMin(2);
        QCOMPARE(ourCalls(meter), qint64(4));
        m_clock.advanceMin(90);
        QCOMPARE(ourCalls(meter), qint64(0));
    }

    void zohoSaysFewerRemainAndTheEstimateFollows()
    {
        {
            auto db = Core::Database::open(m_path);
            QVERIFY(db.ok());
            ZohoCreditMeter meter(*db.value(), &m_clock);
            meter.setBudget(1000);
            for (int i = 0; i < 10; ++i)
                meter.note(200);
            QCOMPARE(meter.usage().value().used, qint64(10));
            // Other apps of the org spent credits: Zoho says 400 remain after our 11th call.
            meter.note(200, QByteArrayLiteral("400"));
            QCOMPARE(meter.usage().value().used, qint64(600));
            for (int i = 0; i < 5; ++i)
                meter.note(200);
            QCOMPARE(meter.usage().value().used, qint64(605));
            QCOMPARE(*meter.usage().value().reportedRemaining, qint64(395));
            QCOMPARE(meter.usage().value().remaining(), qint64(395));
            QCOMPARE(meter.usage().value().ourCalls, qint64(16));
            // A figure above our own count never lowers it.
            meter.note(200, QByteArrayLiteral("999"));
            QCOMPARE(meter.usage().value().used, qint64(17));
            meter.note(200, QByteArrayLiteral("300"));
        }
        // Stored with the counts: the correction survives a restart.
        auto db = Core::Database::open(m_path);
        QVERIFY(db.ok());
        ZohoCreditMeter meter(*db.value(), &m_clock);
        meter.setBudget(1000);
        QCOMPARE(meter.usage().value().ourCalls, qint64(18));
        QCOMPARE(meter.usage().value().used, qint64(700));
        meter.note(200);
        QCOMPARE(meter.usage().value().used, qint64(701));
        // A day later the observation is too old to matter.
        m_clock.advanceMin(24 * 60 + 1);
        QCOMPARE(meter.usage().value().used, qint64(0));
        meter.note(200);
        QCOMPARE(meter.usage().value().used, qint64(1));
    }

private:
    QTemporaryDir m_dir;
    QString m_path;
    int m_run = 0;
    ManualClock m_clock;
};

QTEST_GUILESS_MAIN(tst_ZohoCreditMeter)
#include "tst_ZohoCreditMeter.moc"
