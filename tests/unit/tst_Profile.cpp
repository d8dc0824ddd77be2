#include "config/Profile.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using Core::Profile;

class tst_Profile : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void defaultsAndPersistence()
    {
        QTemporaryDir dir;
        auto profile = Profile::open(dir.path());
        QVERIFY(profile.ok());
        QCOMPARE(profile.value().value(QStringLiteral("zoho.dc")), QStringLiteral("us"));
        QCOMPARE(profile.value().zohoModules(), (QStringList{QStringLiteral("Contacts"), QStringLiteral("Accounts")}));
        QVERIFY(profile.value().set(QStringLiteral("zoho.dc"), QStringLiteral("eu")).ok());
        QVERIFY(profile.value()
                    .set(QStringLiteral("oracle.pod_url"), QStringLiteral("https://acme.fa.us2.oraclecloud.com"))
                    .ok());
        auto reopened = Profile::open(dir.path());
        QCOMPARE(reopened.value().value(QStringLiteral("zoho.dc")), QStringLiteral("eu"));
        QCOMPARE(reopened.value().oracle().podUrl, QStringLiteral("https://acme.fa.us2.oraclecloud.com"));
        QCOMPARE(reopened.value().zoho().dataCentre, QStringLiteral("eu"));
        QCOMPARE(QFile(reopened.value().configPath()).permissions() & (QFile::ReadOther | QFile::ReadGroup),
                 QFile::Permissions());
        QCOMPARE(reopened.value().id(), profile.value().id());
    }

    void refusesWhatCannotWork_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown key") << "zoho.colour"
                                     << "red"
                                     << "Unknown setting \"zoho.colour\"";
        QTest::newRow("secret") << "zoho.client_secret"
                                << "s3cr3t"
                                << "secret set zoho.client_secret";
        QTest::newRow("oracle password") << "oracle.password"
                                         << "pw"
                                         << "never to config.ini";
        QTest::newRow("bad choice") << "oracle.auth"
                                    << "kerberos"
                                    << "oracle.auth must be one of basic, oauth";
        QTest::newRow("bad number") << "sync.poll_interval_s"
                                    << "soon"
                                    << "positive whole number";
        QTest::newRow("zero") << "zoho.concurrency"
                              << "0"
                              << "positive whole number";
        QTest::newRow("plain http pod") << "oracle.pod_url"
                                        << "http://acme.fa.us2.oraclecloud.com"
                                        << "plain http:// is refused";
        QTest::newRow("plain http zoho") << "zoho.accounts_url"
                                         << "http://accounts.zoho.eu"
                                         << "zoho.accounts_url";
    }

    void refusesWhatCannotWork()
    {
        QFETCH(QString, key);
        QFETCH(QString, value);
        QFETCH(QString, mentions);
        QTemporaryDir dir;
        auto profile = Profile::open(dir.path());
        const auto set = profile.value().set(key, value);
        QVERIFY(!set.ok());
        QVERIFY2(set.error().message.contains(mentions), qPrintable(set.error().message));
        QFile config(profile.value().configPath());
        if (config.open(QIODevice::ReadOnly))
            QVERIFY(!config.readAll().contains(value.toUtf8()));
    }

    void secretNamesMapToStoreKeys()
    {
        for (const QString& name : Profile::secretNames())
            QVERIFY(!Profile::secretStoreKey(name).isEmpty());
        QCOMPARE(Profile::secretStoreKey(QStringLiteral("zoho.refresh_token")), QStringLiteral("zoho/refresh_token"));
        QVERIFY(Profile::secretStoreKey(QStringLiteral("zoho.dc")).isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_Profile)
#include "tst_Profile.moc"
