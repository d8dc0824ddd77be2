#pragma once

#include "net/ConnectionStatus.h"

#include <QObject>

namespace Core {

class Connections;
struct Error;

// "Test connection" for each side: signs in, makes the cheapest real calls the sync needs, and
// explains a failure in plain words rather than a status code.
class ConnectionTester final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionTester)

public:
    explicit ConnectionTester(Connections* connections, QObject* parent = nullptr);

    void testZoho();
    void testOracle();

signals:
    void statusChanged(Core::Service service, const Core::ConnectionStatus& status);

private:
    void zohoSignedIn();
    void zohoRecordsRead();
    void report(Service service, ConnectionStatus::State state, const QString& summary, const QString& detail);
    void fail(Service service, const Error& error);

    Connections* m_connections;
};

} // namespace Core
