#include "net/RetryAfter.h"

#include <QTest>

using Core::RetryAfter::parseMs;

class tst_RetryAfter : public QObject
{
    Q_OBJECT

private slots:
    void parses_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("expectedMs"); // -1: not parseable
        QTest::newRow("seconds") << QByteArray("2") << qint64(2000);
        QTest::newRow("zero") << QByteArray("0") << qint64(0);
        QTest::newRow("padded") << QByteArray("  120 ") << qint64(120000);
        QTest::newRow("imf-fixdate future") << QByteArray("Sat, 28 Nov 2026 12:00:30 GMT") << qint64(30000);
        QTest::newRow("imf-fixdate past") << QByteArray("Sat, 28 Nov 2026 11:59:00 GMT") << qint64(0);
        QTest::newRow("rfc850") << QByteArray("Saturday, 28-Nov-26 12:01:00 GMT") << qint64(60000);
        QTest::newRow("asctime") << QByteArray("Sat Nov 28 12:00:05 2026") << qint64(5000);
        QTest::newRow("huge is capped to a week") << QByteArray("99999999999") << qint64(7LL * 24 * 3600 * 1000);
        QTest::newRow("empty") << QByteArray("") << qint64(-1);
        QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
        QTest::newRow("fraction") << QByteArray("1.5") << qint64(-1);
        QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
        QTest::newRow("date without zone") << QByteArray("2026-11-28T12:00:00") << qint64(-1);
    }

    void parses()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, expectedMs);
        const QDateTime now(QDate(2026, 11, 28), QTime(12, 0, 0), Qt::UTC);
        const auto parsed = parseMs(value, now);
        if (expectedMs < 0) {
            QVERIFY2(!parsed.has_value(), qPrintable(QString::number(parsed.value_or(0))));
        } else {
            QVERIFY(parsed.has_value());
            QCOMPARE(*parsed, expectedMs);
        }
    }
};

QTEST_GUILESS_MAIN(tst_RetryAfter)
#include "tst_RetryAfter.moc"
