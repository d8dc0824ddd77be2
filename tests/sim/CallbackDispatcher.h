#pragma once

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QSet>
#include <QVector>

class QNetworkAccessManager;
class QNetworkReply;

namespace Sim {

struct SimContext;

// POSTs notification callbacks asynchronously (QNetworkAccessManager, no nested loops) and keeps a
// log of every delivery for GET /_sim/callbacks.
class CallbackDispatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CallbackDispatcher)

public:
    explicit CallbackDispatcher(SimContext& ctx, QObject* parent = nullptr);
    ~CallbackDispatcher() override;

    void deliver(const QString& channelId, const QString& url, const QJsonObject& body);

    // Deliveries with seq > afterSeq, optionally of one channel.
    QJsonArray log(qint64 afterSeq, const QString& channelId) const;
    int pendingCount() const { return m_replies.size(); }
    void clearLog() { m_log.clear(); }

private:
    struct Delivery
    {
        qint64 seq = 0;
        qint64 simTimeMs = 0;
        QString channelId;
        QString url;
        QJsonObject body;
        int status = 0;
        QString error;
        bool done = false;
        qint64 durationMs = 0;
    };

    void finished(QNetworkReply* reply, qint64 seq, const QElapsedTimer& timer);

    SimContext& m_ctx;
    QNetworkAccessManager* m_nam;
    QVector<Delivery> m_log;
    QSet<QNetworkReply*> m_replies;
    qint64 m_nextSeq = 1;
};

} // namespace Sim
