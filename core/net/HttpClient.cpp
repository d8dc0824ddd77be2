#include "HttpClient.h"

#include "Logging.h"
#include "Redact.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QIODevice>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <cstring>

namespace Core {

namespace {
// A request body that can be read once and never rewound. Qt re-sends a request by itself, once, when
// the connection closes before any answer; for a POST that the server may already have carried out,
// that silent second send creates a second record. A body Qt cannot rewind makes it report the lost
// answer (ContentReSendError) instead, and the caller decides (for a create: look up before retrying).
class OneShotBody final : public QIODevice
{
public:
    explicit OneShotBody(QByteArray bytes)
        : m_bytes(std::move(bytes))
    {
        open(QIODevice::ReadOnly);
    }
    bool isSequential() const override { return true; }
    bool reset() override { return false; }
    bool atEnd() const override { return m_read >= m_bytes.size(); }
    qint64 bytesAvailable() const override { return m_bytes.size() - m_read + QIODevice::bytesAvailable(); }

protected:
    qint64 readData(char* data, qint64 maxSize) override
    {
        const qint64 n = qMin(maxSize, qint64(m_bytes.size()) - m_read);
        memcpy(data, m_bytes.constData() + m_read, size_t(n));
        m_read += n;
        return n;
    }
    qint64 writeData(const char*, qint64) override { return -1; }

private:
    QByteArray m_bytes;
    qint64 m_read = 0;
};

qint64 monotonicMs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.elapsed();
}
} // namespace

HttpClient::HttpClient(QNetworkAccessManager* network, QObject* parent)
    : QObject(parent)
    , m_network(network)
{ }

QString HttpClient::hostKey(const QUrl& url)
{
    return url.host().toLower() + QLatin1Char(':') +
           QString::number(url.port(url.scheme() == QLatin1String("http") ? 80 : 443));
}

void HttpClient::setHostConcurrency(const QString& key, int limit)
{
    m_limits.insert(key, qMax(1, limit));
}

int HttpClient::concurrencyLimit(const QString& key) const
{
    return m_limits.value(key, m_defaultLimit);
}

int HttpClient::peakInFlight(const QString& key) const
{
    return m_hosts.value(key).peak;
}

void HttpClient::send(const HttpRequest& request, QObject* context, Callback callback)
{
    const QString key = hostKey(request.url);
    m_hosts[key].queue.push_back(Pending{request, context, std::move(callback)});
    // Start from the event loop so a callback never runs inside send().
    QTimer::singleShot(0, this, [this, key] { startNext(key); });
}

void HttpClient::startNext(const QString& key)
{
    Host& host = m_hosts[key];
    while (host.inFlight < concurrencyLimit(key) && !host.queue.empty()) {
        Pending pending = std::move(host.queue.front());
        host.queue.pop_front();
        if (!pending.context)
            continue; // its owner is gone; nobody wants the answer
        start(key, std::move(pending));
    }
}

void HttpClient::start(const QString& key, Pending pending)
{
    Host& host = m_hosts[key];
    ++host.inFlight;
    host.peak = qMax(host.peak, host.inFlight);

    const HttpRequest& request = pending.request;
    QNetworkRequest qreq(request.url);
    for (const auto& header : request.headers)
        qreq.setRawHeader(header.first, header.second);
    qreq.setTransferTimeout(request.timeoutMs);
    qreq.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::SameOriginRedirectPolicy);
    qCDebug(lcHttp).noquote() << request.label << request.method << Redact::url(request.url).toString() << "in flight"
                              << host.inFlight;

    QNetworkReply* reply = nullptr;
    if (!request.isIdempotent() && !request.retryUnsafe) {
        qreq.setAttribute(QNetworkRequest::DoNotBufferUploadDataAttribute, true);
        qreq.setHeader(QNetworkRequest::ContentLengthHeader, request.body.size());
        auto* body = new OneShotBody(request.body);
        reply = m_network->sendCustomRequest(qreq, request.method, body);
        body->setParent(reply);
    } else {
        reply = m_network->sendCustomRequest(qreq, request.method, request.body);
    }
    const qint64 startedMs = monotonicMs();
    connect(reply, &QNetworkReply::finished, this,
            [this, key, reply, pending = std::move(pending), startedMs]() mutable {
                finished(key, reply, std::move(pending), startedMs);
            });
}

void HttpClient::finished(const QString& key, QNetworkReply* reply, Pending pending, qint64 startedMs)
{
    reply->deleteLater();
    --m_hosts[key].inFlight;
    startNext(key);

    const HttpRequest& request = pending.request;
    const qint64 elapsed = monotonicMs() - startedMs;
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    Result<HttpResponse> result = [&]() -> Result<HttpResponse> {
        if (status == 0) {
            const bool timedOut = reply->error() == QNetworkReply::TimeoutError ||
                                  reply->error() == QNetworkReply::OperationCanceledError;
            const QString where = Redact::url(request.url).toDisplayString(QUrl::RemoveQuery);
            if (timedOut)
                return Error{Error::Kind::Timeout,
                             QObject::tr("%1 did not answer within %2 s").arg(where).arg(request.timeoutMs / 1000.0), 0,
                             QStringLiteral("timeout")};
            if (reply->error() == QNetworkReply::ContentReSendError)
                return Error{Error::Kind::Network,
                             QObject::tr("%1 closed the connection before answering; the request may have been "
                                         "carried out")
                                 .arg(where),
                             0, QStringLiteral("network")};
            return Error{Error::Kind::Network,
                         QObject::tr("%1 could not be reached: %2").arg(where, reply->errorString()), 0,
                         QStringLiteral("network")};
        }
        HttpResponse response;
        response.status = status;
        for (const auto& pair : reply->rawHeaderPairs())
            response.headers.append(pair);
        response.body = reply->readAll();
        response.elapsedMs = elapsed;
        return response;
    }();

    emit exchangeFinished(request.label, status, elapsed);
    if (result.ok())
        qCDebug(lcHttp).noquote() << request.label << "HTTP" << status << elapsed << "ms";
    else
        qCInfo(lcHttp).noquote() << request.label << result.error().message;
    if (pending.context)
        pending.callback(std::move(result));
}

} // namespace Core
