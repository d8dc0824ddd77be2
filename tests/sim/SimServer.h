#pragma once

#include "HttpTypes.h"

#include <QAbstractHttpServer>
#include <QPointer>

#include <memory>

class QHttpServerResponder;
class QTcpSocket;

namespace Sim {

class Simulator;

// The HTTP side: QtHttpServer parses, this class routes /_sim to the control API and everything
// else through concurrency limits, faults and latency to the Simulator. Answers may be written
// later (latency): the responder is kept alive and the socket guarded, and the answer is dropped
// if the client has gone.
class SimServer final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimServer)

public:
    explicit SimServer(Simulator& sim, QObject* parent = nullptr);

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override;
    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override;

private:
    using ResponderPtr = std::shared_ptr<QHttpServerResponder>;

    void send(const ResponderPtr& responder, const QPointer<QTcpSocket>& socket, const SimResponse& response);

    Simulator& m_sim;
};

} // namespace Sim
