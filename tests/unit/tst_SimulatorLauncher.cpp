#include "demo/SimulatorLauncher.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using Core::SimulatorLauncher;

class tst_SimulatorLauncher : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void startsTheBundledSimulatorOnALoopbackPort()
    {
        SimulatorLauncher launcher;
        QSignalSpy ready(&launcher, &SimulatorLauncher::ready);
        QSignalSpy failed(&launcher, &SimulatorLauncher::failed);
        launcher.start();
        QVERIFY2(ready.wait(20000) || !failed.isEmpty(), "simulator neither ready nor failed");
        QCOMPARE(failed.count(), 0);
        const QUrl url = ready.first().first().toUrl();
        QCOMPARE(url.scheme(), QStringLiteral("http"));
        QCOMPARE(url.host(), QStringLiteral("127.0.0.1"));
        QVERIFY(url.port() > 0);
        QVERIFY(launcher.isRunning());
        QCOMPARE(launcher.baseUrl(), url);

        // Two launches get two different free ports.
        SimulatorLauncher second;
        QSignalSpy secondReady(&second, &SimulatorLauncher::ready);
        second.start();
        QVERIFY(secondReady.wait(20000));
        QVERIFY(second.baseUrl().port() != url.port());

        launcher.stop();
        QVERIFY(!launcher.isRunning());
    }

    void reportsAMissingExecutableByPath()
    {
        SimulatorLauncher launcher;
        launcher.setExecutable(QStringLiteral("/nonexistent/ml-connector-sim"));
        QSignalSpy failed(&launcher, &SimulatorLauncher::failed);
        launcher.start();
        QVERIFY(failed.wait(5000));
        const auto error = failed.first().first().value<Core::Error>();
        QVERIFY2(error.message.contains(QStringLiteral("/nonexistent/ml-connector-sim")), qPrintable(error.message));
        QCOMPARE(error.kind, Core::Error::Kind::Unavailable);
        QVERIFY(!launcher.isRunning());
    }

    void reportsASimulatorThatExitsBeforeListening()
    {
        QTemporaryDir dir;
        const QString script = dir.filePath(QStringLiteral("fake-sim"));
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("#!/bin/sh\necho 'port in use' >&2\nexit 3\n");
        file.close();
        QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));

        SimulatorLauncher launcher;
        launcher.setExecutable(script);
        QSignalSpy failed(&launcher, &SimulatorLauncher::failed);
        launcher.start();
        QVERIFY(failed.wait(10000));
        const auto error = failed.first().first().value<Core::Error>();
        QVERIFY2(error.message.contains(QStringLiteral("code 3")), qPrintable(error.message));
    }

    void reportsASimulatorThatNeverListens()
    {
        QTemporaryDir dir;
        const QString script = dir.filePath(QStringLiteral("silent-sim"));
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("#!/bin/sh\nexec sleep 30\n");
        file.close();
        QVERIFY(file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));

        SimulatorLauncher launcher;
        launcher.setExecutable(script);
        launcher.setStartTimeoutMs(500);
        QSignalSpy failed(&launcher, &SimulatorLauncher::failed);
        launcher.start();
        QVERIFY(failed.wait(10000));
        QVERIFY(
            failed.first().first().value<Core::Error>().message.contains(QStringLiteral("did not start listening")));
    }
};

QTEST_GUILESS_MAIN(tst_SimulatorLauncher)
#include "tst_SimulatorLauncher.moc"
