#include "ZohoAuthorization.h"

#include "Logging.h"
#include "net/FormBody.h"
#include "net/HttpClient.h"
#include "secrets/CredentialStore.h"
#include "webhook/ConstantTime.h"
#include "zoho/ZohoDataCentre.h"
#include "zoho/ZohoTokenManager.h"

#include <QHostAddress>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrlQuery>

#include <array>

namespace Core {

namespace {

const QString kCancelled = QStringLiteral("cancelled");

// Text from the other side shown to people: bounded, so a hostile redirect cannot flood a label.
QString bounded(const QString& text)
{
    return text.size() > 120 ? text.left(117) + QStringLiteral("...") : text;
}

QString pathWithoutTrailingSlash(const QUrl& url)
{
    QString path = url.path();
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    return path;
}

int effectivePort(const QUrl& url)
{
    return url.port(url.scheme().compare(QLatin1String("https"), Qt::CaseInsensitive) == 0 ? 443 : 80);
}

bool sameServer(const QUrl& a, const QUrl& b)
{
    return a.scheme().compare(b.scheme(), Qt::CaseInsensitive) == 0 &&
           a.host().compare(b.host(), Qt::CaseInsensitive) == 0 && effectivePort(a) == effectivePort(b) &&
           pathWithoutTrailingSlash(a) == pathWithoutTrailingSlash(b) && a.userInfo().isEmpty() &&
           b.userInfo().isEmpty();
}

QUrl endpoint(const QUrl& server, const QString& path)
{
    QUrl url = server;
    url.setPath(pathWithoutTrailingSlash(server) + path);
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

template <typename T>
void deliverLater(QObject* context, std::function<void(Result<T>)> done, Result<T> result)
{
    if (!done)
        return;
    QMetaObject::invokeMethod(
        context, [done = std::move(done), result = std::move(result)]() { done(result); }, Qt::QueuedConnection);
}

QByteArray htmlPage(int status, const QString& title, const QString& text)
{
    const QByteArray body = QStringLiteral("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%1</title>"
                                           "<style>body{font-family:sans-serif;margin:3em;max-width:40em}</style>"
                                           "</head><body><h1>%1</h1><p>%2</p></body></html>")
                                .arg(title.toHtmlEscaped(), text.toHtmlEscaped())
                                .toUtf8();
    const char* reason = status == 200   ? "OK"
                         : status == 400 ? "Bad Request"
                         : status == 404 ? "Not Found"
                         : status == 405 ? "Method Not Allowed"
                                         : "Request Header Fields Too Large";
    QByteArray head = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    head += "Content-Type: text/html; charset=utf-8\r\n";
    head += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    // The address carried a code: keep it out of caches and out of any page's Referer.
    head += "Cache-Control: no-store\r\nReferrer-Policy: no-referrer\r\nConnection: close\r\n\r\n";
    return head + body;
}

} // namespace

// ---- ZohoAuthorization ------------------------------------------------------------------------------------

namespace ZohoAuthorization {

QStringList requestedScopes()
{
    return {QStringLiteral("ZohoCRM.modules.ALL"), QStringLiteral("ZohoCRM.notifications.ALL"),
            QStringLiteral("ZohoCRM.settings.fields.READ")};
}

QString newState()
{
    std::array<quint32, 8> words{};
    QRandomGenerator::system()->fillRange(words.data(), int(words.size()));
    const QByteArray bytes(reinterpret_cast<const char*>(words.data()), int(sizeof(words)));
    return QString::fromLatin1(bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

QUrl authorizeUrl(const QUrl& accountsUrl,
                  const QString& clientId,
                  const QUrl& redirectUri,
                  const QString& state,
                  const QStringList& scopes)
{
    const QList<QPair<QString, QString>> items = {
        {QStringLiteral("scope"), scopes.join(QLatin1Char(','))},
        {QStringLiteral("client_id"), clientId},
        {QStringLiteral("response_type"), QStringLiteral("code")},
        {QStringLiteral("access_type"), QStringLiteral("offline")},
        {QStringLiteral("prompt"), QStringLiteral("consent")},
        {QStringLiteral("redirect_uri"), redirectUri.toString(QUrl::FullyEncoded)},
        {QStringLiteral("state"), state},
    };
    QByteArray query;
    for (const auto& item : items) {
        if (!query.isEmpty())
            query += '&';
        // Commas stay literal: Zoho documents the scope list that way.
        query += item.first.toUtf8() + '=' + QUrl::toPercentEncoding(item.second, ",");
    }
    QUrl url = endpoint(accountsUrl, QStringLiteral("/oauth/v2/auth"));
    url.setQuery(QString::fromLatin1(query), QUrl::StrictMode);
    return url;
}

Result<QUrl>
tokenServer(const QUrl& configuredAccountsUrl, const QString& dataCentre, const QString& redirectAccountsServer)
{
    const QString given = redirectAccountsServer.trimmed();
    if (given.isEmpty())
        return configuredAccountsUrl;
    const QUrl url(given, QUrl::StrictMode);
    const auto refuse = [&]() {
        return Error{Error::Kind::Auth,
                     QObject::tr("The sign-in answer named \"%1\" as your Zoho accounts server, which is not one of "
                                 "Zoho's accounts servers for this set-up, so the client secret was not sent there. "
                                 "Check the data centre setting and sign in again.")
                         .arg(bounded(given)),
                     0, QStringLiteral("untrusted_accounts_server")};
    };
    if (!url.isValid() || url.host().isEmpty())
        return refuse();
    if (sameServer(url, configuredAccountsUrl) && url.query().isEmpty() && url.fragment().isEmpty())
        return configuredAccountsUrl;
    // A custom set-up (a proxy, the simulator) trusts only the server it was given.
    if (!ZohoDataCentre::find(dataCentre))
        return refuse();
    const bool plainHost = url.scheme() == QLatin1String("https") && (url.port() == -1 || url.port() == 443) &&
                           url.userInfo().isEmpty() && pathWithoutTrailingSlash(url).isEmpty() && !url.hasQuery() &&
                           !url.hasFragment();
    if (!plainHost)
        return refuse();
    for (const auto& dc : ZohoDataCentre::all()) {
        if (dc.accountsUrl.host().compare(url.host(), Qt::CaseInsensitive) == 0)
            return dc.accountsUrl;
    }
    return refuse();
}

QString dataCentreOf(const QUrl& accountsUrl)
{
    for (const auto& dc : ZohoDataCentre::all()) {
        if (sameServer(dc.accountsUrl, accountsUrl))
            return dc.id;
    }
    return {};
}

void storeRefreshToken(CredentialStore* store,
                       const ZohoGrant& grant,
                       QObject* context,
                       std::function<void(Result<Ok>)> done)
{
    if (!store || grant.refreshToken.isEmpty()) {
        deliverLater<Ok>(context, std::move(done),
                         Error{Error::Kind::InvalidInput,
                               QObject::tr("There is no refresh token to store (or no credential store to keep it)"),
                               0,
                               {}});
        return;
    }
    store->write(QString::fromLatin1(ZohoTokenManager::kRefreshTokenKey), grant.refreshToken, context, std::move(done));
}

} // namespace ZohoAuthorization

// ---- ZohoRedirectListener ---------------------------------------------------------------------------------

ZohoRedirectListener::ZohoRedirectListener(QObject* parent)
    : QObject(parent)
    , m_server(new QTcpServer(this))
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    connect(m_server, &QTcpServer::newConnection, this, &ZohoRedirectListener::accept);
    connect(m_timer, &QTimer::timeout, this, [this] {
        const int minutes = qMax(1, m_timeoutMs / 60000);
        finish(Error{Error::Kind::Timeout,
                     tr("No answer came back from the browser within %1, so the sign-in stopped: start it again "
                        "and finish signing in to Zoho in the browser")
                         .arg(minutes == 1 ? tr("a minute") : tr("%1 minutes").arg(minutes)),
                     0, QStringLiteral("timeout")});
    });
}

ZohoRedirectListener::~ZohoRedirectListener() = default;

bool ZohoRedirectListener::isWaiting() const
{
    return bool(m_done);
}

Result<QUrl> ZohoRedirectListener::listen(const QString& expectedState, Callback done)
{
    if (m_done || m_server->isListening())
        return Error{Error::Kind::Internal, tr("The sign-in listener is already waiting"), 0, {}};
    if (expectedState.isEmpty())
        return Error{Error::Kind::Internal, tr("The sign-in needs a state value"), 0, {}};
    // Loopback only: the code must never be reachable from another machine.
    if (!m_server->listen(QHostAddress::LocalHost, m_port))
        return Error{
            Error::Kind::Unavailable,
            tr("Could not wait for the browser's answer on 127.0.0.1:%1: %2").arg(m_port).arg(m_server->errorString()),
            0,
            {}};
    m_state = expectedState;
    m_done = std::move(done);
    m_redirectUri = QUrl(QStringLiteral("http://127.0.0.1:%1/callback").arg(m_server->serverPort()));
    m_timer->start(m_timeoutMs);
    qCInfo(lcOAuth).noquote() << "waiting for the browser's sign-in answer on" << m_redirectUri.toString();
    return m_redirectUri;
}

void ZohoRedirectListener::cancel()
{
    finish(Error{Error::Kind::Unavailable, tr("The sign-in was cancelled"), 0, kCancelled});
}

void ZohoRedirectListener::accept()
{
    while (m_server->hasPendingConnections()) {
        QTcpSocket* socket = m_server->nextPendingConnection();
        if (!m_done || m_buffers.size() >= kMaxConnections) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        // Bounded reads: past the limit the rest stays in the kernel and we answer 431.
        socket->setReadBufferSize(kMaxRequestBytes + 1);
        m_buffers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { readFrom(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void ZohoRedirectListener::readFrom(QTcpSocket* socket)
{
    auto it = m_buffers.find(socket);
    if (it == m_buffers.end()) {
        socket->readAll(); // already answered: ignore the rest
        return;
    }
    QByteArray& buffer = it.value();
    buffer += socket->read(kMaxRequestBytes + 1 - buffer.size());
    const int end = buffer.indexOf("\r\n\r\n");
    if ((end < 0 && buffer.size() > kMaxRequestBytes) || end + 4 > kMaxRequestBytes) {
        answer(socket, 431, tr("Request too large"), tr("This address only takes the answer of the Zoho sign-in."));
        emit requestRejected(tr("a request larger than %1 bytes was refused").arg(kMaxRequestBytes));
        return;
    }
    if (end < 0)
        return; // wait for the rest of the head
    handle(socket, buffer.left(end));
}

void ZohoRedirectListener::handle(QTcpSocket* socket, const QByteArray& head)
{
    const QList<QByteArray> parts = head.left(head.indexOf("\r\n") < 0 ? head.size() : head.indexOf("\r\n")).split(' ');
    if (parts.size() != 3 || !parts.at(2).startsWith("HTTP/1.") || !parts.at(1).startsWith('/')) {
        answer(socket, 400, tr("Bad request"), tr("This address only takes the answer of the Zoho sign-in."));
        emit requestRejected(tr("a malformed request was refused"));
        return;
    }
    const QByteArray target = parts.at(1);
    const int mark = target.indexOf('?');
    const QString path = QUrl::fromPercentEncoding(mark < 0 ? target : target.left(mark));
    if (path != QLatin1String("/callback")) {
        answer(socket, 404, tr("Not found"), tr("This address only takes the answer of the Zoho sign-in."));
        emit requestRejected(tr("a request for %1 was refused: only /callback is served").arg(bounded(path)));
        return;
    }
    if (parts.at(0) != "GET") {
        answer(socket, 405, tr("Method not allowed"), tr("The Zoho sign-in answers with GET."));
        emit requestRejected(
            tr("a %1 request was refused: only GET is served").arg(bounded(QString::fromLatin1(parts.at(0)))));
        return;
    }

    const QUrlQuery query(QString::fromLatin1(mark < 0 ? QByteArray() : target.mid(mark + 1)));
    const QStringList states = query.allQueryItemValues(QStringLiteral("state"), QUrl::FullyDecoded);
    const bool stateOk =
        states.size() == 1 && constantTimeEquals(states.first().toUtf8(), m_state.toUtf8()) && !m_state.isEmpty();
    if (!stateOk) {
        answer(socket, 400, tr("Sign-in not recognised"),
               tr("This answer does not belong to the sign-in ml-connector started. Start the sign-in again from "
                  "the app."));
        finish(Error{Error::Kind::Auth,
                     tr("The browser's answer did not belong to the sign-in this app started (wrong state), so it "
                        "was refused and the sign-in stopped: start it again from the app"),
                     0, QStringLiteral("state_mismatch")});
        return;
    }
    const QString error = query.queryItemValue(QStringLiteral("error"), QUrl::FullyDecoded);
    if (error == QLatin1String("access_denied")) {
        answer(socket, 200, tr("Access not granted"),
               tr("You declined access, so ml-connector is not connected to Zoho. You can close this tab."));
        finish(Error{Error::Kind::Auth,
                     tr("Access was declined in the browser (access_denied), so nothing was stored: sign in again "
                        "and choose Accept to let ml-connector use Zoho CRM"),
                     0, error});
        return;
    }
    if (!error.isEmpty()) {
        answer(socket, 200, tr("Sign-in failed"), tr("Zoho reported a problem. You can close this tab."));
        finish(Error{Error::Kind::Auth, tr("Zoho answered the sign-in with the error \"%1\"").arg(bounded(error)), 0,
                     bounded(error)});
        return;
    }
    ZohoRedirect redirect;
    redirect.code = query.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
    redirect.location = bounded(query.queryItemValue(QStringLiteral("location"), QUrl::FullyDecoded));
    redirect.accountsServer = query.queryItemValue(QStringLiteral("accounts-server"), QUrl::FullyDecoded);
    if (redirect.code.isEmpty()) {
        answer(socket, 400, tr("Sign-in failed"), tr("The answer carried no code. Start the sign-in again."));
        finish(Error{Error::Kind::BadResponse,
                     tr("The browser came back from Zoho without a code: start the sign-in again"),
                     0,
                     {}});
        return;
    }
    answer(socket, 200, tr("Signed in to Zoho"),
           tr("ml-connector received the answer from Zoho. You can close this tab and return to the app."));
    finish(redirect);
}

void ZohoRedirectListener::answer(QTcpSocket* socket, int status, const QString& title, const QString& text)
{
    m_buffers.remove(socket);
    // The answered socket lives on its own until the page is out, even if this listener goes first.
    socket->disconnect(this);
    socket->setParent(nullptr);
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    QTimer::singleShot(10000, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    connect(socket, &QTcpSocket::readyRead, socket, [socket] { socket->readAll(); });
    socket->write(htmlPage(status, title, text));
    socket->flush();
    socket->disconnectFromHost();
}

void ZohoRedirectListener::finish(Result<ZohoRedirect> result)
{
    if (!m_done)
        return;
    m_timer->stop();
    m_server->close();
    const auto sockets = m_buffers.keys();
    m_buffers.clear();
    for (QTcpSocket* socket : sockets) {
        socket->abort();
        socket->deleteLater();
    }
    if (!result)
        qCInfo(lcOAuth).noquote() << "browser sign-in answer:" << result.error().message;
    deliverLater<ZohoRedirect>(this, std::exchange(m_done, {}), std::move(result));
}

// ---- ZohoCodeExchange -------------------------------------------------------------------------------------

ZohoCodeExchange::ZohoCodeExchange(HttpClient* http, QObject* parent)
    : QObject(parent)
    , m_http(http)
{ }

void ZohoCodeExchange::exchange(const Request& request, Callback done)
{
    const QString code = request.code.trimmed();
    const auto invalid = [&](const QString& text) {
        deliverLater<ZohoGrant>(this, done, Error{Error::Kind::InvalidInput, text, 0, {}});
    };
    if (request.clientId.trimmed().isEmpty())
        return invalid(tr("Enter the Zoho client id first"));
    if (request.clientSecret.isEmpty())
        return invalid(tr("Enter the Zoho client secret first"));
    if (code.isEmpty())
        return invalid(tr("There is no code to exchange"));
    auto server =
        ZohoAuthorization::tokenServer(request.accountsUrl, request.dataCentre, request.redirectAccountsServer);
    if (!server) {
        qCWarning(lcOAuth).noquote() << "code exchange refused:" << server.error().message;
        deliverLater<ZohoGrant>(this, done, server.error());
        return;
    }
    const bool selfClient = request.redirectUri.isEmpty();
    QList<QPair<QString, QString>> fields = {{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                                             {QStringLiteral("client_id"), request.clientId.trimmed()},
                                             {QStringLiteral("client_secret"), request.clientSecret}};
    if (!selfClient)
        fields.append({QStringLiteral("redirect_uri"), request.redirectUri.toString(QUrl::FullyEncoded)});
    fields.append({QStringLiteral("code"), code});

    HttpRequest http;
    http.method = "POST";
    http.url = endpoint(server.value(), QStringLiteral("/oauth/v2/token"));
    http.setHeader("Content-Type", "application/x-www-form-urlencoded");
    http.setHeader("Accept", "application/json");
    http.body = formBody(fields);
    http.timeoutMs = 20000;
    http.label = QStringLiteral("zoho.token.code");
    const QUrl tokenServer = server.value();
    m_http->send(http, this, [done, tokenServer, selfClient](Result<HttpResponse> answer) {
        Result<ZohoGrant> grant = parseAnswer(answer, tokenServer, selfClient);
        if (grant)
            qCInfo(lcOAuth).noquote() << "Zoho code exchange at" << tokenServer.host() << "gave a refresh token";
        else
            qCInfo(lcOAuth).noquote() << "Zoho code exchange at" << tokenServer.host()
                                      << "failed:" << grant.error().message;
        done(grant);
    });
}

Result<ZohoGrant> ZohoCodeExchange::parseAnswer(const Result<HttpResponse>& answer, const QUrl& server, bool selfClient)
{
    const QString where = server.toString(QUrl::RemoveUserInfo | QUrl::StripTrailingSlash);
    if (!answer) {
        Error error = answer.error();
        error.message = tr("The Zoho accounts server %1 could not be reached: %2").arg(where, error.message);
        return error;
    }
    const HttpResponse& response = answer.value();
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    const QString error = body.value(QStringLiteral("error")).toString();
    if (error == QLatin1String("invalid_code")) {
        return Error{Error::Kind::Auth,
                     selfClient ? tr("Zoho did not accept the code (invalid_code): it has expired or was already "
                                     "used. A self-client code lives as long as chosen when it was generated (3 "
                                     "minutes by default, at most about 10) and works once: generate a new one in "
                                     "the Zoho API console and paste it again")
                                : tr("Zoho did not accept the code (invalid_code): it has expired or was already "
                                     "used. A sign-in code lives 2 minutes and works once: sign in again"),
                     response.status, error};
    }
    if (error == QLatin1String("invalid_client")) {
        return Error{Error::Kind::Auth,
                     tr("Zoho's accounts server %1 rejected the client id or client secret (invalid_client): check "
                        "both, and that the client is registered in this data centre (a client of another data "
                        "centre gets the same answer)")
                         .arg(where),
                     response.status, error};
    }
    if (error == QLatin1String("invalid_redirect_uri")) {
        return Error{Error::Kind::Config,
                     tr("Zoho refused the sign-in's return address (invalid_redirect_uri): add "
                        "http://127.0.0.1/callback style loopback addresses to the client's Authorized Redirect URIs "
                        "in the Zoho API console, or use a self-client code"),
                     response.status, error};
    }
    if (error == QLatin1String("Access Denied")) {
        return Error{Error::Kind::Throttled,
                     tr("Zoho refused the request for now: too many token requests in a short time (Access "
                        "Denied); wait a few minutes and try again"),
                     response.status, error};
    }
    if (!error.isEmpty())
        return Error{Error::Kind::Auth, tr("Zoho's accounts server %1 refused the code: %2").arg(where, bounded(error)),
                     response.status, bounded(error)};
    const QString accessToken = body.value(QStringLiteral("access_token")).toString();
    if (response.status != 200 || accessToken.isEmpty())
        return Error{Error::Kind::BadResponse,
                     tr("Zoho's accounts server %1 answered HTTP %2 without tokens").arg(where).arg(response.status),
                     response.status,
                     {}};
    ZohoGrant grant;
    grant.accessToken = accessToken;
    grant.refreshToken = body.value(QStringLiteral("refresh_token")).toString();
    grant.accountsServer = server;
    if (grant.refreshToken.isEmpty()) {
        return Error{Error::Kind::Auth,
                     tr("Zoho accepted the code but sent no refresh token, so the app could not stay connected. "
                        "Zoho sends one only when it asks for consent (access_type=offline, prompt=consent)%1: "
                        "remove ml-connector's earlier access in Zoho Accounts (Connected Apps) and %2")
                         .arg(selfClient ? QString() : tr(", which the app's sign-in always asks for"),
                              selfClient ? tr("generate a new code") : tr("sign in again")),
                     response.status, QStringLiteral("no_refresh_token")};
    }
    qint64 expiresIn = body.value(QStringLiteral("expires_in")).toVariant().toLongLong();
    if (expiresIn <= 0)
        expiresIn = body.value(QStringLiteral("expires_in_sec")).toVariant().toLongLong();
    grant.expiresInS = expiresIn > 0 ? expiresIn : 3600;
    // api_domain: adopted as ZohoTokenManager does, when it is a URL with a host.
    const QUrl apiDomain(body.value(QStringLiteral("api_domain")).toString());
    if (apiDomain.isValid() && !apiDomain.host().isEmpty())
        grant.apiDomain = apiDomain;
    return grant;
}

// ---- ZohoBrowserSignIn ------------------------------------------------------------------------------------

ZohoBrowserSignIn::ZohoBrowserSignIn(Config config, HttpClient* http, QObject* parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_listener(new ZohoRedirectListener(this))
    , m_exchange(new ZohoCodeExchange(http, this))
{
    m_listener->setTimeoutMs(m_config.timeoutMs);
    m_listener->setPort(m_config.port);
}

void ZohoBrowserSignIn::start(const UrlOpener& open, Callback done)
{
    m_done = std::move(done);
    if (m_config.clientId.trimmed().isEmpty())
        return finish(Error{Error::Kind::InvalidInput, tr("Enter the Zoho client id first"), 0, {}});
    if (m_config.clientSecret.isEmpty())
        return finish(Error{Error::Kind::InvalidInput, tr("Enter the Zoho client secret first"), 0, {}});
    if (!m_config.accountsUrl.isValid() || m_config.accountsUrl.host().isEmpty())
        return finish(Error{Error::Kind::Config, tr("The Zoho accounts server is not set"), 0, {}});

    const QString state = ZohoAuthorization::newState();
    auto redirectUri = m_listener->listen(state, [this](Result<ZohoRedirect> redirect) {
        if (m_finished)
            return;
        if (!redirect)
            return finish(redirect.error());
        emit exchanging();
        ZohoCodeExchange::Request request;
        request.accountsUrl = m_config.accountsUrl;
        request.dataCentre = m_config.dataCentre;
        request.redirectAccountsServer = redirect.value().accountsServer;
        request.clientId = m_config.clientId;
        request.clientSecret = m_config.clientSecret;
        request.code = redirect.value().code;
        request.redirectUri = m_listener->redirectUri();
        m_exchange->exchange(request, [this](Result<ZohoGrant> grant) { finish(std::move(grant)); });
    });
    if (!redirectUri)
        return finish(redirectUri.error());
    m_authorizeUrl = ZohoAuthorization::authorizeUrl(m_config.accountsUrl, m_config.clientId.trimmed(),
                                                     redirectUri.value(), state, m_config.scopes);
    if (!open || !open(m_authorizeUrl)) {
        m_listener->cancel();
        return finish(Error{Error::Kind::Unavailable,
                            tr("No web browser could be opened for the Zoho sign-in: paste a self-client code "
                               "instead"),
                            0, QStringLiteral("no_browser")});
    }
    emit waitingForBrowser(m_authorizeUrl);
}

void ZohoBrowserSignIn::cancel()
{
    if (m_finished)
        return;
    m_listener->cancel();
    finish(Error{Error::Kind::Unavailable, tr("The sign-in was cancelled"), 0, kCancelled});
}

void ZohoBrowserSignIn::finish(Result<ZohoGrant> result)
{
    if (m_finished)
        return;
    m_finished = true;
    deliverLater<ZohoGrant>(this, std::exchange(m_done, {}), std::move(result));
}

} // namespace Core
