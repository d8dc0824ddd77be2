#include "SimulatorLauncher.h"

#include "Logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

#ifdef Q_OS_LINUX
#include <csignal>
#include <sys/prctl.h>
#endif

namespace Core {

namespace {
const QByteArray kListeningPrefix = "ml-connector-sim listening on ";
}

SimulatorLauncher::SimulatorLauncher(QObject* parent)
    : QObject(parent)
    , m_executable(defaultExecutable())
{
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
#ifdef Q_OS_LINUX
    // The simulator goes with its parent even when the parent is killed outright, so no demo
    // leaves a server behind.
    m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
#endif
    connect(&m_process, &QProcess::readyReadStandardOutput, this, &SimulatorLauncher::onReadyRead);
    connect(&m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart)
            fail(tr("Could not start the simulator %1: %2").arg(m_executable, m_process.errorString()));
    });
    connect(&m_process, &QProcess::finished, this, [this](int exitCode, QProcess::ExitStatus) {
        const bool wasRunning = m_baseUrl.isValid();
        m_baseUrl = QUrl();
        if (!m_reported)
            fail(tr("The simulator %1 exited with code %2 before it listened").arg(m_executable).arg(exitCode));
        if (wasRunning)
            emit exited(exitCode);
    });
}

SimulatorLauncher::~SimulatorLauncher()
{
    stop();
}

QString SimulatorLauncher::defaultExecutable()
{
    return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("ml-connector-sim"));
}

qint64 SimulatorLauncher::processId() const
{
    return m_process.processId();
}

void SimulatorLauncher::start()
{
    m_reported = false;
    m_stdout.clear();
    m_baseUrl = QUrl();
    if (!QFileInfo(m_executable).isExecutable()) {
        // Report asynchronously so callers can connect after start() and still see it.
        QTimer::singleShot(0, this, [this] { fail(tr("The simulator was not found at %1").arg(m_executable)); });
        return;
    }
    QStringList args = m_arguments;
    if (!args.contains(QStringLiteral("--port")))
        args << QStringLiteral("--port") << QStringLiteral("0");
    qCInfo(lcDemo) << "starting simulator" << m_executable << args;
    m_process.start(m_executable, args, QIODevice::ReadOnly);
    QTimer::singleShot(m_startTimeoutMs, this, [this] {
        if (!m_reported)
            fail(tr("The simulator did not start listening within %1 s").arg(m_startTimeoutMs / 1000));
    });
}

void SimulatorLauncher::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(1000);
    }
}

void SimulatorLauncher::onReadyRead()
{
    m_stdout += m_process.readAllStandardOutput();
    if (m_reported)
        return;
    const int at = m_stdout.indexOf(kListeningPrefix);
    const int eol = at < 0 ? -1 : m_stdout.indexOf('\n', at);
    if (eol < 0)
        return;
    const QUrl url(
        QString::fromUtf8(m_stdout.mid(at + kListeningPrefix.size(), eol - at - kListeningPrefix.size())).trimmed());
    if (!url.isValid() || url.port() <= 0) {
        fail(tr("The simulator printed an unusable address: %1").arg(url.toString()));
        return;
    }
    m_reported = true;
    m_baseUrl = url;
    qCInfo(lcDemo) << "simulator ready at" << url.toString();
    emit ready(url);
}

void SimulatorLauncher::fail(const QString& message)
{
    if (m_reported)
        return;
    m_reported = true;
    qCWarning(lcDemo).noquote() << message;
    stop();
    emit failed(Error{Error::Kind::Unavailable, message, 0, {}});
}

} // namespace Core
