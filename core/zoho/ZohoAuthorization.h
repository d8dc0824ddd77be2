#pragma once

#include "Result.h"
#include "net/HttpTypes.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QUrl>

#include <functional>

class QTcpServer;
class QTcpSocket;
class QTimer;

namespace Core {

class CredentialStore;
class HttpClient;

// What a successful code exchange gives. The tokens are secrets: never log or show them.
struct ZohoGrant
{
    QString refreshToken;
    QString accessToken;
    qint64 expiresInS = 0;
    QUrl apiDomain;      // where this org's data lives (the token answer's api_domain), when given
    QUrl accountsServer; // where the code was exchanged: later refreshes must go there too
};

// The browser's redirect back to us, after the state was checked.
struct ZohoRedirect
{
    QString code; // secret: single use, valid 2 minutes
    QString location;
    QString accountsServer; // as Zoho sent it; checked against the allow-list before any use
};

// Zoho's OAuth authorization-code flow (zoho-crm-api.md 1.1-1.2): the authorize URL, which
// accounts server may receive our client secret, and storing the result.
namespace ZohoAuthorization {

// The scopes the app asks for, in the one place the settings page and the sign-in read them from.
QStringList requestedScopes();

// An unguessable state value (256 bits from the system generator, base64url).
QString newState();

// {accounts}/oauth/v2/auth with comma-separated scopes, access_type=offline and prompt=consent:
// Zoho gives a refresh token only when consent is asked.
QUrl authorizeUrl(const QUrl& accountsUrl,
                  const QString& clientId,
                  const QUrl& redirectUri,
                  const QString& state,
                  const QStringList& scopes = requestedScopes());

// The accounts server the code may be exchanged at (and the client secret sent to): the configured
// one, or the redirect's accounts-server when it is a known Zoho accounts host (https, no path) and
// the configured data centre is one of Zoho's. A custom (proxy, simulator) set-up accepts only itself.
// Any other host is refused, so a forged redirect cannot collect the client secret.
Result<QUrl>
tokenServer(const QUrl& configuredAccountsUrl, const QString& dataCentre, const QString& redirectAccountsServer);

// The data centre id ("eu") whose accounts server is `accountsUrl`; empty when none is.
QString dataCentreOf(const QUrl& accountsUrl);

// Writes the grant's refresh token where ZohoTokenManager reads it ("zoho/refresh_token").
void storeRefreshToken(CredentialStore* store,
                       const ZohoGrant& grant,
                       QObject* context,
                       std::function<void(Result<Ok>)> done);

} // namespace ZohoAuthorization

// Waits on 127.0.0.1 for the browser's redirect: one GET /callback carrying our state, read with
// size limits and answered with a small page. Requests for other paths (a favicon, a probe) and
// oversized or malformed requests are answered with an error page and do not end the wait; a wrong
// state, Zoho's error (access denied) or a missing code end it with an Error, as do the timeout and
// cancel(). The callback runs once, from the event loop.
class ZohoRedirectListener final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ZohoRedirectListener)

public:
    using Callback = std::function<void(Result<ZohoRedirect>)>;

    static constexpr int kDefaultTimeoutMs = 5 * 60 * 1000;
    static constexpr int kMaxRequestBytes = 8 * 1024;
    static constexpr int kMaxConnections = 8;

    explicit ZohoRedirectListener(QObject* parent = nullptr);
    ~ZohoRedirectListener() override;

    void setTimeoutMs(int ms) { m_timeoutMs = ms; }
    // 0 (the default) picks a free port; a fixed one suits a client whose console wants an exact URI.
    void setPort(quint16 port) { m_port = port; }

    // Starts listening; returns the redirect URI (http://127.0.0.1:PORT/callback).
    Result<QUrl> listen(const QString& expectedState, Callback done);
    void cancel();
    bool isWaiting() const;
    QUrl redirectUri() const { return m_redirectUri; }

signals:
    // A request that did not end the wait, in plain words (for diagnostics and tests).
    void requestRejected(const QString& why);

private:
    void accept();
    void readFrom(QTcpSocket* socket);
    void handle(QTcpSocket* socket, const QByteArray& head);
    void answer(QTcpSocket* socket, int status, const QString& title, const QString& text);
    void finish(Result<ZohoRedirect> result);

    QTcpServer* m_server;
    QTimer* m_timer;
    QHash<QTcpSocket*, QByteArray> m_buffers;
    QString m_state;
    QUrl m_redirectUri;
    Callback m_done;
    int m_timeoutMs = kDefaultTimeoutMs;
    quint16 m_port = 0;
};

// Exchanges an authorization code (from the browser or pasted from a self client) for tokens at
// the allowed accounts server, and says what went wrong in plain words.
class ZohoCodeExchange final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ZohoCodeExchange)

public:
    struct Request
    {
        QUrl accountsUrl;               // the configured accounts server
        QString dataCentre;             // "us", ... or "custom"
        QString redirectAccountsServer; // the redirect's accounts-server, if any
        QString clientId;
        QString clientSecret;
        QString code;
        QUrl redirectUri; // the browser flow's; empty for a self-client code
    };
    using Callback = std::function<void(Result<ZohoGrant>)>;

    explicit ZohoCodeExchange(HttpClient* http, QObject* parent = nullptr);

    // The callback runs once, from the event loop, while this object lives.
    void exchange(const Request& request, Callback done);

    // The answer of the token endpoint as a grant or an Error in plain words (public for tests).
    static Result<ZohoGrant> parseAnswer(const Result<HttpResponse>& answer, const QUrl& server, bool selfClient);

private:
    HttpClient* m_http;
};

// The whole browser sign-in: listen on loopback, open the authorize URL through the opener, wait
// for the redirect, exchange the code. The callback runs once with the grant or an Error.
class ZohoBrowserSignIn final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ZohoBrowserSignIn)

public:
    struct Config
    {
        QUrl accountsUrl;
        QString dataCentre;
        QString clientId;
        QString clientSecret;
        QStringList scopes = ZohoAuthorization::requestedScopes();
        int timeoutMs = ZohoRedirectListener::kDefaultTimeoutMs;
        quint16 port = 0;
    };
    // Opens a URL in the person's browser; false when no browser could be started.
    using UrlOpener = std::function<bool(const QUrl&)>;
    using Callback = std::function<void(Result<ZohoGrant>)>;

    ZohoBrowserSignIn(Config config, HttpClient* http, QObject* parent = nullptr);

    void start(const UrlOpener& open, Callback done);
    // Stops waiting; the callback gets an Error with code "cancelled". Does nothing once finished.
    void cancel();
    QUrl authorizeUrl() const { return m_authorizeUrl; }
    ZohoRedirectListener* listener() const { return m_listener; }

signals:
    void waitingForBrowser(const QUrl& authorizeUrl);
    void exchanging();

private:
    void finish(Result<ZohoGrant> result);

    Config m_config;
    ZohoRedirectListener* m_listener;
    ZohoCodeExchange* m_exchange;
    QUrl m_authorizeUrl;
    Callback m_done;
    bool m_finished = false;
};

} // namespace Core
