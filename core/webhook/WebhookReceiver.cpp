#include "webhook/WebhookReceiver.h"

#include "Logging.h"
#include "storage/ChannelStore.h"
#include "sync/ChangeEvents.h"
#include "sync/OutboxStore.h"
#include "webhook/ConstantTime.h"
#include "webhook/NotificationParser.h"

#include <QAbstractHttpServer>
#include <QElapsedTimer>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>

#include <utility>

namespace Core {

namespace {

// Dynamic properties on a socket: set when our limits already answered it (whatever QtHttpServer
// still parses from it is then ignored), and when a request on it was answered.
constexpr char kRefusedProperty[] = "mlWebhookRefused";
constexpr char kAnsweredProperty[] = "mlWebhookAnswered";
// What Qt may buffer per socket before it stops reading from the kernel (QtHttpServer drains it on
// every readyRead, so this only bounds a socket nobody reads any more).
constexpr qint64 kSocketReadBufferBytes = 64 * 1024;

// An answer written before QtHttpServer has a request to respond to (limits, connection cap).
QByteArray cannedResponse(int status, const QByteArray& text)
{
    return "HTTP/1.1 " + QByteArray::number(status) + ' ' + text + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
}

QByteArray jsonBody(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// A channel id fit for a log line: only when it looks like one (the value is attacker-chosen).
QString loggable(const QString& channelId)
{
    return ChangeEvents::isZohoId(channelId) ? channelId : QStringLiteral("(invalid)");
}

Error configError(const QString& text)
{
    return Error(Error::Kind::Config, text);
}

} // namespace

namespace detail {

class WebhookTcpServer;

// Watches one accepted socket for our limits. A child of the socket, so it lives exactly as long;
// its own timers keep working even when QtHttpServer disconnects every signal of a socket it could
// not parse.
class WebhookConnection final : public QObject
{
public:
    WebhookConnection(QTcpSocket* socket, WebhookTcpServer* server, const WebhookConfig& config);
    ~WebhookConnection() override;

    void detach() { m_server = nullptr; }
    bool silentFor(qint64 ms) const { return m_bytes == 0 && m_age.elapsed() >= ms; }
    // Open this long without a whole request answered: a slow (or slowloris) client.
    bool stalledFor(qint64 ms) const { return !answered() && m_age.elapsed() >= ms; }
    // Drops the connection at once (idle, slow or evicted).
    void drop(const QString& reason);

private:
    void onReadyRead();
    bool checkDeclaredLength(qint64 headerBytes);
    void refuse(int status, const QByteArray& text, const QString& reason, bool closeNow = true);
    void discard();
    void forget();
    bool answered() const
    {
        return m_socket->property(kAnsweredProperty).toBool() || m_socket->property(kRefusedProperty).toBool();
    }

    QTcpSocket* m_socket;
    WebhookTcpServer* m_server;
    int m_maxHeaderBytes;
    int m_maxBodyBytes;
    int m_maxTotalBytes;
    qint64 m_bytes = 0;
    bool m_headerDone = false;
    QByteArray m_head;         // the header block so far (at most maxHeaderBytes + 4), for Content-Length
    qint64 m_discardUntil = 0; // after an early 413: read and drop the body up to here, then close
    QElapsedTimer m_age;
    QTimer m_idle;
    QTimer m_deadline;
};

// Our own QTcpServer, bound into QtHttpServer: it sees every new socket first, caps how many are
// open and puts a WebhookConnection on each. At the cap it stops accepting, so new connections wait
// in the kernel's listen queue (a real callback waits rather than being refused), and a timer evicts
// silent or stalled connections to make room; below the cap it accepts again.
class WebhookTcpServer final : public QTcpServer
{
public:
    explicit WebhookTcpServer(WebhookReceiver* owner)
        : m_owner(owner)
    {
        const WebhookConfig& c = owner->config();
        // Often enough that a freed place is taken well before the thresholds come round again.
        m_evictTimer.setInterval(qBound(20, qMin(c.evictSilentAfterMs, c.evictStalledAfterMs) / 4, 250));
        connect(&m_evictTimer, &QTimer::timeout, this, [this] { evictIdle(); });
    }
    ~WebhookTcpServer() override
    {
        for (WebhookConnection* c : std::as_const(m_connections))
            c->detach();
        closeWaiting();
    }

    int openConnections() const { return int(m_connections.size()); }
    void dropAll()
    {
        m_evictTimer.stop();
        closeWaiting();
        const QList<WebhookConnection*> all = m_connections;
        for (WebhookConnection* c : all)
            c->drop(QString());
    }
    void forget(WebhookConnection* c)
    {
        m_connections.removeOne(c);
        scheduleRefill();
    }
    void noteRejected(const QString& reason) { m_owner->noteRejected(reason); }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        // QTcpServer may drain the listen queue in one loop even after pauseAccepting(), so a few may
        // arrive at the cap: they wait here as bare descriptors (the kernel keeps their bytes) and
        // are let in first. Only beyond that bound is one turned away.
        const WebhookConfig& config = m_owner->config();
        if (m_connections.size() < config.maxConnections && m_waiting.isEmpty())
            admit(descriptor);
        else if (m_waiting.size() < config.maxConnections + listenBacklogSize())
            m_waiting.append(descriptor);
        else
            refuse(descriptor);
        updateAccepting();
    }

private:
    bool admit(qintptr descriptor)
    {
        auto* socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return false;
        }
        m_connections.append(new WebhookConnection(socket, this, m_owner->config()));
        addPendingConnection(socket);
        return true;
    }

    void refuse(qintptr descriptor)
    {
        auto* socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        noteRejected(QStringLiteral("connection_limit"));
        qCInfo(lcWebhook) << "Refused a webhook connection:" << m_connections.size() << "are open and"
                          << m_waiting.size() << "wait";
        socket->write(cannedResponse(503, "Service Unavailable"));
        socket->disconnectFromHost();
        if (socket->state() == QAbstractSocket::UnconnectedState) {
            socket->deleteLater();
            return;
        }
        connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        QTimer::singleShot(2000, socket, [socket] {
            socket->abort();
            socket->deleteLater();
        });
    }

    void closeWaiting()
    {
        const QList<qintptr> waiting = std::exchange(m_waiting, {});
        for (const qintptr descriptor : waiting) {
            QTcpSocket socket;
            if (socket.setSocketDescriptor(descriptor))
                socket.abort();
        }
    }

    // Later, not inside a connection's own teardown: lets the waiting in, then accepts again when
    // there is room.
    void scheduleRefill()
    {
        if (m_refillPending)
            return;
        m_refillPending = true;
        QMetaObject::invokeMethod(
            this,
            [this] {
                m_refillPending = false;
                refill();
            },
            Qt::QueuedConnection);
    }

    void refill()
    {
        if (!isListening())
            return;
        bool admitted = false;
        while (m_connections.size() < m_owner->config().maxConnections && !m_waiting.isEmpty())
            admitted = admit(m_waiting.takeFirst()) || admitted;
        if (admitted)
            emit newConnection(); // QtHttpServer takes what addPendingConnection() queued
        updateAccepting();
    }

    void updateAccepting()
    {
        const bool full = m_connections.size() >= m_owner->config().maxConnections || !m_waiting.isEmpty();
        if (full && !m_paused) {
            m_paused = true;
            pauseAccepting();
            m_evictTimer.start();
            qCInfo(lcWebhook) << "Webhook connections at the cap of" << m_owner->config().maxConnections
                              << "; new ones wait";
        } else if (!full && m_paused) {
            m_paused = false;
            m_evictTimer.stop();
            resumeAccepting();
        }
    }

    // At the cap, every connection that has not sent a byte for a while makes room, and every one
    // still without a whole request after a longer while: a flood of silent or trickling
    // (slowloris) connections must not hold Zoho back until they time out. A real callback arrives
    // in one go and is answered at once, so it is never the one evicted.
    void evictIdle()
    {
        const WebhookConfig& config = m_owner->config();
        if (m_connections.size() < config.maxConnections)
            return;
        const QList<WebhookConnection*> all = m_connections;
        for (WebhookConnection* c : all) {
            if (c->silentFor(config.evictSilentAfterMs) || c->stalledFor(config.evictStalledAfterMs))
                c->drop(QStringLiteral("connection_limit"));
        }
    }

    WebhookReceiver* m_owner;
    QList<WebhookConnection*> m_connections; // oldest first
    QList<qintptr> m_waiting;                // accepted at the cap, not yet let in; oldest first
    QTimer m_evictTimer;                     // runs while accepting is paused
    bool m_paused = false;
    bool m_refillPending = false;
};

WebhookConnection::WebhookConnection(QTcpSocket* socket, WebhookTcpServer* server, const WebhookConfig& config)
    : QObject(socket)
    , m_socket(socket)
    , m_server(server)
    , m_maxHeaderBytes(config.maxHeaderBytes)
    , m_maxBodyBytes(config.maxBodyBytes)
    , m_maxTotalBytes(config.maxHeaderBytes + config.maxBodyBytes)
{
    m_age.start();
    socket->setReadBufferSize(kSocketReadBufferBytes);
    // Connected before QtHttpServer connects its own reader, so this sees each chunk first.
    connect(socket, &QTcpSocket::readyRead, this, [this] { onReadyRead(); });
    m_idle.setSingleShot(true);
    m_idle.setInterval(config.idleTimeoutMs);
    connect(&m_idle, &QTimer::timeout, this, [this] { drop(QStringLiteral("idle_timeout")); });
    m_idle.start();
    m_deadline.setSingleShot(true);
    m_deadline.setInterval(config.requestTimeoutMs);
    connect(&m_deadline, &QTimer::timeout, this, [this] { drop(QStringLiteral("request_timeout")); });
    m_deadline.start();
}

WebhookConnection::~WebhookConnection()
{
    forget();
}

void WebhookConnection::forget()
{
    if (m_server)
        m_server->forget(this);
    m_server = nullptr;
}

void WebhookConnection::drop(const QString& reason)
{
    m_idle.stop();
    m_deadline.stop();
    const bool answered =
        m_socket->property(kAnsweredProperty).toBool() || m_socket->property(kRefusedProperty).toBool();
    if (m_server && !reason.isEmpty() && !answered) {
        m_server->noteRejected(reason);
        qCInfo(lcWebhook).noquote() << "Closed a webhook connection:" << reason;
    }
    forget();
    m_socket->abort();
    m_socket->deleteLater();
}

void WebhookConnection::onReadyRead()
{
    if (m_socket->property(kRefusedProperty).toBool()) {
        discard();
        return;
    }
    m_idle.start();
    // QtHttpServer reads everything on each readyRead, so what is available now is new.
    const qint64 fresh = m_socket->bytesAvailable();
    if (fresh <= 0)
        return;
    if (!m_headerDone) {
        // Only the end of the header block and Content-Length are looked at; QtHttpServer parses.
        const qint64 room = qint64(m_maxHeaderBytes) + 4 - m_head.size();
        m_head += m_socket->peek(qMin(fresh, qMax<qint64>(room, 0)));
        const qsizetype end = m_head.indexOf("\r\n\r\n");
        if (end >= 0) {
            m_headerDone = true;
            m_head.truncate(end + 2);
            if (!checkDeclaredLength(end + 4)) {
                discard();
                return;
            }
            m_head = QByteArray();
        }
    }
    m_bytes += fresh;
    if (!m_headerDone && m_bytes > m_maxHeaderBytes)
        refuse(431, "Request Header Fields Too Large", QStringLiteral("header_too_large"));
    else if (m_bytes > m_maxTotalBytes)
        refuse(413, "Payload Too Large", QStringLiteral("body_too_large"));
}

// A body declared larger than the limit is refused before a byte of it is read: QtHttpServer would
// otherwise wait for it (and size its buffer by it).
bool WebhookConnection::checkDeclaredLength(qint64 headerBytes)
{
    const QList<QByteArray> lines = m_head.split('\n');
    for (const QByteArray& line : lines) {
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0 || line.left(colon).trimmed().toLower() != "content-length")
            continue;
        const QByteArray value = line.mid(colon + 1).trimmed();
        bool ok = !value.isEmpty();
        for (const char c : value)
            ok = ok && c >= '0' && c <= '9';
        if (!ok || value.size() > 12) {
            refuse(400, "Bad Request", QStringLiteral("bad_request"));
            return false;
        }
        if (value.toLongLong() > m_maxBodyBytes) {
            // Answered now; the body the client is still sending is read and dropped (never more
            // than the byte limit), so a well-behaved client reads the 413 rather than a reset.
            m_discardUntil = qMin(headerBytes + value.toLongLong(), qint64(m_maxTotalBytes));
            refuse(413, "Payload Too Large", QStringLiteral("body_too_large"), false);
            return false;
        }
    }
    return true;
}

// Already answered: what still arrives is thrown away here, so QtHttpServer (whose reader runs after
// this one) never buffers it.
void WebhookConnection::discard()
{
    const qint64 dropped = m_socket->skip(m_socket->bytesAvailable());
    if (m_discardUntil <= 0)
        return;
    m_bytes += qMax<qint64>(dropped, 0);
    if (m_bytes >= m_discardUntil) {
        m_discardUntil = 0;
        m_socket->disconnectFromHost();
    }
}

void WebhookConnection::refuse(int status, const QByteArray& text, const QString& reason, bool closeNow)
{
    m_socket->setProperty(kRefusedProperty, true);
    if (m_server)
        m_server->noteRejected(reason);
    qCInfo(lcWebhook).noquote() << "Refused a webhook request: HTTP" << status << reason;
    m_socket->write(cannedResponse(status, text));
    if (!closeNow)
        return;
    // Dropped unread: QtHttpServer's reader comes after this one and must not buffer it.
    m_socket->skip(m_socket->bytesAvailable());
    m_socket->disconnectFromHost();
    // Whatever the client still sends is thrown away; the idle timer ends a client that keeps the
    // connection open.
}

// QtHttpServer's request handling, forwarded to the receiver. Every answer closes the connection:
// callbacks are one request each, and a fresh connection keeps the byte limits per request.
class WebhookHttpServer final : public QAbstractHttpServer
{
public:
    explicit WebhookHttpServer(WebhookReceiver* owner)
        : QAbstractHttpServer(owner)
        , m_owner(owner)
    { }

protected:
    bool handleRequest(const QHttpServerRequest& request, QTcpSocket* socket) override
    {
        // Already answered by a limit, or a request pipelined behind an answered one: every answer
        // closes the connection, so nothing after it is processed.
        if (socket->property(kRefusedProperty).toBool() || socket->property(kAnsweredProperty).toBool())
            return true;
        const WebhookReceiver::Reply reply = m_owner->process(request);
        answer(request, socket, reply);
        m_owner->replied(reply);
        return true;
    }

    void missingHandler(const QHttpServerRequest& request, QTcpSocket* socket) override
    {
        answer(request, socket, m_owner->reject(404, QStringLiteral("not_found")));
    }

private:
    static void answer(const QHttpServerRequest& request, QTcpSocket* socket, const WebhookReceiver::Reply& reply)
    {
        QHttpServerResponder responder = makeResponder(request, socket);
        responder.writeStatusLine(static_cast<QHttpServerResponder::StatusCode>(reply.status));
        responder.writeHeader("Content-Type", "application/json");
        responder.writeHeader("Content-Length", QByteArray::number(reply.body.size()));
        responder.writeHeader("Connection", "close");
        if (reply.status == 405)
            responder.writeHeader("Allow", "POST");
        responder.writeBody(reply.body);
        socket->setProperty(kAnsweredProperty, true);
        socket->disconnectFromHost();
    }

    WebhookReceiver* m_owner;
};

} // namespace detail

// --- WebhookConfig ---

Result<std::pair<QHostAddress, quint16>> WebhookConfig::parseListen(const QString& raw)
{
    const QString text = raw.trimmed();
    const auto bad = [&raw](const QString& why) {
        return configError(
            QObject::tr("webhook.listen \"%1\" is not an address and port like 127.0.0.1:8765 (%2)").arg(raw, why));
    };
    if (text.isEmpty())
        return bad(QObject::tr("it is empty"));
    QString host;
    QString portText;
    if (text.startsWith(QLatin1Char('['))) {
        const int close = text.indexOf(QLatin1Char(']'));
        if (close < 0)
            return bad(QObject::tr("no closing ]"));
        host = text.mid(1, close - 1);
        const QString rest = text.mid(close + 1);
        if (!rest.isEmpty()) {
            if (!rest.startsWith(QLatin1Char(':')))
                return bad(QObject::tr("unexpected text after ]"));
            portText = rest.mid(1);
        }
    } else if (text.count(QLatin1Char(':')) == 1) {
        host = text.section(QLatin1Char(':'), 0, 0);
        portText = text.section(QLatin1Char(':'), 1);
    } else if (text.count(QLatin1Char(':')) > 1) {
        host = text; // a bare IPv6 address
    } else {
        bool digits = false;
        text.toUInt(&digits);
        if (digits)
            portText = text;
        else
            host = text;
    }
    QHostAddress address(QHostAddress::LocalHost);
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        address = QHostAddress(QHostAddress::LocalHost);
    else if (!host.isEmpty() && !address.setAddress(host))
        return bad(QObject::tr("\"%1\" is not an IP address").arg(host));
    quint16 port = kDefaultPort;
    if (!portText.isEmpty()) {
        bool ok = false;
        const uint value = portText.toUInt(&ok);
        if (!ok || value > 65535)
            return bad(QObject::tr("\"%1\" is not a port number").arg(portText));
        port = quint16(value);
    }
    return std::make_pair(address, port);
}

QStringList WebhookConfig::limitKeys()
{
    return {QStringLiteral("webhook.max_header_bytes"),  QStringLiteral("webhook.max_body_bytes"),
            QStringLiteral("webhook.max_connections"),   QStringLiteral("webhook.idle_timeout_s"),
            QStringLiteral("webhook.request_timeout_s"), QStringLiteral("webhook.evict_silent_s"),
            QStringLiteral("webhook.evict_stalled_s")};
}

Result<WebhookConfig> WebhookConfig::fromSettings(const QVariantMap& s)
{
    WebhookConfig c;
    if (s.contains(QStringLiteral("webhook.listen"))) {
        const auto listen = parseListen(s.value(QStringLiteral("webhook.listen")).toString());
        if (!listen)
            return listen.error();
        c.address = listen.value().first;
        c.port = listen.value().second;
    }
    if (s.contains(QStringLiteral("webhook.path")))
        c.path = s.value(QStringLiteral("webhook.path")).toString();
    if (s.contains(QStringLiteral("webhook.public_url")))
        c.publicUrl = QUrl(s.value(QStringLiteral("webhook.public_url")).toString(), QUrl::StrictMode);
    const auto number = [&s](const char* key, int* out, int scale) -> Result<Ok> {
        const QString name = QLatin1String(key);
        if (!s.contains(name))
            return Ok{};
        bool ok = false;
        const qint64 v = s.value(name).toLongLong(&ok);
        if (!ok || v <= 0 || v * scale > std::numeric_limits<int>::max())
            return configError(QObject::tr("%1 must be a positive number").arg(name));
        *out = int(v * scale);
        return Ok{};
    };
    for (const auto& r :
         {number("webhook.max_header_bytes", &c.maxHeaderBytes, 1),
          number("webhook.max_body_bytes", &c.maxBodyBytes, 1), number("webhook.max_connections", &c.maxConnections, 1),
          number("webhook.idle_timeout_s", &c.idleTimeoutMs, 1000),
          number("webhook.request_timeout_s", &c.requestTimeoutMs, 1000),
          number("webhook.evict_silent_s", &c.evictSilentAfterMs, 1000),
          number("webhook.evict_stalled_s", &c.evictStalledAfterMs, 1000)}) {
        if (!r)
            return r.error();
    }
    const auto valid = c.validate();
    if (!valid)
        return valid.error();
    return c;
}

Result<Ok> WebhookConfig::validate() const
{
    if (address.isNull())
        return configError(QObject::tr("The webhook listen address is not set"));
    if (!path.startsWith(QLatin1Char('/')) || path.contains(QLatin1Char('?')) || path.contains(QLatin1Char('#')))
        return configError(QObject::tr("webhook.path \"%1\" must be a path starting with /").arg(path));
    if (!publicUrl.isEmpty() &&
        (!publicUrl.isValid() || publicUrl.host().isEmpty() ||
         (publicUrl.scheme() != QLatin1String("https") && publicUrl.scheme() != QLatin1String("http"))))
        return configError(QObject::tr("webhook.public_url must be an absolute http(s) URL"));
    if (maxHeaderBytes < 1024 || maxBodyBytes < 1024)
        return configError(QObject::tr("The webhook size limits must be at least 1 KiB"));
    if (maxConnections < 1 || idleTimeoutMs < 1 || requestTimeoutMs < 1 || evictSilentAfterMs < 0 ||
        evictStalledAfterMs < 0)
        return configError(QObject::tr("The webhook connection limits must be positive"));
    return Ok{};
}

// --- WebhookReceiver ---

WebhookReceiver::WebhookReceiver(WebhookConfig config, OutboxStore* outbox, TokenLookup tokens, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_outbox(outbox)
    , m_tokens(std::move(tokens))
    , m_http(new detail::WebhookHttpServer(this))
{ }

WebhookReceiver::~WebhookReceiver()
{
    stop();
}

WebhookReceiver::TokenLookup WebhookReceiver::tokensFrom(ChannelStore* channels)
{
    return [channels](const QString& channelId) -> Result<std::optional<QString>> {
        const auto all = channels->list();
        if (!all)
            return all.error();
        for (const ChannelRecord& c : all.value()) {
            if (c.channelId == channelId && c.state != QLatin1String("disabled"))
                return std::optional<QString>(c.token);
        }
        return std::optional<QString>();
    };
}

Result<quint16> WebhookReceiver::start()
{
    if (isListening())
        return m_port;
    const auto valid = m_config.validate();
    if (!valid)
        return valid.error();
    auto* tcp = new detail::WebhookTcpServer(this);
    if (!tcp->listen(m_config.address, m_config.port)) {
        const QString why = tcp->errorString();
        delete tcp;
        return Error(Error::Kind::Unavailable, tr("The webhook receiver cannot listen on %1:%2: %3")
                                                   .arg(m_config.address.toString())
                                                   .arg(m_config.port)
                                                   .arg(why));
    }
    m_http->bind(tcp); // takes ownership
    m_tcp = tcp;
    m_port = tcp->serverPort();
    if (!m_config.address.isLoopback())
        qCWarning(lcWebhook) << "The webhook receiver listens on a non-loopback address:"
                             << m_config.address.toString();
    qCInfo(lcWebhook).noquote() << "Webhook receiver listening on" << localUrl().toString();
    return m_port;
}

void WebhookReceiver::stop()
{
    if (!m_tcp)
        return;
    m_tcp->close();
    m_tcp->dropAll();
    m_tcp->deleteLater();
    m_tcp = nullptr;
    m_port = 0;
}

bool WebhookReceiver::isListening() const
{
    return m_tcp && m_tcp->isListening();
}

int WebhookReceiver::openConnections() const
{
    return m_tcp ? m_tcp->openConnections() : 0;
}

QUrl WebhookReceiver::localUrl() const
{
    QHostAddress host = m_config.address;
    if (host == QHostAddress::Any || host == QHostAddress::AnyIPv4)
        host = QHostAddress(QHostAddress::LocalHost);
    else if (host == QHostAddress::AnyIPv6)
        host = QHostAddress(QHostAddress::LocalHostIPv6);
    QUrl u;
    u.setScheme(QStringLiteral("http"));
    u.setHost(host.toString());
    u.setPort(m_port ? m_port : m_config.port);
    u.setPath(m_config.path);
    return u;
}

QUrl WebhookReceiver::publicUrl() const
{
    return m_config.publicUrl.isEmpty() ? localUrl() : m_config.publicUrl;
}

void WebhookReceiver::noteRejected(const QString& reason)
{
    ++m_counters.rejected;
    ++m_counters.rejectedByReason[reason];
    emit countersChanged();
}

WebhookReceiver::Reply WebhookReceiver::reject(int status, const QString& reason, const QString& channelId)
{
    Reply r;
    r.status = status;
    r.reason = reason;
    r.body =
        jsonBody(QJsonObject{{QStringLiteral("status"), QStringLiteral("error")}, {QStringLiteral("reason"), reason}});
    noteRejected(reason);
    // Never the token, never the body: the channel id (when it looks like one) and why.
    if (channelId.isEmpty())
        qCInfo(lcWebhook).noquote() << "Rejected a callback: HTTP" << status << reason;
    else
        qCInfo(lcWebhook).noquote() << "Rejected a callback for channel" << loggable(channelId) << ": HTTP" << status
                                    << reason;
    return r;
}

WebhookReceiver::Reply WebhookReceiver::process(const QHttpServerRequest& request)
{
    ++m_counters.received;

    // The connection watcher already bounds what is read; these check the parsed request exactly.
    qint64 headerBytes = request.url().toEncoded().size();
    const auto headers = request.headers();
    for (const auto& header : headers)
        headerBytes += header.first.size() + header.second.size() + 4;
    if (headerBytes > m_config.maxHeaderBytes)
        return reject(431, QStringLiteral("header_too_large"));
    const QByteArray body = request.body();
    if (body.size() > m_config.maxBodyBytes)
        return reject(413, QStringLiteral("body_too_large"));
    if (request.url().path() != m_config.path)
        return reject(404, QStringLiteral("not_found"));
    if (request.method() != QHttpServerRequest::Method::Post)
        return reject(405, QStringLiteral("method_not_allowed"));

    // What the body says and whether its channel and token are ours: a pure function (fuzzed).
    const ParsedNotification n = NotificationParser::parse(body, m_tokens);
    if (n.rejection) {
        if (!n.rejection->detail.isEmpty())
            qCWarning(lcWebhook).noquote() << "Cannot check a callback's channel:" << n.rejection->detail;
        return reject(n.rejection->status, n.rejection->reason, n.channelId);
    }
    const QString& channelId = n.channelId;
    const QString& module = n.module;
    const QStringList& ids = n.ids;
    const qint64 serverTime = n.serverTimeMs;
    const QList<OutboxItem> items = n.outboxItems();
    // One transaction for every id: all rows commit, or none and Zoho is told to send again.
    const auto queued = m_outbox->enqueueMany(items);
    if (!queued) {
        qCWarning(lcWebhook).noquote() << "Cannot queue a callback of channel" << channelId + QLatin1Char(':')
                                       << queued.error().message;
        return reject(500, QStringLiteral("storage"), channelId);
    }
    Reply r;
    r.status = 200;
    r.module = module;
    r.channelId = channelId;
    r.serverTimeMs = serverTime;
    r.ids = int(ids.size());
    for (const EnqueueOutcome& outcome : queued.value())
        r.newRows += outcome.duplicate ? 0 : 1;
    r.body = jsonBody(QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")},
                                  {QStringLiteral("queued"), r.newRows},
                                  {QStringLiteral("duplicates"), r.ids - r.newRows}});
    qCDebug(lcWebhook).noquote() << "Callback of channel" << channelId << "for" << module + QLatin1Char(':') << r.ids
                                 << "ids," << r.newRows << "new";
    return r;
}

void WebhookReceiver::replied(const Reply& reply)
{
    if (reply.status != 200)
        return;
    ++m_counters.accepted;
    m_counters.queued += reply.newRows;
    m_counters.duplicates += reply.ids - reply.newRows;
    emit countersChanged();
    // After the answer is written: a slot doing work here cannot delay or break the 200.
    if (reply.newRows > 0)
        emit eventsQueued(reply.newRows);
    emit callbackAccepted(reply.module, reply.channelId, QDateTime::fromMSecsSinceEpoch(reply.serverTimeMs, Qt::UTC),
                          reply.ids);
}

} // namespace Core
