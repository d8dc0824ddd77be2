#pragma once

#include "Result.h"

#include <QDateTime>
#include <QHostAddress>
#include <QMap>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>
#include <QVariantMap>

#include <functional>
#include <optional>
#include <utility>

class QHttpServerRequest;

namespace Core {

class ChannelStore;
class OutboxStore;

namespace detail {
class WebhookHttpServer;
class WebhookTcpServer;
class WebhookConnection;
} // namespace detail

// Where the receiver listens and what it tolerates. Loopback by default: a tunnel or reverse proxy
// (webhook.public_url) is the way in from Zoho, not an open port.
struct WebhookConfig
{
    static constexpr quint16 kDefaultPort = 8765;

    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = kDefaultPort; // 0: pick a free one; port() tells which
    QString path = QStringLiteral("/zoho/notify");
    QUrl publicUrl;                 // what Zoho is told to call; empty: the local URL
    int maxHeaderBytes = 16 * 1024; // request line + headers
    int maxBodyBytes = 1024 * 1024; // callbacks are small; 100 ids are ~3 KiB
    int maxConnections = 64;        // open at once; at the cap new ones wait in the kernel's queue
    int idleTimeoutMs = 10000;      // no byte for this long: closed
    int requestTimeoutMs = 30000;   // a whole request must arrive within this (slow clients)
    int evictSilentAfterMs = 1000;  // at the cap, a connection silent this long makes room
    int evictStalledAfterMs = 2000; // and one still without a whole request this long (slowloris)

    // Keys: webhook.listen ("127.0.0.1:8765", "[::1]:0", "8765"), webhook.path, webhook.public_url,
    // webhook.max_header_bytes, webhook.max_body_bytes, webhook.max_connections,
    // webhook.idle_timeout_s, webhook.request_timeout_s, webhook.evict_silent_s,
    // webhook.evict_stalled_s. Absent keys keep the defaults.
    static Result<WebhookConfig> fromSettings(const QVariantMap& settings);
    // The numeric limit keys above (webhook.max_header_bytes … webhook.evict_stalled_s).
    static QStringList limitKeys();
    static Result<std::pair<QHostAddress, quint16>> parseListen(const QString& text);
    Result<Ok> validate() const;
};

// For the dashboard. Rejections are counted by reason: bad_json, bad_payload, missing_token,
// unknown_channel, bad_token, not_found, method_not_allowed, header_too_large, body_too_large,
// bad_request (an unreadable Content-Length), storage, connection_limit (evicted at the cap, or refused
// when even the bounded wait list is full), idle_timeout, request_timeout.
struct WebhookCounters
{
    qint64 received = 0;   // complete HTTP requests
    qint64 accepted = 0;   // valid callbacks answered 200
    qint64 queued = 0;     // new outbox rows
    qint64 duplicates = 0; // ids already queued by an earlier delivery
    qint64 rejected = 0;   // requests and connections turned away
    QMap<QString, qint64> rejectedByReason;
};

// Receives Zoho CRM notification callbacks. QtHttpServer parses HTTP; this class adds the limits
// (size, connections, idle and slow clients, on its own QTcpServer), checks channel_id + token in
// constant time (Zoho signs nothing: the echoed token is the only proof), and turns a valid
// callback into one outbox row per id in one transaction. It answers 200 only after that
// transaction committed, 500 when it failed (so Zoho may send it again), and then emits
// eventsQueued. Every response closes the connection. Tokens are never logged.
class WebhookReceiver final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(WebhookReceiver)

public:
    // The token a known channel must present; nullopt for a channel we do not know.
    using TokenLookup = std::function<Result<std::optional<QString>>(const QString& channelId)>;

    WebhookReceiver(WebhookConfig config, OutboxStore* outbox, TokenLookup tokens, QObject* parent = nullptr);
    ~WebhookReceiver() override;

    // Channels from the store (not those marked disabled).
    static TokenLookup tokensFrom(ChannelStore* channels);

    // Listens; returns the port (the picked one when the configured port is 0).
    Result<quint16> start();
    // Stops listening and closes every open connection.
    void stop();
    bool isListening() const;
    quint16 port() const { return m_port; }
    QUrl localUrl() const;  // http://<listen address>:<port><path>
    QUrl publicUrl() const; // webhook.public_url when set, else localUrl()

    const WebhookConfig& config() const { return m_config; }
    const WebhookCounters& counters() const { return m_counters; }
    int openConnections() const;

signals:
    // After the rows committed and the 200 was written; newRows > 0.
    void eventsQueued(int newRows);
    // Every valid callback, duplicates included (the channel manager tracks the last event time).
    void callbackAccepted(const QString& module, const QString& channelId, const QDateTime& serverTime, int ids);
    void countersChanged();

private:
    friend class detail::WebhookHttpServer;
    friend class detail::WebhookTcpServer;
    friend class detail::WebhookConnection;

    struct Reply
    {
        int status = 200;
        QByteArray body;
        QString reason; // of a rejection
        int newRows = 0;
        int ids = 0;
        QString module;
        QString channelId;
        qint64 serverTimeMs = 0;
    };

    Reply process(const QHttpServerRequest& request);
    Reply reject(int status, const QString& reason, const QString& channelId = {});
    void replied(const Reply& reply);
    void noteRejected(const QString& reason);

    WebhookConfig m_config;
    OutboxStore* m_outbox;
    TokenLookup m_tokens;
    detail::WebhookHttpServer* m_http = nullptr;
    QPointer<detail::WebhookTcpServer> m_tcp;
    quint16 m_port = 0;
    WebhookCounters m_counters;
};

} // namespace Core
