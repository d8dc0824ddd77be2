#include "SingleInstance.h"

#include <QFile>
#include <QLocalServer>
#include <QLocalSocket>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

namespace {

QString uniqueSuffix()
{
    return QStringLiteral("test-") + QUuid::createUuid().toString(QUuid::Id128).left(12);
}

} // namespace

class tst_SingleInstance : public QObject
{
    Q_OBJECT

private slots:
    void secondInstanceRaisesTheFirst()
    {
        const QString suffix = uniqueSuffix();
        SingleInstance first(QStringLiteral("ml-connector"), suffix);
        QVERIFY(first.tryBecomePrimary());
        QVERIFY(first.isPrimary());
        QSignalSpy raise(&first, &SingleInstance::raiseRequested);

        SingleInstance second(QStringLiteral("ml-connector"), suffix);
        QCOMPARE(second.serverName(), first.serverName());
        QVERIFY(!second.tryBecomePrimary());
        QVERIFY(!second.isPrimary());
        QVERIFY(second.notifyPrimary());
        QTRY_COMPARE(raise.count(), 1);
        QTest::qWait(50);
        QCOMPARE(raise.count(), 1); // the probe connection alone does not raise
    }

    void keysSeparateAppsAndProfiles()
    {
        const QString base = SingleInstance::serverNameFor(QStringLiteral("ml-connector"));
        QVERIFY(base != SingleInstance::serverNameFor(QStringLiteral("ml-connector"), QStringLiteral("demo")));
        QVERIFY(base != SingleInstance::serverNameFor(QStringLiteral("other-app")));
        QVERIFY(!SingleInstance::serverNameFor(QStringLiteral("ml-connector"), QStringLiteral("a/b c"))
                     .contains(QLatin1Char('/')));

        const QString suffix = uniqueSuffix();
        SingleInstance normal(QStringLiteral("ml-connector"), suffix);
        SingleInstance demo(QStringLiteral("ml-connector"), suffix + QStringLiteral("-demo"));
        QVERIFY(normal.tryBecomePrimary());
        QVERIFY(demo.tryBecomePrimary());
    }

    void notifyWithoutPrimaryFails()
    {
        SingleInstance lone(QStringLiteral("ml-connector"), uniqueSuffix());
        QVERIFY(!lone.notifyPrimary(200));
    }

    void staleSocketFromACrashIsRecovered()
    {
        const QString suffix = uniqueSuffix();
        const QString name = SingleInstance::serverNameFor(QStringLiteral("ml-connector"), suffix);
        QString path;
        {
            QLocalServer probe;
            QVERIFY(probe.listen(name));
            path = probe.fullServerName();
        }
        QVERIFY(!QFile::exists(path));

        // What a crashed primary leaves behind: a bound socket file that nobody listens on.
        const int fd = ::socket(AF_UNIX, SOCK_STREAM, 0);
        QVERIFY(fd >= 0);
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        const QByteArray encoded = QFile::encodeName(path);
        QVERIFY(static_cast<std::size_t>(encoded.size()) < sizeof(address.sun_path));
        std::memcpy(address.sun_path, encoded.constData(), static_cast<std::size_t>(encoded.size()));
        QCOMPARE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
        ::close(fd);
        QVERIFY(QFile::exists(path));
        {
            // Nobody answers on it. (No QLocalServer::listen check here: a failed listen removes the file.)
            QLocalSocket socket;
            socket.connectToServer(name);
            QVERIFY(!socket.waitForConnected(200));
        }
        QVERIFY(QFile::exists(path));

        SingleInstance instance(QStringLiteral("ml-connector"), suffix);
        QCOMPARE(instance.serverName(), name);
        QVERIFY(instance.tryBecomePrimary());
        QSignalSpy raise(&instance, &SingleInstance::raiseRequested);
        SingleInstance second(QStringLiteral("ml-connector"), suffix);
        QVERIFY(!second.tryBecomePrimary());
        QVERIFY(second.notifyPrimary());
        QTRY_COMPARE(raise.count(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_SingleInstance)
#include "tst_SingleInstance.moc"
