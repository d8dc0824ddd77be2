// Regression tests for what the crash and fault soak (ml-soak) found, each small enough to fail on its
// own when the bug comes back.
#include "SimTestClient.h"
#include "SoakProcesses.h"

#include "net/HttpClient.h"
#include "storage/Database.h"
#include "storage/EchoStore.h"
#include "sync/OutboxStore.h"

#include <QCoreApplication>
#include <QDir>
#include <QNetworkAccessManager>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

namespace {

// Takes HTTP requests and closes the connection without answering, counting what arrives.
class AnswerlessServer
{
public:
    AnswerlessServer()
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] {
            while (QTcpSocket* socket = m_server.nextPendingConnection()) {
                auto buffer = std::make_shared<QByteArray>();
                QObject::connect(socket, &QTcpSocket::readyRead, socket, [this, socket, buffer] {
                    *buffer += socket->readAll();
                    const int end = buffer->indexOf("\r\n\r\n");
                    if (end < 0)
                        return;
                    const QByteArray head = buffer->left(end).toLower();
                    const int at = head.indexOf("content-length:");
                    const int length =
                        at < 0 ? 0 : head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toInt();
                    if (buffer->size() < end + 4 + length)
                        return;
                    ++requests;
                    socket->abort(); // the work is done, the answer is lost
                    socket->deleteLater();
                });
            }
        });
        m_server.listen(QHostAddress::LocalHost, 0);
    }
    QUrl url() const { return QUrl(QStringLiteral("http://127.0.0.1:%1/accounts").arg(m_server.serverPort())); }
    int requests = 0;

private:
    QTcpServer m_server;
};

QString cliPath()
{
    return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("ml-connector-cli"));
}

} // namespace

class tst_SoakRegressions : public QObject
{
    Q_OBJECT

private slots:
    // Qt re-sends a request, unasked, when the connection closes before an answer: for a create that
    // the server already carried out, that made a second Oracle account.
    void aPostWhoseAnswerIsLostIsSentOnce()
    {
        AnswerlessServer server;
        QNetworkAccessManager network;
        Core::HttpClient http(&network);
        Core::HttpRequest request;
        request.method = "POST";
        request.url = server.url();
        request.body = "{\"OrganizationName\":\"Once Only\"}";
        request.setHeader("Content-Type", "application/json");
        request.label = QStringLiteral("test.create");
        SimTest::Waiter<Core::HttpResponse> answer;
        http.send(request, this, answer.callback());
        QVERIFY(answer.wait());
        QVERIFY(!answer->ok());
        QCOMPARE(answer->error().kind, Core::Error::Kind::Network);
        QTest::qWait(500); // a re-send would arrive at once
        QCOMPARE(server.requests, 1);
    }

    // A request that may be sent twice still gets Qt's transparent second try.
    void aRequestMarkedSafeToRepeatIsStillRetriedByQt()
    {
        AnswerlessServer server;
        QNetworkAccessManager network;
        Core::HttpClient http(&network);
        Core::HttpRequest request;
        request.method = "PATCH";
        request.retryUnsafe = true;
        request.url = server.url();
        request.body = "{\"City\":\"Lyon\"}";
        SimTest::Waiter<Core::HttpResponse> answer;
        http.send(request, this, answer.callback());
        QVERIFY(answer.wait());
        QTRY_COMPARE_WITH_TIMEOUT(server.requests, 2, 10000);
    }

    // A row that waits for a create fence gives its attempt back: 100 restarts must not dead-letter it.
    void aPostponedRowKeepsItsAttempts()
    {
        QTemporaryDir dir;
        auto db = Core::Database::open(QDir(dir.path()).filePath(QStringLiteral("t.db")));
        QVERIFY2(db.ok(), qPrintable(SimTest::problem(db)));
        Core::OutboxStore outbox(*db.value(), nullptr, 2);
        Core::OutboxItem item;
        item.dedupeKey = QStringLiteral("zoho:Contacts:1:t");
        item.kind = QStringLiteral("zoho_change");
        item.source = QStringLiteral("webhook");
        item.module = QStringLiteral("Contacts");
        item.recordId = QStringLiteral("1");
        QVERIFY(outbox.enqueue(item).ok());
        for (int round = 0; round < 5; ++round) {
            const auto claimed = outbox.claimDue(10, 4102444800000LL);
            QVERIFY(claimed.ok());
            QCOMPARE(claimed.value().size(), 1);
            QCOMPARE(claimed.value().first().attempts, 1);
            QVERIFY(outbox.postpone(claimed.value().first().id, QStringLiteral("waiting"), 1000).ok());
        }
        const auto row = outbox.listByState(Core::OutboxItem::State::Pending);
        QVERIFY(row.ok());
        QCOMPARE(row.value().size(), 1);
        QCOMPARE(row.value().first().attempts, 0);
        QCOMPARE(row.value().first().nextAttemptAtMs, qint64(1000));
    }

    // The record as our write-back left it also carries a user's earlier, unsynced edit: it must reach
    // Oracle, not be skipped as "our own echo".
    void aUserEditIsNotLostBehindOurOwnWriteBack()
    {
        Core::SimulatorLauncher launcher;
        QString why;
        const QUrl base = SimTest::startSimulator(
            launcher,
            {QStringLiteral("--seed"), QStringLiteral("4"), QStringLiteral("--accounts"), QStringLiteral("3")}, &why);
        QVERIFY2(base.isValid(), qPrintable(why));
        SimTest::Client control(base);
        QTemporaryDir work;
        Soak::Paths paths{{}, cliPath(), QDir(work.path()).filePath(QStringLiteral("profile")), work.path()};
        const QString b = base.toString(QUrl::StripTrailingSlash);
        for (const auto& [key, value] :
             QList<QPair<QString, QString>>{{QStringLiteral("zoho.dc"), QStringLiteral("custom")},
                                            {QStringLiteral("zoho.accounts_url"), b},
                                            {QStringLiteral("zoho.api_url"), b},
                                            {QStringLiteral("zoho.client_id"), SimTest::kZohoClientId},
                                            {QStringLiteral("oracle.pod_url"), b},
                                            {QStringLiteral("oracle.username"), SimTest::kOracleUser}}) {
            const auto set = Soak::runCli(paths, {QStringLiteral("config"), QStringLiteral("set"), key, value});
            QVERIFY2(set.exitCode == 0, qPrintable(set.err));
        }
        const auto first = Soak::runCli(paths, {QStringLiteral("sync"), QStringLiteral("--full")});
        QVERIFY2(first.exitCode == 0, qPrintable(first.out + first.err));
        const QJsonArray accounts = SimTest::listOf(control.get(QStringLiteral("/_sim/zoho/Accounts")));
        QVERIFY(!accounts.isEmpty());
        const QString id = accounts.first().toObject().value(QStringLiteral("id")).toString();

        // A user edits the account; before it is synced, our write-back touches the same record.
        QCOMPARE(control
                     .control("PATCH", QStringLiteral("/_sim/zoho/Accounts/") + id,
                              QJsonObject{{QStringLiteral("Billing_City"), QStringLiteral("Lyon")}})
                     .status,
                 200);
        const auto writeBack = control.control("PATCH", QStringLiteral("/_sim/zoho/Accounts/") + id,
                                               QJsonObject{{QStringLiteral("AR_Open_Balance"), 125.5}});
        QCOMPARE(writeBack.status, 200);
        const QString echoTime = SimTest::findKey(writeBack.json(), QStringLiteral("Modified_Time")).toString();
        QVERIFY(!echoTime.isEmpty());
        {
            auto db = Core::Database::open(QDir(paths.profile).filePath(QStringLiteral("ml-connector.db")));
            QVERIFY2(db.ok(), qPrintable(SimTest::problem(db)));
            Core::EchoStore echoes(*db.value());
            QVERIFY(echoes.remember(QStringLiteral("Accounts"), id, echoTime, QStringLiteral("AR_Open_Balance")).ok());
        }

        const auto again = Soak::runCli(paths, {QStringLiteral("sync")});
        QVERIFY2(again.exitCode == 0, qPrintable(again.out + again.err));
        QString city;
        for (const auto& a : SimTest::listOf(control.get(QStringLiteral("/_sim/oracle/accounts")))) {
            if (a.toObject().value(QStringLiteral("SourceSystemReferenceValue")).toString() == id)
                city = a.toObject().value(QStringLiteral("City")).toString();
        }
        QCOMPARE(city, QStringLiteral("Lyon"));
    }
};

QTEST_GUILESS_MAIN(tst_SoakRegressions)
#include "tst_SoakRegressions.moc"
