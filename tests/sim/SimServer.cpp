#include "SimServer.h"

#include "FaultInjector.h"
#include "SimLogging.h"
#include "Simulator.h"
#include "ZohoCrmService.h"
#include "ZohoLimits.h"

#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QSet>
#include <QTcpSocket>
#include <QTimer>

namespace Sim {

namespace {
// Statuses QHttpServerResponder 6.4 has a reason phrase for; anything else is sent as 500.
bool knownStatus(int s)
{
    static const QSet<int> known = {100, 101, 102, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301,
                                    302, 303, 304, 305, 307, 308, 400, 401, 402, 403, 404, 405, 406, 407, 408,
                                    409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 426,
                                    428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511};
    return known.contains(s);
}

SimResponse injectedStatus(const FaultDecision& d, ApiScope scope, int retryAfterS)
{
    SimResponse r;
    if (d.status == 429) {
        r = scope == ApiScope::Zoho ? ZohoCrmService::tooManyRequests()
                                    : SimResponse::bytes(429, "Too Many Requests", "text/plain;charset=UTF-8");
        if (retryAfterS >= 0)
            r.setHeader("Retry-After", QByteArray::number(retryAfterS));
        return r;
    }
    if (d.status == 500) {
        if (scope == ApiScope::Zoho)
            return ZohoCrmService::error(500, QStringLiteral("INTERNAL_ERROR"),
                                         QStringLiteral("Internal Server Error"));
        return SimResponse::empty(500); // ADF 500s often have an empty body
    }
    const QByteArray text = d.status == 502
                                ? QByteArrayLiteral("<html><body><h1>502 Bad Gateway</h1></body></html>")
                                : QByteArrayLiteral("<html><body><h1>503 Service Unavailable</h1></body></html>");
    return SimResponse::bytes(d.status, text, "text/html");
}
} // namespace

SimServer::SimServer(Simulator& sim, QObject* parent)
    : QAbstractHttpServer(parent)
    , m_sim(sim)
{ }

bool SimServer::handleRequest(const QHttpServerRequest& request, QTcpSocket* socket)
{
    // Copy what we need now: QtHttpServer 6.4 reuses the request object for the connection's next
    // request, and the responder refers to it.
    // Without TCP_NODELAY a large answer written in several chunks stalls ~40 ms per request on
    // keep-alive connections (Nagle against the client's delayed ACK).
    if (!socket->property("ml_nodelay").toBool()) {
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        socket->setProperty("ml_nodelay", true);
    }
    auto req = std::make_shared<const SimRequest>(SimRequest::fromQt(request));
    auto responder = std::make_shared<QHttpServerResponder>(makeResponder(request, socket));
    const QPointer<QTcpSocket> guard(socket);

    if (req->path == QLatin1String("/_sim") || req->path.startsWith(QLatin1String("/_sim/"))) {
        send(responder, guard, m_sim.control(*req));
        return true;
    }

    SimContext& ctx = m_sim.context();
    const Simulator::Route route = m_sim.classify(*req);
    ctx.stats.countEndpoint(route.endpoint);
    ctx.stats.count(QStringLiteral("api_calls"));
    if (route.crm && !m_sim.zohoLimits().tryAcquire()) {
        ctx.stats.count(QStringLiteral("concurrency_rejected"));
        send(responder, guard, ZohoCrmService::tooManyRequests());
        return true;
    }
    const bool acquired = route.crm;
    const FaultDecision decision = m_sim.faults().decide(*req, route.scope);
    const int retryAfter = m_sim.faults().config(route.scope).retryAfterS;
    const int delay = ctx.config.latencyMs + decision.extraLatencyMs;

    auto finish = [this, req, responder, guard, decision, acquired, scope = route.scope, retryAfter]() {
        SimResponse response;
        switch (decision.kind) {
        case FaultDecision::Kind::Scripted:
            response = decision.scripted;
            break;
        case FaultDecision::Kind::TooManyRequests:
        case FaultDecision::Kind::ServerError:
            response = injectedStatus(decision, scope, retryAfter);
            break;
        case FaultDecision::Kind::None:
            // Dropped and malformed answers are processed first: the danger for a client is that
            // the server did the work and the answer was lost.
            response = m_sim.dispatchApi(*req);
            if (decision.malformed) {
                response.status = 200;
                response.body = FaultInjector::truncate(response.body);
                if (response.headerValue("Content-Type").isEmpty())
                    response.setHeader("Content-Type", "application/json;charset=UTF-8");
            }
            if (decision.drop)
                response.drop = true;
            break;
        }
        if (acquired)
            m_sim.zohoLimits().release();
        send(responder, guard, response);
    };
    if (delay <= 0)
        finish();
    else
        QTimer::singleShot(delay, this, finish);
    return true;
}

void SimServer::missingHandler(const QHttpServerRequest& request, QTcpSocket* socket)
{
    QHttpServerResponder responder = makeResponder(request, socket);
    responder.write(QHttpServerResponder::StatusCode::NotFound);
}

void SimServer::send(const ResponderPtr& responder, const QPointer<QTcpSocket>& socket, const SimResponse& response)
{
    if (!socket || socket->state() != QAbstractSocket::ConnectedState) {
        qCDebug(lcSim) << "client went away before the answer";
        return;
    }
    if (response.drop) {
        socket->abort();
        return;
    }
    const int status = knownStatus(response.status) ? response.status : 500;
    m_sim.context().stats.countStatus(status);
    responder->writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(status));
    for (const auto& h : response.headers) {
        if (h.first.compare("Content-Length", Qt::CaseInsensitive) != 0)
            responder->writeHeader(h.first, h.second);
    }
    const bool noBody = status == 204 || status == 304 || status < 200;
    if (!noBody)
        responder->writeHeader("Content-Length", QByteArray::number(response.body.size()));
    responder->writeBody(noBody ? QByteArray() : response.body);
}

} // namespace Sim
