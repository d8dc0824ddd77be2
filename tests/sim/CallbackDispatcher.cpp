#include "CallbackDispatcher.h"

#include "JsonUtil.h"
#include "SimContext.h"
#include "SimLogging.h"
#include "TimeUtil.h"

#include <QHostAddress>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QUrl>

namespace Sim {

CallbackDispatcher::CallbackDispatcher(SimContext& ctx, QObject* parent)
    : QObject(parent)
    , m_ctx(ctx)
    , m_nam(new QNetworkAccessManager(this))
{ }

CallbackDispatcher::~CallbackDispatcher()
{
    // Detach before the manager aborts them, so no finished() reaches a half-destroyed object.
    const QSet<QNetworkReply*> replies = m_replies;
    m_replies.clear();
    for (QNetworkReply* reply : replies) {
        disconnect(reply, nullptr, this, nullptr);
        reply->abort();
        reply->deleteLater();
    }
}

void CallbackDispatcher::deliver(const QString& channelId, const QString& url, const QJsonObject& body)
{
    Delivery d;
    d.seq = m_nextSeq++;
    d.simTimeMs = m_ctx.clock.nowMs();
    d.channelId = channelId;
    d.url = url;
    d.body = body;
    // The simulator only ever talks to this machine: a notify_url elsewhere is logged, not called.
    const QUrl target(url);
    const QHostAddress host(target.host());
    if (target.host().compare(QLatin1String("localhost"), Qt::CaseInsensitive) != 0 && !host.isLoopback()) {
        d.done = true;
        d.error = QStringLiteral("not delivered: the simulator only calls loopback addresses");
        m_log.append(d);
        m_ctx.stats.count(QStringLiteral("callbacks_refused"));
        return;
    }
    m_log.append(d);
    m_ctx.stats.count(QStringLiteral("callbacks_sent"));

    QNetworkRequest request{QUrl(url)};
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json;charset=UTF-8"));
    request.setRawHeader("User-Agent", "ml-connector-sim (Zoho CRM notifications)");
    request.setTransferTimeout(m_ctx.config.callbackTimeoutMs);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QElapsedTimer timer;
    timer.start();
    QNetworkReply* reply = m_nam->post(request, toCompactJson(body));
    m_replies.insert(reply);
    const qint64 seq = d.seq;
    connect(reply, &QNetworkReply::finished, this, [this, reply, seq, timer] { finished(reply, seq, timer); });
}

void CallbackDispatcher::finished(QNetworkReply* reply, qint64 seq, const QElapsedTimer& timer)
{
    m_replies.remove(reply);
    reply->deleteLater();
    const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    for (auto it = m_log.rbegin(); it != m_log.rend(); ++it) {
        if (it->seq != seq)
            continue;
        it->done = true;
        it->status = status;
        it->durationMs = timer.elapsed();
        if (reply->error() != QNetworkReply::NoError && status == 0)
            it->error = reply->errorString();
        break;
    }
    const bool ok = status >= 200 && status < 300;
    m_ctx.stats.count(ok ? QStringLiteral("callbacks_ok") : QStringLiteral("callbacks_failed"));
    if (!ok)
        qCInfo(lcSim) << "callback" << seq << "failed: HTTP" << status << "network error" << int(reply->error());
    // (no URL or error string here: a notify_url may carry a secret in its query)
}

QJsonArray CallbackDispatcher::log(qint64 afterSeq, const QString& channelId) const
{
    QJsonArray out;
    for (const Delivery& d : m_log) {
        if (d.seq <= afterSeq || (!channelId.isEmpty() && d.channelId != channelId))
            continue;
        QJsonObject o{
            {QStringLiteral("seq"), d.seq},
            {QStringLiteral("time"), oracleTime(d.simTimeMs)},
            {QStringLiteral("time_ms"), d.simTimeMs},
            {QStringLiteral("channel_id"), d.channelId},
            {QStringLiteral("url"), d.url},
            {QStringLiteral("body"), d.body},
            {QStringLiteral("state"),
             !d.done ? QStringLiteral("pending")
                     : (d.status >= 200 && d.status < 300 ? QStringLiteral("delivered") : QStringLiteral("failed"))},
            {QStringLiteral("status"), d.done && d.status > 0 ? QJsonValue(d.status) : QJsonValue()},
            {QStringLiteral("error"), d.error.isEmpty() ? QJsonValue() : QJsonValue(d.error)},
            {QStringLiteral("duration_ms"), d.done ? QJsonValue(d.durationMs) : QJsonValue()}};
        out.append(o);
    }
    return out;
}

} // namespace Sim
