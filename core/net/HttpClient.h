#pragma once

#include "Result.h"
#include "net/HttpTypes.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <deque>
#include <functional>

class QNetworkAccessManager;
class QNetworkReply;

namespace Core {

// One HTTP exchange at a time per call, over the application's single QNetworkAccessManager.
// It limits concurrent calls per host (Zoho counts in-flight calls per edition), applies the
// transfer timeout, and logs with secrets redacted. Any HTTP status is a successful exchange
// here; only transport failures (no answer, timeout) are errors. Callers never see a QNetworkReply.
class HttpClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpClient)

public:
    using Callback = std::function<void(Result<HttpResponse>)>;

    explicit HttpClient(QNetworkAccessManager* network, QObject* parent = nullptr);

    // Limits per "host:port"; hosts without a limit use the default.
    void setHostConcurrency(const QString& hostKey, int limit);
    void setDefaultConcurrency(int limit) { m_defaultLimit = qMax(1, limit); }
    int concurrencyLimit(const QString& hostKey) const;
    int peakInFlight(const QString& hostKey) const;
    static QString hostKey(const QUrl& url);

    // The callback runs later, from the event loop, and not at all once context is destroyed.
    void send(const HttpRequest& request, QObject* context, Callback callback);

signals:
    // Every exchange as it ends (status 0: no HTTP answer), for counters and tests.
    void exchangeFinished(const QString& label, int status, qint64 elapsedMs);

private:
    struct Pending
    {
        HttpRequest request;
        QPointer<QObject> context;
        Callback callback;
    };
    struct Host
    {
        int inFlight = 0;
        int peak = 0;
        std::deque<Pending> queue;
    };

    void startNext(const QString& hostKey);
    void start(const QString& hostKey, Pending pending);
    void finished(const QString& hostKey, QNetworkReply* reply, Pending pending, qint64 startedMs);

    QNetworkAccessManager* m_network;
    QHash<QString, int> m_limits;
    QHash<QString, Host> m_hosts;
    int m_defaultLimit = 6;
};

} // namespace Core
