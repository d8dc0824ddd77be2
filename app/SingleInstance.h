#pragma once

#include <QObject>
#include <QString>

class QLocalServer;

// One desktop app per user (and per profile): the first launch listens on a local socket, a
// second launch sends "raise" to it and exits.
class SingleInstance final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SingleInstance)

public:
    // suffix separates instances that may run side by side, e.g. a profile or "demo".
    explicit SingleInstance(const QString& appName, const QString& suffix = QString(), QObject* parent = nullptr);
    ~SingleInstance() override;

    // The socket name, keyed by user, app name and suffix.
    static QString serverNameFor(const QString& appName, const QString& suffix = QString());
    QString serverName() const { return m_serverName; }

    // True when this is the first instance; it then listens for later launches. A socket file
    // left by a crashed instance is removed.
    bool tryBecomePrimary();
    bool isPrimary() const { return m_server != nullptr; }
    // From a second launch: asks the primary to raise its window. False if nobody answered.
    bool notifyPrimary(int timeoutMs = 2000);

signals:
    // In the primary: another launch asked for the window.
    void raiseRequested();

private:
    void onNewConnection();

    QString m_serverName;
    QLocalServer* m_server = nullptr;
};
