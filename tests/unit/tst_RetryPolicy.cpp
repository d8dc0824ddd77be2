#include "net/RetryPolicy.h"

#include <QTest>

using namespace Core;

namespace {
HttpRequest requestWith(const QByteArray& method, bool guarded = false)
{
    HttpRequest r;
    r.method = method;
    r.url = QUrl(QStringLiteral("https://www.zohoapis.com/crm/v8/Contacts"));
    r.retryUnsafe = guarded;
    return r;
}

RetryPolicy fixedPolicy(double random)
{
    RetryPolicy policy;
    policy.baseDelayMs = 1000;
    policy.maxDelayMs = 8000;
    policy.maxAttempts = 6;
    policy.random = [random] { return random; };
    return policy;
}

const QDateTime kNow(QDate(2026, 11, 28), QTime(12, 0, 0), Qt::UTC);
} // namespace

class tst_RetryPolicy : public QObject
{
    Q_OBJECT

private slots:
    void decidesByStatusAndMethod_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<bool>("guarded");
        QTest::addColumn<int>("status"); // 0 = transport failure
        QTest::addColumn<bool>("timeout");
        QTest::addColumn<bool>("retry");
        QTest::newRow("GET 503") << QByteArray("GET") << false << 503 << false << true;
        QTest::newRow("GET 500") << QByteArray("GET") << false << 500 << false << true;
        QTest::newRow("GET 502") << QByteArray("GET") << false << 502 << false << true;
        QTest::newRow("GET 504") << QByteArray("GET") << false << 504 << false << true;
        QTest::newRow("GET 408") << QByteArray("GET") << false << 408 << false << true;
        QTest::newRow("GET 429") << QByteArray("GET") << false << 429 << false << true;
        QTest::newRow("GET network") << QByteArray("GET") << false << 0 << false << true;
        QTest::newRow("GET timeout") << QByteArray("GET") << false << 0 << true << true;
        QTest::newRow("PUT 503") << QByteArray("PUT") << false << 503 << false << true;
        QTest::newRow("DELETE network") << QByteArray("DELETE") << false << 0 << false << true;
        QTest::newRow("POST 503 unguarded") << QByteArray("POST") << false << 503 << false << false;
        QTest::newRow("POST timeout unguarded") << QByteArray("POST") << false << 0 << true << false;
        QTest::newRow("POST 503 guarded") << QByteArray("POST") << true << 503 << false << true;
        QTest::newRow("PATCH timeout guarded") << QByteArray("PATCH") << true << 0 << true << true;
        QTest::newRow("POST 429 refused, safe") << QByteArray("POST") << false << 429 << false << true;
        QTest::newRow("GET 400") << QByteArray("GET") << false << 400 << false << false;
        QTest::newRow("GET 401") << QByteArray("GET") << false << 401 << false << false;
        QTest::newRow("GET 403") << QByteArray("GET") << false << 403 << false << false;
        QTest::newRow("GET 404") << QByteArray("GET") << false << 404 << false << false;
        QTest::newRow("GET 409") << QByteArray("GET") << false << 409 << false << false;
        QTest::newRow("PATCH 412") << QByteArray("PATCH") << true << 412 << false << false;
        QTest::newRow("GET 422") << QByteArray("GET") << false << 422 << false << false;
        QTest::newRow("GET 501") << QByteArray("GET") << false << 501 << false << false;
    }

    void decidesByStatusAndMethod()
    {
        QFETCH(QByteArray, method);
        QFETCH(bool, guarded);
        QFETCH(int, status);
        QFETCH(bool, timeout);
        QFETCH(bool, retry);
        const HttpOutcome outcome =
            status == 0 ? (timeout ? HttpOutcome::Timeout : HttpOutcome::NetworkError) : classifyStatus(status);
        const auto decision = fixedPolicy(0.5).decide(requestWith(method, guarded), outcome, status, {}, 1, kNow);
        QCOMPARE(decision.retry, retry);
    }

    void givesUpAfterMaxAttempts()
    {
        const RetryPolicy policy = fixedPolicy(0.5);
        const auto request = requestWith("GET");
        for (int attempt = 1; attempt < policy.maxAttempts; ++attempt)
            QVERIFY(policy.decide(request, HttpOutcome::ServerError, 503, {}, attempt, kNow).retry);
        const auto last = policy.decide(request, HttpOutcome::ServerError, 503, {}, policy.maxAttempts, kNow);
        QVERIFY(!last.retry);
        QVERIFY(last.reason.contains(QStringLiteral("6 attempts")));
    }

    void backsOffExponentiallyWithJitterAndCap()
    {
        // Lowest jitter: exactly half the ceiling; highest: just under the ceiling.
        const RetryPolicy low = fixedPolicy(0.0);
        const RetryPolicy high = fixedPolicy(0.999);
        const qint64 ceilings[] = {1000, 2000, 4000, 8000, 8000, 8000};
        for (int attempt = 1; attempt <= 6; ++attempt) {
            const qint64 ceiling = ceilings[attempt - 1];
            QCOMPARE(low.backoffMs(attempt), ceiling / 2);
            QVERIFY(high.backoffMs(attempt) < ceiling);
            QVERIFY(high.backoffMs(attempt) >= ceiling * 99 / 100);
        }
        // Different random draws give different delays: it is jittered.
        QVERIFY(fixedPolicy(0.1).backoffMs(3) != fixedPolicy(0.9).backoffMs(3));
    }

    void honoursRetryAfterSeconds()
    {
        const auto d =
            fixedPolicy(0.0).decide(requestWith("GET"), HttpOutcome::Throttled, 429, {{"Retry-After", "7"}}, 1, kNow);
        QVERIFY(d.retry);
        QCOMPARE(d.delayMs, qint64(7000));
    }

    void honoursRetryAfterHttpDate()
    {
        const auto d = fixedPolicy(0.0).decide(requestWith("GET"), HttpOutcome::ServerError, 503,
                                               {{"retry-after", "Sat, 28 Nov 2026 12:00:03 GMT"}}, 1, kNow);
        QVERIFY(d.retry);
        QCOMPARE(d.delayMs, qint64(3000));
    }

    void backoffWinsOverAShorterRetryAfter()
    {
        const auto d =
            fixedPolicy(0.0).decide(requestWith("GET"), HttpOutcome::Throttled, 429, {{"Retry-After", "0"}}, 3, kNow);
        QVERIFY(d.retry);
        QCOMPARE(d.delayMs, qint64(2000)); // half of 4 s
    }

    void aLongRetryAfterIsLeftToTheCaller()
    {
        const auto d = fixedPolicy(0.0).decide(requestWith("GET"), HttpOutcome::Throttled, 429,
                                               {{"Retry-After", "3600"}}, 1, kNow);
        QVERIFY(!d.retry);
        QCOMPARE(d.delayMs, qint64(3600000));
    }

    void noInlineRetryWhenZohoCreditsAreGone()
    {
        const auto d = fixedPolicy(0.0).decide(requestWith("GET"), HttpOutcome::Throttled, 429,
                                               {{"X-API-CREDITS-REMAINING", "0"}}, 1, kNow);
        QVERIFY(!d.retry);
        QVERIFY(d.reason.contains(QStringLiteral("credits")));
    }
};

QTEST_GUILESS_MAIN(tst_RetryPolicy)
#include "tst_RetryPolicy.moc"
