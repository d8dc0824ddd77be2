#include "SingleInstance.h"

#include <QCryptographicHash>
#include <QDir>
#include <QLocalServer>
#include <QLocalSocket>
#include <QRegularExpression>

namespace {

const QByteArray raiseCommand("raise\n");

QString sanitized(QString text)
{
    static const QRegularExpression unsafe(QStringLiteral("[^A-Za-z0-9_.-]"));
    return text.replace(unsafe, QStringLiteral("_"));
}

} // namespace

SingleInstance::SingleInstance(const QString& appName, const QString& suffix, QObject* parent)
    : QObject(parent)
    , m_serverName(serverNameFor(appName, suffix))
{ }

SingleInstance::~SingleInstance() = default;

QString SingleInstance::serverNameFor(const QString& appName, const QString& suffix)
{
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty()) {
        user = qEnvironmentVariable("USERNAME");
    }
    // The home directory tells users apart even when USER is unset or shared.
    const QByteArray home = QCryptographicHash::hash(QDir::homePath().toUtf8(), QCryptographicHash::Sha1).toHex();
    QString name =
        sanitized(appName) + QLatin1Char('-') + sanitized(user) + QLatin1Char('-') + QLatin1String(home.left(8));
    if (!suffix.isEmpty()) {
        name += QLatin1Char('-') + sanitized(suffix);
    }
    return name;
}

bool SingleInstance::tryBecomePrimary()
{
    if (m_server) {
        return true;
    }
    {
        QLocalSocket probe;
        probe.connectToServer(m_serverName);
        if (probe.waitForConnected(500)) {
            probe.disconnectFromServer();
            return false;
        }
    }
    // Nobody answered: any socket file left is from a crashed instance.
    QLocalServer::removeServer(m_serverName);
    auto* server = new QLocalServer(this);
    server->setSocketOptions(QLocalServer::UserAccessOption);
    if (!server->listen(m_serverName)) {
        // Another instance won the race between the probe and listen.
        delete server;
        return false;
    }
    m_server = server;
    connect(m_server, &QLocalServer::newConnection, this, &SingleInstance::onNewConnection);
    return true;
}

bool SingleInstance::notifyPrimary(int timeoutMs)
{
    QLocalSocket socket;
    socket.connectToServer(m_serverName);
    if (!socket.waitForConnected(timeoutMs)) {
        return false;
    }
    socket.write(raiseCommand);
    const bool written = socket.waitForBytesWritten(timeoutMs);
    socket.disconnectFromServer();
    if (socket.state() != QLocalSocket::UnconnectedState) {
        socket.waitForDisconnected(timeoutMs);
    }
    return written;
}

void SingleInstance::onNewConnection()
{
    while (QLocalSocket* socket = m_server->nextPendingConnection()) {
        connect(socket, &QLocalSocket::disconnected, socket, &QObject::deleteLater);
        const auto read = [this, socket] {
            // Commands are single lines; anything else on the socket is ignored.
            while (socket->canReadLine()) {
                if (socket->readLine(64) == raiseCommand) {
                    emit raiseRequested();
                }
            }
            if (socket->bytesAvailable() > 64) {
                socket->abort();
            }
        };
        connect(socket, &QLocalSocket::readyRead, this, read);
        read();
    }
}
