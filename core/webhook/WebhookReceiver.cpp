#include "webhook/WebhookReceiver.h"

#include "Logging.h"
#include "storage/ChannelStore.h"
#include "sync/ChangeEvents.h"
#include "sync/OutboxStore.h"
#include "webhook/ConstantTime.h"

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

namespace Core {

namespace {

// Dynamic properties on a socket: set when our limits already answered it (whatever QtHttpServer
// still parses from it is then ignored), and when a request on it was answered.
constexpr char kRefusedProperty[] = "mlWebhookRefused";
constexpr char kAnsweredProperty[] = "mlWebhookAnswered";

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

// Zoho sends ids and channel ids as strings; accept integral JSON numbers too.
QString idText(const QJsonValue& v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble() && v.toDouble() >= 0 && v.toDouble() == double(v.toInteger()))
        return QString::number(v.toInteger());
    return {};
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
    // Drops the connection at once (idle, slow or evicted).
    void drop(const QString& reason);

private:
    void onReadyRead();
    void refuse(int status, const QByteArray& text, const QString& reason);
    void forget();

    QTcpSocket* m_socket;
    WebhookTcpServer* m_server;
    int m_maxHeaderBytes;
    int m_maxTotalBytes;
    qint64 m_bytes = 0;
    bool m_headerDone = false;
    QByteArray m_tail; // the last bytes of the previous read, for a header end split across reads
    QElapsedTimer m_age;
    QTimer m_idle;
    QTimer m_deadline;
};

// Our own QTcpServer, bound into QtHttpServer: it sees every new socket first, caps how many are
// open and puts a WebhookConnection on each.
class WebhookTcpServer final : public QTcpServer
{
public:
    explicit WebhookTcpServer(WebhookReceiver* owner)
        : m_owner(owner)
    { }
    ~WebhookTcpServer() override
    {
        for (WebhookConnection* c : std::as_const(m_connections))
            c->detach();
    }

    int openConnections() const { return int(m_connections.size()); }
    void dropAll()
    {
        const QList<WebhookConnection*> all = m_connections;
        for (WebhookConnection* c : all)
            c->drop(QString());
    }
    void forget(WebhookConnection* c) { m_connections.removeOne(c); }
    void noteRejected(const QString& reason) { m_owner->noteRejected(reason); }

protected:
    void incomingConnection(qintptr descriptor) override
    {
        auto* socket = new QTcpSocket(this);
        if (!socket->setSocketDescriptor(descriptor)) {
            delete socket;
            return;
        }
        const WebhookConfig& config = m_owner->config();
        if (m_connections.size() >= config.maxConnections && !evictSilent(config.evictSilentAfterMs)) {
            noteRejected(QStringLiteral("connection_limit"));
            qCInfo(lcWebhook) << "Refused a webhook connection:" << config.maxConnections << "are open";
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
            return;
        }
        m_connections.append(new WebhookConnection(socket, this, config));
        addPendingConnection(socket);
    }

private:
    // At the cap, the oldest connection that has not sent a byte for a while makes room: a flood of
    // silent connections must not lock Zoho out until they time out.
    bool evictSilent(int afterMs)
    {
        for (WebhookConnection* c : std::as_const(m_connections)) {
            if (c->silentFor(afterMs)) {
                c->drop(QStringLiteral("connection_limit"));
                return true;
            }
        }
        return false;
    }

    WebhookReceiver* m_owner;
    QList<WebhookConnection*> m_connections; // oldest first
};

WebhookConnection::WebhookConnection(QTcpSocket* socket, WebhookTcpServer* server, const WebhookConfig& config)
    : QObject(socket)
    , m_socket(socket)
    , m_server(server)
    , m_maxHeaderBytes(config.maxHeaderBytes)
    , m_maxTotalBytes(config.maxHeaderBytes + config.maxBodyBytes)
{
    m_age.start();
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
    if (m_socket->property(kRefusedProperty).toBool())
        return;
    m_idle.start();
    // QtHttpServer reads everything on each readyRead, so what is available now is new.
    const qint64 fresh = m_socket->bytesAvailable();
    if (fresh <= 0)
        return;
    if (!m_headerDone) {
        // Only the end of the header block is looked for; QtHttpServer does the parsing.
        const QByteArray seen = m_tail + m_socket->peek(qMin<qint64>(fresh, qint64(m_maxHeaderBytes) + 4));
        if (seen.contains("\r\n\r\n"))
            m_headerDone = true;
        else
            m_tail = seen.right(3);
    }
    m_bytes += fresh;
    if (!m_headerDone && m_bytes > m_maxHeaderBytes)
        refuse(431, "Request Header Fields Too Large", QStringLiteral("header_too_large"));
    else if (m_bytes > m_maxTotalBytes)
        refuse(413, "Payload Too Large", QStringLiteral("body_too_large"));
}

void WebhookConnection::refuse(int status, const QByteArray& text, const QString& reason)
{
    m_socket->setProperty(kRefusedProperty, true);
    if (m_server)
        m_server->noteRejected(reason);
    qCInfo(lcWebhook).noquote() << "Refused a webhook request: HTTP" << status << reason;
    m_socket->write(cannedResponse(status, text));
    m_socket->disconnectFromHost();
    // Whatever the client still sends is not read; the idle timer ends a client that keeps the
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
        if (socket->property(kRefusedProperty).toBool())
            return true; // already answered by a limit
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
          number("webhook.request_timeout_s", &c.requestTimeoutMs, 1000)}) {
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
    if (maxConnections < 1 || idleTimeoutMs < 1 || requestTimeoutMs < 1 || evictSilentAfterMs < 0)
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

    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return reject(400, QStringLiteral("bad_json"));
    const QJsonObject o = doc.object();

    // Who is calling comes before what the body says: an unknown caller learns nothing more.
    const QString channelId = idText(o.value(QStringLiteral("channel_id")));
    const QJsonValue tokenValue = o.value(QStringLiteral("token"));
    if (!tokenValue.isString() || tokenValue.toString().isEmpty())
        return reject(403, QStringLiteral("missing_token"), channelId);
    if (!ChangeEvents::isZohoId(channelId))
        return reject(403, QStringLiteral("unknown_channel"), channelId);
    const auto expected = m_tokens ? m_tokens(channelId) : Result<std::optional<QString>>(std::optional<QString>());
    if (!expected) {
        qCWarning(lcWebhook).noquote() << "Cannot check a callback's channel:" << expected.error().message;
        return reject(500, QStringLiteral("storage"), channelId);
    }
    if (!expected.value() || expected.value()->isEmpty())
        return reject(403, QStringLiteral("unknown_channel"), channelId);
    if (!constantTimeEquals(tokenValue.toString().toUtf8(), expected.value()->toUtf8()))
        return reject(403, QStringLiteral("bad_token"), channelId);

    const QString module = o.value(QStringLiteral("module")).toString();
    if (!ChangeEvents::isModuleName(module))
        return reject(400, QStringLiteral("bad_payload"), channelId);
    const QJsonValue idsValue = o.value(QStringLiteral("ids"));
    if (!idsValue.isArray() || idsValue.toArray().isEmpty())
        return reject(400, QStringLiteral("bad_payload"), channelId);
    QStringList ids;
    QSet<QString> seen;
    for (const QJsonValue& v : idsValue.toArray()) {
        const QString id = idText(v);
        if (!ChangeEvents::isZohoId(id))
            return reject(400, QStringLiteral("bad_payload"), channelId);
        if (!seen.contains(id)) {
            seen.insert(id);
            ids << id;
        }
    }
    const QJsonValue timeValue = o.value(QStringLiteral("server_time"));
    const qint64 serverTime = timeValue.isDouble() ? timeValue.toInteger() : 0;
    if (serverTime <= 0) // it names the change in the dedupe key
        return reject(400, QStringLiteral("bad_payload"), channelId);
    const QString operation = o.value(QStringLiteral("operation")).toString();

    // affected_fields: [{"<id>": ["Field", …]}, …]
    QHash<QString, QJsonArray> affected;
    for (const QJsonValue& entry : o.value(QStringLiteral("affected_fields")).toArray()) {
        const QJsonObject byId = entry.toObject();
        for (auto it = byId.begin(); it != byId.end(); ++it)
            affected.insert(it.key(), it.value().toArray());
    }

    QList<OutboxItem> items;
    items.reserve(ids.size());
    for (const QString& id : std::as_const(ids)) {
        OutboxItem item;
        item.dedupeKey = ChangeEvents::webhookDedupeKey(module, id, serverTime);
        item.kind = ChangeEvents::kind();
        item.source = ChangeEvents::webhookSource();
        item.module = module;
        item.recordId = id;
        item.payload =
            QString::fromUtf8(jsonBody(QJsonObject{{QStringLiteral("operation"), operation},
                                                   {QStringLiteral("server_time"), serverTime},
                                                   {QStringLiteral("channel_id"), channelId},
                                                   {QStringLiteral("affected_fields"), affected.value(id)}}));
        items << item;
    }
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
