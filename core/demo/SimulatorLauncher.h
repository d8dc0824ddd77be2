#pragma once

#include "Result.h"

#include <QObject>
#include <QProcess>
#include <QStringList>
#include <QUrl>

namespace Core {

// Runs the bundled ml-connector-sim as a child process on a free loopback port and reports its
// base URL once it listens. Used by demo mode and by tests, so both exercise the same path.
class SimulatorLauncher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimulatorLauncher)

public:
    explicit SimulatorLauncher(QObject* parent = nullptr);
    ~SimulatorLauncher() override;

    // ml-connector-sim next to the running executable.
    static QString defaultExecutable();

    void setExecutable(const QString& path) { m_executable = path; }
    void setArguments(const QStringList& args) { m_arguments = args; }
    void setStartTimeoutMs(int ms) { m_startTimeoutMs = ms; }

    void start();
    void stop();

    bool isRunning() const { return m_baseUrl.isValid(); }
    QUrl baseUrl() const { return m_baseUrl; }
    qint64 processId() const;

signals:
    void ready(const QUrl& baseUrl);
    void failed(const Core::Error& error);
    void exited(int exitCode);

private:
    void onReadyRead();
    void fail(const QString& message);

    QString m_executable;
    QStringList m_arguments;
    int m_startTimeoutMs = 15000;
    QProcess m_process;
    QByteArray m_stdout;
    QUrl m_baseUrl;
    bool m_reported = false;
};

} // namespace Core
