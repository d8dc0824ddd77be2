#include "SoakProcesses.h"

#include <QDir>
#include <QElapsedTimer>

#include <csignal>
#include <sys/prctl.h>

namespace Soak {

void dieWithParent(QProcess& process)
{
    // A soak killed by ctest's timeout must not leave a simulator or a serve behind.
    process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
}

QProcessEnvironment cliEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ZOHO_CLIENT_SECRET"), QStringLiteral("sim-zoho-client-secret"));
    env.insert(QStringLiteral("ZOHO_REFRESH_TOKEN"), QStringLiteral("1000.sim-refresh-token"));
    env.insert(QStringLiteral("ORACLE_PASSWORD"), QStringLiteral("sim-oracle-password"));
    env.insert(QStringLiteral("ORACLE_CLIENT_SECRET"), QStringLiteral("sim-oracle-client-secret"));
    env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("ml.*.debug=false"));
    return env;
}

SimProcess::~SimProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.terminate();
        if (!m_process.waitForFinished(10000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }
}

bool SimProcess::start(const QString& program, const QStringList& args, const QString& logFile, QString* why)
{
    m_process.setStandardErrorFile(logFile);
    dieWithParent(m_process);
    m_process.start(program, args);
    if (!m_process.waitForStarted(30000)) {
        *why = QStringLiteral("cannot start %1: %2").arg(program, m_process.errorString());
        return false;
    }
    QElapsedTimer timer;
    timer.start();
    QByteArray line;
    while (!line.contains('\n') && timer.elapsed() < 60000) {
        if (!m_process.waitForReadyRead(1000) && m_process.state() != QProcess::Running)
            break;
        line += m_process.readAllStandardOutput();
    }
    const int at = line.indexOf("http://");
    if (at < 0) {
        *why = QStringLiteral("the simulator did not say where it listens (%1)").arg(QString::fromUtf8(line));
        return false;
    }
    m_base = QUrl(QString::fromUtf8(line.mid(at).trimmed()));
    return m_base.isValid();
}

CliRun runCli(const Paths& paths, const QStringList& args, int timeoutMs)
{
    QProcess process;
    process.setProcessEnvironment(cliEnvironment());
    dieWithParent(process);
    process.start(paths.cli,
                  QStringList{QStringLiteral("--profile"), paths.profile, QStringLiteral("--secrets-from-env")} + args);
    CliRun run;
    if (!process.waitForFinished(timeoutMs)) {
        process.kill();
        process.waitForFinished(5000);
        run.err = QStringLiteral("timed out");
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    run.out = QString::fromUtf8(process.readAllStandardOutput());
    run.err = QString::fromUtf8(process.readAllStandardError());
    return run;
}

ServeProcess::ServeProcess(const Paths& paths)
    : m_paths(paths)
{
    m_process.setProcessEnvironment(cliEnvironment());
    m_process.setStandardOutputFile(logPath(), QIODevice::Append);
    m_process.setStandardErrorFile(logPath(), QIODevice::Append);
    dieWithParent(m_process);
}

ServeProcess::~ServeProcess()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
}

QString ServeProcess::logPath() const
{
    return QDir(m_paths.workDir).filePath(QStringLiteral("serve.log"));
}

bool ServeProcess::start(QString* why)
{
    m_process.start(m_paths.cli, {QStringLiteral("--profile"), m_paths.profile, QStringLiteral("--secrets-from-env"),
                                  QStringLiteral("serve")});
    if (!m_process.waitForStarted(30000)) {
        *why = QStringLiteral("cannot start serve: %1").arg(m_process.errorString());
        return false;
    }
    return true;
}

bool ServeProcess::kill()
{
    if (m_process.state() != QProcess::Running)
        return false;
    ::kill(pid_t(m_process.processId()), SIGKILL);
    if (!m_process.waitForFinished(30000))
        return false;
    return m_process.exitStatus() == QProcess::CrashExit;
}

int ServeProcess::terminate(int timeoutMs)
{
    if (m_process.state() != QProcess::Running)
        return -1;
    m_process.terminate();
    if (!m_process.waitForFinished(timeoutMs)) {
        m_process.kill();
        m_process.waitForFinished(10000);
        return -1;
    }
    return m_process.exitStatus() == QProcess::NormalExit ? m_process.exitCode() : -1;
}

} // namespace Soak
