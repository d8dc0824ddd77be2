#include "oracle/OracleClient.h"
#include "zoho/ZohoClient.h"

#include <QTest>

using namespace Core;

// Both sides' error bodies become one Error that says what was attempted and what went wrong.
class tst_ApiErrors : public QObject
{
    Q_OBJECT

private slots:
    void oracleJsonErrorDetails()
    {
        HttpResponse r;
        r.status = 400;
        r.body =
            "{\"title\":\"Bad Request\",\"status\":\"400\",\"o:errorDetails\":[{\"detail\":\"The value of the attribute Country isn't valid.\",\"o:errorCode\":\"27024\",\"o:errorPath\":\"/accounts/Country\"}]}";
        const Error e = OracleClient::errorFrom(r, QStringLiteral("Creating account"));
        QCOMPARE(e.kind, Error::Kind::InvalidInput);
        QCOMPARE(e.httpStatus, 400);
        QCOMPARE(e.code, QStringLiteral("27024"));
        QVERIFY(e.message.startsWith(QStringLiteral("Creating account: Oracle answered HTTP 400")));
        QVERIFY(e.message.contains(QStringLiteral("Country isn't valid")));
        QVERIFY(e.message.contains(QStringLiteral("/accounts/Country")));
    }

    void oraclePlainTextError()
    {
        HttpResponse r;
        r.status = 400;
        r.body = "Invalid operation create for the specified resource.";
        const Error e = OracleClient::errorFrom(r, QStringLiteral("Creating account"));
        QVERIFY(e.message.endsWith(QStringLiteral(": Invalid operation create for the specified resource.")));
    }

    void oracleDetailAndTitleFallbacks()
    {
        HttpResponse r;
        r.status = 401;
        r.body = "{\"title\":\"Unauthorized\",\"detail\":\"Invalid token scope\"}";
        QVERIFY(
            OracleClient::errorFrom(r, QStringLiteral("x")).message.contains(QStringLiteral("Invalid token scope")));
        QCOMPARE(OracleClient::errorFrom(r, QStringLiteral("x")).kind, Error::Kind::Auth);
        r.body = "{\"title\":\"Forbidden\"}";
        r.status = 403;
        QVERIFY(OracleClient::errorFrom(r, QStringLiteral("x")).message.endsWith(QStringLiteral("Forbidden")));
    }

    void oracleEmptyBody500()
    {
        HttpResponse r;
        r.status = 500;
        r.attempts = 5;
        const Error e = OracleClient::errorFrom(r, QStringLiteral("Reading account"));
        QCOMPARE(e.kind, Error::Kind::Server);
        QCOMPARE(e.message, QStringLiteral("Reading account: Oracle answered HTTP 500 after 5 attempts"));
    }

    void oracle412IsAConflict()
    {
        HttpResponse r;
        r.status = 412;
        const Error e = OracleClient::errorFrom(r, QStringLiteral("Updating"));
        QCOMPARE(e.kind, Error::Kind::Conflict);
        QVERIFY(e.message.contains(QStringLiteral("changed in Oracle since it was read")));
    }

    void zohoEnvelope()
    {
        HttpResponse r;
        r.status = 400;
        r.body =
            "{\"code\":\"DISCRETE_PAGINATION_LIMIT_EXCEEDED\",\"details\":{\"limit\":2000},\"message\":\"You can only get the first 2000 records without using page_token param\",\"status\":\"error\"}";
        const Error e = ZohoClient::errorFrom(r, QStringLiteral("Listing"));
        QCOMPARE(e.code, QStringLiteral("DISCRETE_PAGINATION_LIMIT_EXCEEDED"));
        QCOMPARE(e.kind, Error::Kind::InvalidInput);
        QVERIFY(e.message.contains(QStringLiteral("first 2000 records")));
        r.status = 429;
        r.body = "{\"code\":\"TOO_MANY_REQUESTS\",\"details\":{},\"message\":\"limit\",\"status\":\"error\"}";
        QCOMPARE(ZohoClient::errorFrom(r, QStringLiteral("x")).kind, Error::Kind::Throttled);
    }
};

QTEST_GUILESS_MAIN(tst_ApiErrors)
#include "tst_ApiErrors.moc"
