#include "Redact.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace Core;

class tst_Redact : public QObject
{
    Q_OBJECT

private slots:
    void authorizationHeadersKeepOnlyTheScheme()
    {
        QCOMPARE(Redact::headerValue("Authorization", "Zoho-oauthtoken 1000.abc.def"),
                 QByteArray("Zoho-oauthtoken ***"));
        QCOMPARE(Redact::headerValue("authorization", "Basic aW50OnB3"), QByteArray("Basic ***"));
        QCOMPARE(Redact::headerValue("Cookie", "session=1"), QByteArray("***"));
        QCOMPARE(Redact::headerValue("X-Refresh-Token", "abc"), QByteArray("***"));
        QCOMPARE(Redact::headerValue("Content-Type", "application/json"), QByteArray("application/json"));
        const HeaderList redacted = Redact::headers({{"Accept", "*/*"}, {"Authorization", "Bearer eyJ.secret"}});
        QCOMPARE(redacted.at(0).second, QByteArray("*/*"));
        QCOMPARE(redacted.at(1).second, QByteArray("Bearer ***"));
    }

    void urlQueries()
    {
        const QUrl in(QStringLiteral("https://accounts.zoho.eu/oauth/v2/token?refresh_token=1000.r&client_id=cid"
                                     "&client_secret=s3cr3t&grant_type=refresh_token"));
        const QString out = Redact::url(in).toString();
        QVERIFY(!out.contains(QStringLiteral("1000.r")));
        QVERIFY(!out.contains(QStringLiteral("s3cr3t")));
        QVERIFY(out.contains(QStringLiteral("client_id=cid")));
        QVERIFY(out.contains(QStringLiteral("grant_type=refresh_token")));
        QVERIFY(!Redact::url(QUrl(QStringLiteral("https://u:pw@host/x"))).toString().contains(QStringLiteral("pw")));
    }

    void formBodies()
    {
        const QByteArray out =
            Redact::body("grant_type=refresh_token&client_id=cid&client_secret=a%2Bb&refresh_token=1000.x");
        QVERIFY(!out.contains("a%2Bb"));
        QVERIFY(!out.contains("1000.x"));
        QVERIFY(out.contains("client_id=cid"));
    }

    void jsonBodiesAtAnyDepth()
    {
        const QByteArray in =
            "{\"access_token\":\"tok\",\"api_domain\":\"https://www.zohoapis.com\", \"watch\":[{\"channel_id\":\"1\",\"token\":\"verify-me\",\"nested\":{\"password\":\"pw\"}}]}";
        const QByteArray out = Redact::body(in);
        QVERIFY(!out.contains("tok\""));
        QVERIFY(!out.contains("verify-me"));
        QVERIFY(!out.contains("\"pw\""));
        QVERIFY(out.contains("https://www.zohoapis.com"));
        QVERIFY(QJsonDocument::fromJson(out).isObject());
    }

    void brokenJsonIsMaskedTextually()
    {
        const QByteArray out = Redact::body("{\"refresh_token\":\"1000.abc\",\"x\":");
        QVERIFY(!out.contains("1000.abc"));
    }

    void plainTextIsLeftAlone()
    {
        QCOMPARE(Redact::body("Invalid operation create for the specified resource."),
                 QByteArray("Invalid operation create for the specified resource."));
    }
};

QTEST_GUILESS_MAIN(tst_Redact)
#include "tst_Redact.moc"
