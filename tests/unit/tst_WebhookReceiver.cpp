// The webhook receiver over real loopback sockets with a real SQLite file: what is answered when,
// what is queued, and what the limits do to bad, big, slow, silent and too many clients.
#include "Clock.h"
#include "Logging.h"
#include "config/Profile.h"
#include "storage/ChannelStore.h"
#include "storage/Database.h"
#include "sync/ChangeEvents.h"
#include "sync/OutboxStore.h"
#include "webhook/ConstantTime.h"
#include "webhook/WebhookReceiver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <memory>
#include <vector>

using namespace Core;

namespace {

const QString kChannel = QStringLiteral("1000000068001");
const QString kToken = QStringLiteral("TOKEN_FOR_VERIFICATION_OF_1000000068001_x");
const QString kOtherChannel = QStringLiteral("1000000068002");
const QString kOtherToken = QStringLiteral("the-token-of-the-accounts-channel-000000");
const QString kDisabledChannel = QStringLiteral("1000000068003");
const QString kDisabledToken = QStringLiteral("a-token-of-a-disabled-channel-0000000000");
const QString kPath = QStringLiteral("/zoho/notify");

// Waits for a condition while the event loop runs (tests only).
template <typename Pred>
bool waitUntil(Pred pred, int ms)
{
    QElapsedTimer timer;
    timer.start();
    while (!pred()) {
        if (timer.elapsed() > ms)
            return false;
        QTest::qWait(5);
    }
    return true;
}

QJsonObject callback(const QStringList& ids,
                     const QString& token = kToken,
                     qint64 serverTime = 1718117126473,
                     const QString& channelId = kChannel)
{
    QJsonArray affected;
    for (const QString& id : ids)
        affected.append(QJsonObject{{id, QJsonArray{QStringLiteral("Phone"), QStringLiteral("Email")}}});
    return QJsonObject{{QStringLiteral("server_time"), serverTime},
                       {QStringLiteral("query_params"), QJsonObject()},
                       {QStringLiteral("module"), QStringLiteral("Contacts")},
                       {QStringLiteral("resource_uri"), QStringLiteral("https://www.zohoapis.com/crm/v2/Contacts")},
                       {QStringLiteral("ids"), QJsonArray::fromStringList(ids)},
                       {QStringLiteral("affected_fields"), affected},
                       {QStringLiteral("operation"), QStringLiteral("update")},
                       {QStringLiteral("channel_id"), channelId},
                       {QStringLiteral("token"), token}};
}

QByteArray json(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QStringList idsFrom(qint64 first, int count)
{
    QStringList ids;
    for (int i = 0; i < count; ++i)
        ids << QString::number(first + i);
    return ids;
}

struct Answer
{
    bool finished = false;
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    qint64 rowsWhenHeadersArrived = -1; // outbox rows at the moment the status line was read
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QString describe() const
    {
        return QStringLiteral("finished %1, HTTP %2, error %3, body %4")
            .arg(finished)
            .arg(status)
            .arg(int(error))
            .arg(QString::fromUtf8(body.left(300)));
    }
};

// What a raw socket got back: everything read until the server closed (or the wait ran out).
struct Raw
{
    QByteArray received;
    bool closed = false;
    int status() const
    {
        if (!received.startsWith("HTTP/1.1 "))
            return 0;
        return received.mid(9, 3).toInt();
    }
};

} // namespace

class tst_WebhookReceiver : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        auto db = Database::open(m_dir->filePath(QStringLiteral("profile.sqlite")));
        QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().message));
        m_db = std::move(db.value());
        m_outbox = std::make_unique<OutboxStore>(*m_db);
        m_channels = std::make_unique<ChannelStore>(*m_db);
        addChannel(QStringLiteral("Contacts"), kChannel, kToken, QStringLiteral("active"));
        addChannel(QStringLiteral("Accounts"), kOtherChannel, kOtherToken, QStringLiteral("active"));
        addChannel(QStringLiteral("Leads"), kDisabledChannel, kDisabledToken, QStringLiteral("disabled"));
        WebhookConfig config;
        config.port = 0;
        config.idleTimeoutMs = 1000;
        config.requestTimeoutMs = 2500;
        QVERIFY(start(config));
    }

    void cleanup()
    {
        m_receiver.reset();
        m_nam.reset();
        m_channels.reset();
        m_outbox.reset();
        m_db.reset();
        m_dir.reset();
    }

    void constantTimeCompare_data()
    {
        QTest::addColumn<QByteArray>("a");
        QTest::addColumn<QByteArray>("b");
        QTest::addColumn<bool>("equal");
        QTest::newRow("equal") << QByteArray("c3504777-db15-4332") << QByteArray("c3504777-db15-4332") << true;
        QTest::newRow("both empty") << QByteArray() << QByteArray("") << true;
        QTest::newRow("last byte differs") << QByteArray("abcdef") << QByteArray("abcdeg") << false;
        QTest::newRow("first byte differs") << QByteArray("xbcdef") << QByteArray("abcdef") << false;
        QTest::newRow("prefix") << QByteArray("abc") << QByteArray("abcdef") << false;
        QTest::newRow("longer") << QByteArray("abcdef") << QByteArray("abc") << false;
        QTest::newRow("empty vs text") << QByteArray() << QByteArray("a") << false;
        QTest::newRow("same bytes, NUL tail") << QByteArray("abc") << QByteArray("abc\0", 4) << false;
        QTest::newRow("high bytes") << QByteArray("\xff\xfe") << QByteArray("\xff\xfe") << true;
    }

    void constantTimeCompare()
    {
        QFETCH(QByteArray, a);
        QFETCH(QByteArray, b);
        QFETCH(bool, equal);
        QCOMPARE(constantTimeEquals(a, b), equal);
        QCOMPARE(constantTimeEquals(b, a), equal);
    }

    void listenAddressesAreParsed()
    {
        auto a = WebhookConfig::parseListen(QStringLiteral("127.0.0.1:8765"));
        QVERIFY(a.ok());
        QCOMPARE(a.value().first, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(a.value().second, quint16(8765));
        a = WebhookConfig::parseListen(QStringLiteral("[::1]:0"));
        QVERIFY(a.ok());
        QCOMPARE(a.value().first, QHostAddress(QHostAddress::LocalHostIPv6));
        QCOMPARE(a.value().second, quint16(0));
        a = WebhookConfig::parseListen(QStringLiteral("9000"));
        QVERIFY(a.ok());
        QCOMPARE(a.value().first, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(a.value().second, quint16(9000));
        a = WebhookConfig::parseListen(QStringLiteral("localhost"));
        QVERIFY(a.ok());
        QCOMPARE(a.value().second, WebhookConfig::kDefaultPort);
        for (const char* bad : {"", "127.0.0.1:99999", "example.com:80", "[::1", "1.2.3.4:x"})
            QVERIFY2(!WebhookConfig::parseListen(QLatin1String(bad)).ok(), bad);

        WebhookConfig defaults;
        QVERIFY(defaults.address.isLoopback());
        QCOMPARE(defaults.path, kPath);
        QCOMPARE(defaults.maxHeaderBytes, 16 * 1024);
        QCOMPARE(defaults.maxBodyBytes, 1024 * 1024);

        const auto fromSettings = WebhookConfig::fromSettings(
            {{QStringLiteral("webhook.listen"), QStringLiteral("127.0.0.1:0")},
             {QStringLiteral("webhook.public_url"), QStringLiteral("https://hooks.example.com/ml/zoho")},
             {QStringLiteral("webhook.idle_timeout_s"), 5}});
        QVERIFY(fromSettings.ok());
        QCOMPARE(fromSettings.value().port, quint16(0));
        QCOMPARE(fromSettings.value().idleTimeoutMs, 5000);
        QVERIFY(!WebhookConfig::fromSettings({{QStringLiteral("webhook.path"), QStringLiteral("notify")}}).ok());
        QVERIFY(
            !WebhookConfig::fromSettings({{QStringLiteral("webhook.public_url"), QStringLiteral("/relative")}}).ok());
    }

    void publicUrlIsTheLocalUrlUnlessConfigured()
    {
        QVERIFY(m_receiver->port() != 0);
        QCOMPARE(m_receiver->publicUrl().toString(),
                 QStringLiteral("http://127.0.0.1:%1/zoho/notify").arg(m_receiver->port()));
        WebhookConfig config;
        config.port = 0;
        config.publicUrl = QUrl(QStringLiteral("https://tunnel.example.net/zoho/notify"));
        QVERIFY(start(config));
        QCOMPARE(m_receiver->publicUrl(), config.publicUrl);
        QVERIFY(m_receiver->localUrl().toString().startsWith(QStringLiteral("http://127.0.0.1:")));
    }

    void aValidCallbackIsQueuedBeforeTheAnswer()
    {
        QSignalSpy queued(m_receiver.get(), &WebhookReceiver::eventsQueued);
        QSignalSpy accepted(m_receiver.get(), &WebhookReceiver::callbackAccepted);
        const QStringList ids{QStringLiteral("5725767000003000064"), QStringLiteral("5725767000003000065"),
                              QStringLiteral("5725767000003000066")};
        const Answer a = post(json(callback(ids)));
        QVERIFY2(a.status == 200, qPrintable(a.describe()));
        // The rows were committed when the status line arrived, not after.
        QCOMPARE(a.rowsWhenHeadersArrived, qint64(3));
        QCOMPARE(a.json().value(QStringLiteral("queued")).toInt(), 3);
        QCOMPARE(queued.count(), 1);
        QCOMPARE(queued.first().at(0).toInt(), 3);
        QCOMPARE(accepted.count(), 1);
        QCOMPARE(accepted.first().at(0).toString(), QStringLiteral("Contacts"));
        QCOMPARE(accepted.first().at(1).toString(), kChannel);
        QCOMPARE(accepted.first().at(2).toDateTime().toMSecsSinceEpoch(), qint64(1718117126473));

        const auto rows = m_outbox->listByState(OutboxItem::State::Pending, 100);
        QVERIFY(rows.ok());
        QCOMPARE(rows.value().size(), 3);
        QStringList seen;
        for (const OutboxItem& row : rows.value()) {
            seen << row.recordId;
            QCOMPARE(row.kind, QStringLiteral("zoho_change"));
            QCOMPARE(row.source, QStringLiteral("webhook"));
            QCOMPARE(row.module, QStringLiteral("Contacts"));
            QCOMPARE(row.dedupeKey, QStringLiteral("zoho:Contacts:%1:1718117126473").arg(row.recordId));
            const QJsonObject payload = QJsonDocument::fromJson(row.payload.toUtf8()).object();
            QCOMPARE(payload.value(QStringLiteral("operation")).toString(), QStringLiteral("update"));
            QCOMPARE(payload.value(QStringLiteral("server_time")).toInteger(), qint64(1718117126473));
            QCOMPARE(payload.value(QStringLiteral("channel_id")).toString(), kChannel);
            QCOMPARE(payload.value(QStringLiteral("affected_fields")).toArray(),
                     (QJsonArray{QStringLiteral("Phone"), QStringLiteral("Email")}));
            QVERIFY2(!row.payload.contains(kToken), "the token must not be stored with the event");
        }
        seen.sort();
        QCOMPARE(seen, ids);
        QCOMPARE(m_receiver->counters().accepted, qint64(1));
        QCOMPARE(m_receiver->counters().queued, qint64(3));
    }

    void theRawAnswerComesAfterTheCommit()
    {
        // The same over a bare socket: the first bytes of the answer already find the row.
        const QByteArray body = json(callback({QStringLiteral("5725767000003000070")}));
        QTcpSocket socket;
        qint64 rowsAtFirstByte = -1;
        QByteArray received;
        connect(&socket, &QTcpSocket::readyRead, this, [&] {
            if (rowsAtFirstByte < 0)
                rowsAtFirstByte = rows();
            received += socket.readAll();
        });
        socket.connectToHost(QHostAddress::LocalHost, m_receiver->port());
        QTRY_VERIFY(socket.state() == QAbstractSocket::ConnectedState);
        socket.write(request("POST", kPath, body));
        QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::UnconnectedState, 10000);
        QVERIFY2(received.startsWith("HTTP/1.1 200"), received.constData());
        QVERIFY(received.contains("Connection: close"));
        QCOMPARE(rowsAtFirstByte, qint64(1));
    }

    void aStorageFailureAnswers500AndQueuesNothing()
    {
        exec(QStringLiteral("CREATE TRIGGER outbox_fails BEFORE INSERT ON outbox "
                            "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"));
        QSignalSpy queued(m_receiver.get(), &WebhookReceiver::eventsQueued);
        const QByteArray body = json(callback({QStringLiteral("5725767000003000064")}));
        const Answer failed = post(body);
        QVERIFY2(failed.status == 500, qPrintable(failed.describe()));
        QCOMPARE(rows(), qint64(0));
        QCOMPARE(queued.count(), 0);
        QCOMPARE(m_receiver->counters().rejectedByReason.value(QStringLiteral("storage")), qint64(1));

        // Zoho sends it again once storage works: now it is queued.
        exec(QStringLiteral("DROP TRIGGER outbox_fails"));
        const Answer again = post(body);
        QVERIFY2(again.status == 200, qPrintable(again.describe()));
        QCOMPARE(again.rowsWhenHeadersArrived, qint64(1));
        QCOMPARE(queued.count(), 1);
    }

    void aBurstOfAHundredIdsIsOneTransaction()
    {
        QSignalSpy queued(m_receiver.get(), &WebhookReceiver::eventsQueued);
        const QStringList ids = idsFrom(Q_INT64_C(5725767000003000100), 100);
        const Answer a = post(json(callback(ids)));
        QVERIFY2(a.status == 200, qPrintable(a.describe()));
        QCOMPARE(a.rowsWhenHeadersArrived, qint64(100));
        QCOMPARE(queued.count(), 1); // one commit, one wake-up
        QCOMPARE(queued.first().at(0).toInt(), 100);

        // All or nothing: a failure on the 60th id of another burst leaves none of its 100 rows.
        const QStringList more = idsFrom(Q_INT64_C(5725767000003000300), 100);
        exec(QStringLiteral("CREATE TRIGGER outbox_fails_once BEFORE INSERT ON outbox WHEN NEW.record_id = '%1' "
                            "BEGIN SELECT RAISE(ABORT, 'fails mid-burst'); END")
                 .arg(more.at(59)));
        const Answer failed = post(json(callback(more, kToken, 1718117999999)));
        QVERIFY2(failed.status == 500, qPrintable(failed.describe()));
        QCOMPARE(rows(), qint64(100));
    }

    void aDuplicateDeliveryIsDeduplicated()
    {
        QSignalSpy queued(m_receiver.get(), &WebhookReceiver::eventsQueued);
        const QByteArray body =
            json(callback({QStringLiteral("5725767000003000064"), QStringLiteral("5725767000003000065")}));
        const Answer first = post(body);
        QVERIFY2(first.status == 200, qPrintable(first.describe()));
        const Answer second = post(body);
        QVERIFY2(second.status == 200, qPrintable(second.describe()));
        QCOMPARE(second.json().value(QStringLiteral("queued")).toInt(), 0);
        QCOMPARE(second.json().value(QStringLiteral("duplicates")).toInt(), 2);
        QCOMPARE(rows(), qint64(2));
        QCOMPARE(queued.count(), 1);
        QCOMPARE(m_receiver->counters().duplicates, qint64(2));
        // The same record changed again later is a new event.
        const Answer later = post(json(callback({QStringLiteral("5725767000003000064")}, kToken, 1718117200000)));
        QCOMPARE(later.json().value(QStringLiteral("queued")).toInt(), 1);
        QCOMPARE(rows(), qint64(3));
    }

    void badTokensAreForbiddenAndQueueNothing_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("reason");
        const QStringList ids{QStringLiteral("5725767000003000064")};
        QJsonObject noToken = callback(ids);
        noToken.remove(QStringLiteral("token"));
        QJsonObject nullToken = callback(ids);
        nullToken.insert(QStringLiteral("token"), QJsonValue());
        QJsonObject noChannel = callback(ids);
        noChannel.remove(QStringLiteral("channel_id"));
        QTest::newRow("wrong token") << json(callback(ids, kToken + QLatin1Char('x'))) << "bad_token";
        QTest::newRow("token one char off")
            << json(callback(ids, QString(kToken).replace(0, 1, QLatin1Char('X')))) << "bad_token";
        QTest::newRow("another channel's token") << json(callback(ids, kOtherToken)) << "bad_token";
        QTest::newRow("missing token") << json(noToken) << "missing_token";
        QTest::newRow("null token") << json(nullToken) << "missing_token";
        QTest::newRow("empty token") << json(callback(ids, QString())) << "missing_token";
        QTest::newRow("unknown channel") << json(callback(ids, kToken, 1, QStringLiteral("999999")))
                                         << "unknown_channel";
        QTest::newRow("disabled channel")
            << json(callback(ids, kDisabledToken, 1, kDisabledChannel)) << "unknown_channel";
        QTest::newRow("missing channel") << json(noChannel) << "unknown_channel";
        QTest::newRow("channel not digits")
            << json(callback(ids, kToken, 1, QStringLiteral("10' OR 1=1"))) << "unknown_channel";
    }

    void badTokensAreForbiddenAndQueueNothing()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, reason);
        QSignalSpy queued(m_receiver.get(), &WebhookReceiver::eventsQueued);
        QStringList logged;
        m_log = &logged;
        // Whatever QT_LOGGING_RULES says, the receiver's info lines are what is checked here.
        auto& category = const_cast<QLoggingCategory&>(lcWebhook());
        const bool wasEnabled = category.isInfoEnabled();
        category.setEnabled(QtInfoMsg, true);
        const auto previous = qInstallMessageHandler(&tst_WebhookReceiver::collect);
        const Answer a = post(body);
        qInstallMessageHandler(previous);
        category.setEnabled(QtInfoMsg, wasEnabled);
        m_log = nullptr;
        QVERIFY2(a.status == 403, qPrintable(a.describe()));
        QCOMPARE(rows(), qint64(0));
        QCOMPARE(queued.count(), 0);
        QCOMPARE(m_receiver->counters().rejectedByReason.value(reason), qint64(1));
        // The log names the channel and the reason, never a token.
        const QString all = logged.join(QLatin1Char('\n'));
        QVERIFY2(all.contains(reason), qPrintable(all));
        for (const QString& secret :
             {kToken, kOtherToken, kDisabledToken, QString(kToken).replace(0, 1, QLatin1Char('X'))})
            QVERIFY2(!all.contains(secret), qPrintable(all));
    }

    void malformedBodiesAreBadRequests_data()
    {
        QTest::addColumn<QByteArray>("body");
        const QStringList ids{QStringLiteral("5725767000003000064")};
        QJsonObject noIds = callback(ids);
        noIds.remove(QStringLiteral("ids"));
        QJsonObject noModule = callback(ids);
        noModule.remove(QStringLiteral("module"));
        QJsonObject emptyIds = callback(ids);
        emptyIds.insert(QStringLiteral("ids"), QJsonArray());
        QJsonObject junkId = callback({QStringLiteral("12; DROP TABLE outbox")});
        QJsonObject noTime = callback(ids);
        noTime.remove(QStringLiteral("server_time"));
        QTest::newRow("not JSON") << QByteArray("{\"ids\": [1, 2");
        QTest::newRow("JSON array") << QByteArray("[1,2,3]");
        QTest::newRow("empty body") << QByteArray();
        QTest::newRow("missing ids") << json(noIds);
        QTest::newRow("missing module") << json(noModule);
        QTest::newRow("empty ids") << json(emptyIds);
        QTest::newRow("id not digits") << json(junkId);
        QTest::newRow("missing server_time") << json(noTime);
    }

    void malformedBodiesAreBadRequests()
    {
        QFETCH(QByteArray, body);
        const Answer a = post(body);
        QVERIFY2(a.status == 400, qPrintable(a.describe()));
        QCOMPARE(rows(), qint64(0));
    }

    void wrongPathAndMethodAreRefused()
    {
        const QByteArray body = json(callback({QStringLiteral("5725767000003000064")}));
        Answer a = post(body, QStringLiteral("/zoho/other"));
        QVERIFY2(a.status == 404, qPrintable(a.describe()));
        a = post(body, QStringLiteral("/"));
        QVERIFY2(a.status == 404, qPrintable(a.describe()));
        a = post(body, kPath, "PUT");
        QVERIFY2(a.status == 405, qPrintable(a.describe()));
        a = post({}, kPath, "GET");
        QVERIFY2(a.status == 405, qPrintable(a.describe()));
        QCOMPARE(rows(), qint64(0));
        QCOMPARE(m_receiver->counters().rejectedByReason.value(QStringLiteral("not_found")), qint64(2));
        QCOMPARE(m_receiver->counters().rejectedByReason.value(QStringLiteral("method_not_allowed")), qint64(2));
        // A query string does not change the path.
        a = post(body, kPath + QStringLiteral("?key1=val1"));
        QVERIFY2(a.status == 200, qPrintable(a.describe()));
    }

    void anOversizeBodyIsRefusedWithoutQueuing()
    {
        // Just over the body limit: QtHttpServer parses it and the receiver answers 413.
        QJsonObject body = callback({QStringLiteral("5725767000003000064")});
        body.insert(QStringLiteral("padding"), QString(1024 * 1024, QLatin1Char('x')));
        const Answer a = post(json(body));
        QVERIFY2(a.status == 413, qPrintable(a.describe()));

        // Far over: the connection watcher answers 413 and closes while the client is still sending.
        QByteArray huge = request("POST", kPath, QByteArray(3 * 1024 * 1024, 'y'));
        const Raw raw = exchange(huge, 10000);
        QVERIFY2(raw.closed, "the server must close an oversize request");
        QVERIFY2(raw.status() == 413 || raw.status() == 0, raw.received.left(100).constData());
        QCOMPARE(rows(), qint64(0));
        QCOMPARE(m_receiver->counters().rejectedByReason.value(QStringLiteral("body_too_large")), qint64(2));
    }

    void oversizeHeadersAreRefused()
    {
        QByteArray head = "POST " + kPath.toLatin1() + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
        for (int i = 0; i < 400; ++i)
            head += "X-Filler-" + QByteArray::number(i) + ": " + QByteArray(60, 'h') + "\r\n";
        const Raw raw = exchange(head, 10000); // never ends its headers
        QVERIFY(raw.closed);
        QVERIFY2(raw.status() == 431 || raw.status() == 0, raw.received.left(100).constData());
        QCOMPARE(m_receiver->counters().rejectedByReason.value(QStringLiteral("header_too_large")), qint64(1));
        QCOMPARE(rows(), qint64(0));
    }

    void anIdleConnectionIsClosedAfterTheTimeout()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_receiver->port());
        QTRY_VERIFY(socket.state() == QAbstractSocket::ConnectedState);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(waitUntil([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 10000));
        QVERIFY2(timer.elapsed() >= 800, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(m_receiver->counters().rejectedByReason.value(QStringLiteral("idle_timeout")), qint64(1));
        QTRY_COMPARE(m_receiver->openConnections(), 0);
    }

    void aSlowClientIsClosedAtTheRequestDeadline()
    {
        // One byte every 300 ms never trips the 1 s idle timeout, but the request must be complete
        // within 2.5 s.
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_receiver->port());
        QTRY_VERIFY(socket.state() == QAbstractSocket::ConnectedState);
        const QByteArray slow = request("POST", kPath, json(callback({QStringLiteral("5725767000003000064")})));
        int sent = 0;
        QTimer drip;
        connect(&drip, &QTimer::timeout, this, [&] {
            if (sent < slow.size() && socket.state() == QAbstractSocket::ConnectedState)
                socket.write(slow.mid(sent++, 1));
        });
        drip.start(300);
        QElapsedTimer timer;
        timer.start();
        QVERIFY(waitUntil([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, 10000));
        drip.stop();
        QVERIFY2(timer.elapsed() >= 2000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(m_receiver->counters().rejectedByReason.value(QStringLiteral("request_timeout")), qint64(1));
        QCOMPARE(rows(), qint64(0));
    }

    void garbageDoesNotCrashIt()
    {
        QList<QByteArray> junk{
            QByteArray("\r\n\r\n\r\n"),
            QByteArray("HTTP/1.1 200 OK\r\n\r\n"),
            QByteArray("GET / HTTP/1.1\r\nContent-Length: -5\r\n\r\n"),
            QByteArray("POST /zoho/notify HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nnot a chunk\r\n"),
            QByteArray("POST /zoho/notify HTTP/9.9\r\nContent-Length: 99999999999999999999\r\n\r\n{}"),
            QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11), // a TLS hello
            QByteArray(4096, '\0'),
            QByteArray("POST /zoho/notify HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"),
        };
        QRandomGenerator random(42);
        for (int i = 0; i < 12; ++i) {
            QByteArray bytes(int(random.bounded(1, 8192)), Qt::Uninitialized);
            for (char& c : bytes)
                c = char(random.bounded(256));
            junk << bytes;
        }
        std::vector<std::unique_ptr<QTcpSocket>> sockets;
        for (const QByteArray& bytes : std::as_const(junk)) {
            sockets.push_back(std::make_unique<QTcpSocket>());
            QTcpSocket* s = sockets.back().get();
            connect(s, &QTcpSocket::connected, s, [s, bytes] { s->write(bytes); });
            s->connectToHost(QHostAddress::LocalHost, m_receiver->port());
        }
        // Each is answered, refused or dropped at the latest by the idle or request timeout.
        QVERIFY(waitUntil(
            [&] {
                for (const auto& s : sockets) {
                    if (s->state() != QAbstractSocket::UnconnectedState)
                        return false;
                }
                return true;
            },
            15000));
        QCOMPARE(rows(), qint64(0));
        QTRY_COMPARE(m_receiver->openConnections(), 0);
        const Answer a = post(json(callback({QStringLiteral("5725767000003000064")})));
        QVERIFY2(a.status == 200, qPrintable(a.describe()));
        QCOMPARE(rows(), qint64(1));
    }

    void atTheCapNewConnectionsWaitAndARealCallbackGetsThrough()
    {
        WebhookConfig config;
        config.port = 0;
        config.maxConnections = 8;
        config.idleTimeoutMs = 20000;
        config.requestTimeoutMs = 20000;
        config.evictSilentAfterMs = 1000;
        config.evictStalledAfterMs = 20000;
        QVERIFY(start(config));
        // The cap holds throughout: sampled on every turn of the event loop.
        int most = 0;
        QTimer sampler;
        connect(&sampler, &QTimer::timeout, this, [&] { most = qMax(most, m_receiver->openConnections()); });
        sampler.start(0);

        std::vector<std::unique_ptr<QTcpSocket>> silent;
        for (int i = 0; i < 8; ++i) {
            silent.push_back(std::make_unique<QTcpSocket>());
            silent.back()->connectToHost(QHostAddress::LocalHost, m_receiver->port());
        }
        QTRY_COMPARE(m_receiver->openConnections(), 8);

        // Eight more silent ones and a real callback, all beyond the cap: none is refused; they wait
        // in the kernel's queue until the silent ones are evicted (by the timer, with no new arrival
        // needed), and the callback is answered 200.
        std::vector<std::unique_ptr<QTcpSocket>> extra;
        std::vector<std::shared_ptr<QByteArray>> extraAnswers;
        for (int i = 0; i < 8; ++i) {
            extra.push_back(std::make_unique<QTcpSocket>());
            auto answer = std::make_shared<QByteArray>();
            extraAnswers.push_back(answer);
            QTcpSocket* s = extra.back().get();
            connect(s, &QTcpSocket::readyRead, s, [s, answer] { *answer += s->readAll(); });
            s->connectToHost(QHostAddress::LocalHost, m_receiver->port());
        }
        const Answer a = post(json(callback({QStringLiteral("5725767000003000064")})));
        QVERIFY2(a.status == 200, qPrintable(a.describe()));
        QCOMPARE(rows(), qint64(1));
        for (const auto& answer : extraAnswers)
            QVERIFY2(!answer->contains("503"), answer->constData());
        // The first eight were evicted to make room, counted as connection_limit.
        QVERIFY(waitUntil(
            [&] {
                for (const auto& s : silent)
                    if (s->state() != QAbstractSocket::UnconnectedState)
                        return false;
                return true;
            },
            20000));
        QVERIFY(m_receiver->counters().rejectedByReason.value(QStringLiteral("connection_limit")) >= 8);
        // Once the crowd is gone the receiver accepts again at once.
        extra.clear();
        const Answer again = post(json(callback({QStringLiteral("5725767000003000065")})));
        QVERIFY2(again.status == 200, qPrintable(again.describe()));
        sampler.stop();
        QVERIFY2(most <= 8, qPrintable(QString::number(most)));
        QVERIFY(most == 8);
    }

    void aStalledConnectionIsEvictedAtTheCap()
    {
        // Two trickling clients (one byte every 150 ms: never idle, never complete) fill a cap of two.
        WebhookConfig config;
        config.port = 0;
        config.maxConnections = 2;
        config.idleTimeoutMs = 20000;
        config.requestTimeoutMs = 60000;
        config.evictSilentAfterMs = 20000;
        config.evictStalledAfterMs = 1000;
        QVERIFY(start(config));
        const QByteArray slow = request("POST", kPath, json(callback({QStringLiteral("5725767000003000090")})));
        std::vector<std::unique_ptr<QTcpSocket>> slowClients;
        for (int i = 0; i < 2; ++i) {
            slowClients.push_back(std::make_unique<QTcpSocket>());
            slowClients.back()->connectToHost(QHostAddress::LocalHost, m_receiver->port());
        }
        QTRY_COMPARE(m_receiver->openConnections(), 2);
        int sent = 0;
        QTimer drip;
        connect(&drip, &QTimer::timeout, this, [&] {
            for (const auto& s : slowClients)
                if (s->state() == QAbstractSocket::ConnectedState)
                    s->write(slow.mid(sent, 1));
            ++sent;
        });
        drip.start(150);
        // Both are evicted by the timer although nothing else arrives, and neither request is queued.
        QVERIFY(waitUntil(
            [&] {
                for (const auto& s : slowClients)
                    if (s->state() != QAbstractSocket::UnconnectedState)
                        return false;
                return true;
            },
            20000));
        drip.stop();
        QVERIFY2(sent < slow.size(), "the slow requests must not have been completed");
        QCOMPARE(m_receiver->counters().rejectedByReason.value(QStringLiteral("connection_limit")), qint64(2));
        QCOMPARE(m_receiver->counters().rejectedByReason.value(QStringLiteral("request_timeout")), qint64(0));
        QCOMPARE(rows(), qint64(0));
        const Answer a = post(json(callback({QStringLiteral("5725767000003000091")})));
        QVERIFY2(a.status == 200, qPrintable(a.describe()));
    }

    void belowTheCapNothingIsEvicted()
    {
        // The eviction timer only runs at the cap: a slow client is then left to its own timeouts.
        WebhookConfig config;
        config.port = 0;
        config.maxConnections = 4;
        config.idleTimeoutMs = 20000;
        config.requestTimeoutMs = 20000;
        config.evictSilentAfterMs = 100;
        config.evictStalledAfterMs = 100;
        QVERIFY(start(config));
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_receiver->port());
        QTRY_COMPARE(m_receiver->openConnections(), 1);
        QTest::qWait(1000); // ten times the eviction thresholds
        QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
        QCOMPARE(m_receiver->counters().rejectedByReason.value(QStringLiteral("connection_limit")), qint64(0));
    }

    void aDeclaredOversizeBodyIsAnswered413AtOnce()
    {
        // Only the header is sent, never the body: the 413 comes from the declared length alone, long
        // before the idle timeout (20 s here) would end the connection.
        WebhookConfig config;
        config.port = 0;
        config.idleTimeoutMs = 20000;
        config.requestTimeoutMs = 20000;
        QVERIFY(start(config));
        const QByteArray head = "POST " + kPath.toLatin1() + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " +
                                QByteArray::number(config.maxBodyBytes + 1) + "\r\n\r\n{\"a\":";
        Raw raw;
        QTcpSocket socket;
        connect(&socket, &QTcpSocket::readyRead, this, [&] { raw.received += socket.readAll(); });
        connect(&socket, &QTcpSocket::connected, this, [&] { socket.write(head); });
        socket.connectToHost(QHostAddress::LocalHost, m_receiver->port());
        QVERIFY(waitUntil([&] { return raw.status() != 0; }, 15000));
        QCOMPARE(raw.status(), 413);
        QCOMPARE(m_receiver->counters().rejectedByReason.value(QStringLiteral("body_too_large")), qint64(1));
        QCOMPARE(m_receiver->counters().rejectedByReason.value(QStringLiteral("idle_timeout")), qint64(0));
        QCOMPARE(m_receiver->counters().received, qint64(0)); // never reached the request handler
        socket.disconnect(this);
        QCOMPARE(rows(), qint64(0));
    }

    void aNonNumericContentLengthIsABadRequest_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::newRow("letters") << QByteArray("ten");
        QTest::newRow("negative") << QByteArray("-5");
        QTest::newRow("hex") << QByteArray("0x10");
        QTest::newRow("trailing junk") << QByteArray("12abc");
        QTest::newRow("too many digits") << QByteArray("99999999999999999999999");
    }

    void aNonNumericContentLengthIsABadRequest()
    {
        QFETCH(QByteArray, value);
        const QByteArray body = json(callback({QStringLiteral("5725767000003000064")}));
        const Raw raw = exchange(
            "POST " + kPath.toLatin1() + " HTTP/1.1\r\nHost: x\r\nContent-Length: " + value + "\r\n\r\n" + body, 15000);
        QVERIFY(raw.closed);
        QVERIFY2(raw.status() == 400, raw.received.left(100).constData());
        QCOMPARE(m_receiver->counters().rejectedByReason.value(QStringLiteral("bad_request")), qint64(1));
        QCOMPARE(rows(), qint64(0));
    }

    void aPipelinedSecondRequestIsNotProcessed()
    {
        // Two valid callbacks in one write: the first is answered (and queued), the connection closes,
        // and the second is never looked at.
        const QByteArray first = request("POST", kPath, json(callback({QStringLiteral("5725767000003000201")})));
        const QByteArray second = request("POST", kPath, json(callback({QStringLiteral("5725767000003000202")})));
        const Raw raw = exchange(first + second, 15000);
        QVERIFY(raw.closed);
        QVERIFY2(raw.status() == 200, raw.received.left(200).constData());
        QCOMPARE(raw.received.count("HTTP/1.1 "), 1);
        QTest::qWait(200); // a second request would be handled in the same turn as the first
        const auto queued = m_outbox->listByState(OutboxItem::State::Pending, 10);
        QVERIFY(queued.ok());
        QCOMPARE(queued.value().size(), 1);
        QCOMPARE(queued.value().first().recordId, QStringLiteral("5725767000003000201"));
        QCOMPARE(m_receiver->counters().received, qint64(1));
    }

    void limitsComeFromTheSettings()
    {
        QStringList keys = WebhookConfig::limitKeys();
        QCOMPARE(keys.size(), 7);
        const auto c =
            WebhookConfig::fromSettings({{QStringLiteral("webhook.max_header_bytes"), QStringLiteral("2048")},
                                         {QStringLiteral("webhook.max_body_bytes"), 4096},
                                         {QStringLiteral("webhook.max_connections"), QStringLiteral("3")},
                                         {QStringLiteral("webhook.idle_timeout_s"), 4},
                                         {QStringLiteral("webhook.request_timeout_s"), 5},
                                         {QStringLiteral("webhook.evict_silent_s"), 6},
                                         {QStringLiteral("webhook.evict_stalled_s"), 7}});
        QVERIFY2(c.ok(), c.ok() ? "" : qPrintable(c.error().message));
        QCOMPARE(c.value().maxHeaderBytes, 2048);
        QCOMPARE(c.value().maxBodyBytes, 4096);
        QCOMPARE(c.value().maxConnections, 3);
        QCOMPARE(c.value().idleTimeoutMs, 4000);
        QCOMPARE(c.value().requestTimeoutMs, 5000);
        QCOMPARE(c.value().evictSilentAfterMs, 6000);
        QCOMPARE(c.value().evictStalledAfterMs, 7000);
        for (const auto& [key, value] : QList<QPair<QString, QString>>{
                 {QStringLiteral("webhook.max_header_bytes"), QStringLiteral("100")},
                 {QStringLiteral("webhook.max_body_bytes"), QStringLiteral("0")},
                 {QStringLiteral("webhook.max_connections"), QStringLiteral("-1")},
                 {QStringLiteral("webhook.idle_timeout_s"), QStringLiteral("ten")},
                 {QStringLiteral("webhook.request_timeout_s"), QStringLiteral("99999999999")},
                 {QStringLiteral("webhook.evict_silent_s"), QStringLiteral("")},
                 {QStringLiteral("webhook.evict_stalled_s"), QStringLiteral("1.5")}})
            QVERIFY2(!WebhookConfig::fromSettings({{key, value}}).ok(), qPrintable(key + QLatin1Char('=') + value));
    }

    void theProfileKeepsTodaysDefaultsAndRefusesBadLimits()
    {
        QTemporaryDir dir;
        auto profile = Profile::open(dir.path());
        QVERIFY(profile.ok());
        QVariantMap settings;
        for (const QString& key : WebhookConfig::limitKeys()) {
            QVERIFY2(Profile::findKey(key), qPrintable(key));
            settings.insert(key, profile.value().value(key));
        }
        // Unset keys give exactly the receiver's built-in defaults.
        const auto fromProfile = WebhookConfig::fromSettings(settings);
        QVERIFY(fromProfile.ok());
        const WebhookConfig defaults;
        QCOMPARE(fromProfile.value().maxHeaderBytes, defaults.maxHeaderBytes);
        QCOMPARE(fromProfile.value().maxBodyBytes, defaults.maxBodyBytes);
        QCOMPARE(fromProfile.value().maxConnections, defaults.maxConnections);
        QCOMPARE(fromProfile.value().idleTimeoutMs, defaults.idleTimeoutMs);
        QCOMPARE(fromProfile.value().requestTimeoutMs, defaults.requestTimeoutMs);
        QCOMPARE(fromProfile.value().evictSilentAfterMs, defaults.evictSilentAfterMs);
        QCOMPARE(fromProfile.value().evictStalledAfterMs, defaults.evictStalledAfterMs);
        // Checked when typed, with the receiver's own floors.
        QVERIFY(profile.value().set(QStringLiteral("webhook.max_connections"), QStringLiteral("16")).ok());
        QCOMPARE(profile.value().value(QStringLiteral("webhook.max_connections")), QStringLiteral("16"));
        for (const auto& [key, value] :
             QList<QPair<QString, QString>>{{QStringLiteral("webhook.max_header_bytes"), QStringLiteral("100")},
                                            {QStringLiteral("webhook.max_body_bytes"), QStringLiteral("-1")},
                                            {QStringLiteral("webhook.max_connections"), QStringLiteral("0")},
                                            {QStringLiteral("webhook.idle_timeout_s"), QStringLiteral("3000000")},
                                            {QStringLiteral("webhook.evict_stalled_s"), QStringLiteral("x")}})
            QVERIFY2(!profile.value().set(key, value).ok(), qPrintable(key + QLatin1Char('=') + value));
        QCOMPARE(profile.value().value(QStringLiteral("webhook.max_connections")), QStringLiteral("16"));
    }

    void stopClosesEverything()
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_receiver->port());
        QTRY_COMPARE(m_receiver->openConnections(), 1);
        const quint16 port = m_receiver->port();
        m_receiver->stop();
        QVERIFY(!m_receiver->isListening());
        QTRY_VERIFY(socket.state() == QAbstractSocket::UnconnectedState);
        QTcpSocket again;
        again.connectToHost(QHostAddress::LocalHost, port);
        QVERIFY(waitUntil([&] { return again.state() == QAbstractSocket::UnconnectedState; }, 5000));
        QVERIFY(again.error() == QAbstractSocket::ConnectionRefusedError);
    }

private:
    static void collect(QtMsgType, const QMessageLogContext&, const QString& message)
    {
        if (m_log)
            m_log->append(message);
    }

    bool start(const WebhookConfig& config)
    {
        m_receiver.reset();
        m_receiver =
            std::make_unique<WebhookReceiver>(config, m_outbox.get(), WebhookReceiver::tokensFrom(m_channels.get()));
        const auto started = m_receiver->start();
        if (!started)
            qWarning() << started.error().message;
        m_nam = std::make_unique<QNetworkAccessManager>();
        return started.ok() && started.value() != 0;
    }

    void addChannel(const QString& module, const QString& id, const QString& token, const QString& state)
    {
        ChannelRecord c;
        c.module = module;
        c.channelId = id;
        c.token = token;
        c.events = module + QStringLiteral(".all");
        c.expiresAtMs = QDateTime::currentMSecsSinceEpoch() + 3600 * 1000;
        c.state = state;
        QVERIFY(m_channels->upsert(c).ok());
    }

    void exec(const QString& sql)
    {
        QSqlQuery q(m_db->connection());
        QVERIFY2(q.exec(sql), qPrintable(sql));
    }

    qint64 rows() const
    {
        const auto counts = m_outbox->counts();
        return counts.ok() ? counts.value().total() : -1;
    }

    QUrl url(const QString& pathAndQuery) const
    {
        return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_receiver->port()).arg(pathAndQuery));
    }

    static QByteArray request(const QByteArray& method, const QString& path, const QByteArray& body)
    {
        return method + ' ' + path.toLatin1() +
               " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: " +
               QByteArray::number(body.size()) + "\r\n\r\n" + body;
    }

    Answer post(const QByteArray& body, const QString& path = kPath, const QByteArray& method = "POST")
    {
        QNetworkRequest req(url(path));
        req.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json;charset=UTF-8"));
        req.setTransferTimeout(30000);
        QNetworkReply* reply = m_nam->sendCustomRequest(req, method, body);
        Answer a;
        connect(reply, &QNetworkReply::metaDataChanged, this, [&a, this] {
            if (a.rowsWhenHeadersArrived < 0)
                a.rowsWhenHeadersArrived = rows();
        });
        if (!reply->isFinished()) {
            QSignalSpy done(reply, &QNetworkReply::finished);
            done.wait(30000);
        }
        a.finished = reply->isFinished();
        a.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        a.body = reply->readAll();
        a.error = reply->error();
        reply->disconnect(this);
        reply->deleteLater();
        return a;
    }

    // Sends raw bytes and collects the answer until the server closes (or the wait runs out).
    Raw exchange(const QByteArray& bytes, int waitMs)
    {
        Raw raw;
        QTcpSocket socket;
        connect(&socket, &QTcpSocket::readyRead, this, [&] { raw.received += socket.readAll(); });
        connect(&socket, &QTcpSocket::connected, this, [&] { socket.write(bytes); });
        socket.connectToHost(QHostAddress::LocalHost, m_receiver->port());
        raw.closed = waitUntil([&] { return socket.state() == QAbstractSocket::UnconnectedState; }, waitMs);
        raw.received += socket.readAll();
        socket.disconnect(this);
        return raw;
    }

    static inline QStringList* m_log = nullptr;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<OutboxStore> m_outbox;
    std::unique_ptr<ChannelStore> m_channels;
    std::unique_ptr<WebhookReceiver> m_receiver;
    std::unique_ptr<QNetworkAccessManager> m_nam;
};

QTEST_GUILESS_MAIN(tst_WebhookReceiver)
#include "tst_WebhookReceiver.moc"
