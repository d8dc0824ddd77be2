#pragma once

// The processes of the soak: the simulator, the CLI's one-shot commands and a killable `serve`.
// A soak program may wait synchronously (waitFor*, QTest::qWait); product code never does.

#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace Soak {

struct Paths
{
    QString sim;
    QString cli;
    QString profile;
    QString workDir;
};

// Secrets the simulator accepts, handed to the CLI through --secrets-from-env.
// The child dies with the soak (PR_SET_PDEATHSIG), even when the soak is SIGKILLed.
void dieWithParent(QProcess& process);
QProcessEnvironment cliEnvironment();

class SimProcess
{
public:
    ~SimProcess();
    // Starts the simulator and reads its one "listening on" line; false with *why set on failure.
    bool start(const QString& program, const QStringList& args, const QString& logFile, QString* why);
    QUrl base() const { return m_base; }

private:
    QProcess m_process;
    QUrl m_base;
};

struct CliRun
{
    int exitCode = -1; // -1: crashed or timed out
    QString out;
    QString err;
};

CliRun runCli(const Paths& paths, const QStringList& args, int timeoutMs = 120000);

// `ml-connector-cli serve`, started and SIGKILLed again and again; its stderr goes to one log file.
class ServeProcess
{
public:
    explicit ServeProcess(const Paths& paths);
    ~ServeProcess();

    bool start(QString* why);
    bool isRunning() const { return m_process.state() == QProcess::Running; }
    // SIGKILL; true when the process was running and died of the signal.
    bool kill();
    // SIGTERM and wait for a clean exit; returns the exit code, or -1 (crash or no exit within timeoutMs).
    int terminate(int timeoutMs);
    // Lines of the log that a test reader needs when something went wrong.
    QString logPath() const;

private:
    Paths m_paths;
    QProcess m_process;
};

} // namespace Soak
