// The connectivity core against ml-connector-sim over real loopback HTTP: single-flight refresh,
// Retry-After, backoff, capped 5xx storms, the refresh throttle, data-centre mix-ups, page_token
// paging, Oracle ETag conflicts and both Oracle error shapes.
#include "SimTestClient.h"

#include "demo/DemoProfile.h"
#include "net/ApiClient.h"
#include "net/ConnectionTester.h"
#include "net/Connections.h"
#include "net/HttpClient.h"
#include "oracle/OracleClient.h"
#include "secrets/MemoryCredentialStore.h"
#include "zoho/ZohoClient.h"
#include "zoho/ZohoTokenManager.h"

#include <QTest>

#include <memory>

using namespace Core;
using SimTest::problem;
using SimTest::Waiter;

class tst_Connectivity : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString startProblem;
        m_base = SimTest::startSimulator(m_simulator, {QStringLiteral("--seed"), QStringLiteral("7")}, &startProblem);
        QVERIFY2(m_base.isValid(), qPrintable(startProblem));
        m_control.setBase(m_base);
    }

    void init()
    {
        const auto r = m_control.reset(QJsonObject{{QStringLiteral("seed"), 7},
                                                   {QStringLiteral("demo"), false},
                                                   {QStringLiteral("contacts"), 50},
                                                   {QStringLiteral("accounts"), 20}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
        m_profile = DemoProfile::forSimulator(m_base);
    }

    void twentyConcurrentCallsUnderAnExpiredTokenRefreshOnce()
    {
        auto stack = makeStack();
        Waiter<QList<QJsonObject>> first;
        stack->connections->zoho()->firstPage(QStringLiteral("Contacts"), {QStringLiteral("id")}, 1, this,
                                              first.callback());
        QVERIFY(first.wait());
        QVERIFY2(first->ok(), qPrintable(problem(*first)));
        const qint64 tokensBefore = endpointCount(QStringLiteral("zoho.token"));
        QCOMPARE(tokensBefore, qint64(1));

        // The simulator's clock moves past the token's hour: every call now gets 401 INVALID_TOKEN.
        QCOMPARE(m_control.advanceClock(3700).status, 200);
        std::vector<std::unique_ptr<Waiter<QList<QJsonObject>>>> calls;
        for (int i = 0; i < 20; ++i) {
            calls.push_back(std::make_unique<Waiter<QList<QJsonObject>>>());
            stack->connections->zoho()->firstPage(QStringLiteral("Contacts"), {QStringLiteral("id")}, 1, this,
                                                  calls.back()->callback());
        }
        for (auto& call : calls) {
            QVERIFY(call->wait());
            QVERIFY2((*call)->ok(), qPrintable(problem(**call)));
            QCOMPARE((*call)->value().size(), 1);
        }
        QCOMPARE(endpointCount(QStringLiteral("zoho.token")) - tokensBefore, qint64(1));
        QCOMPARE(stack->connections->zohoTokens()->refreshCount(), 2);
    }

    void aPersisting401FailsClearlyAfterOneRefresh()
    {
        auto stack = makeStack();
        scriptFault(
            {{QStringLiteral("match"), QStringLiteral("GET /crm/v8/Contacts")},
             {QStringLiteral("count"), 10},
             {QStringLiteral("status"), 401},
             {QStringLiteral("body"), QStringLiteral("{\"code\":\"INVALID_TOKEN\",\"details\":{},"
                                                     "\"message\":\"invalid oauth token\",\"status\":\"error\"}")}});
        Waiter<QList<QJsonObject>> call;
        stack->connections->zoho()->firstPage(QStringLiteral("Contacts"), {QStringLiteral("id")}, 1, this,
                                              call.callback());
        QVERIFY(call.wait());
        QVERIFY(!call->ok());
        QCOMPARE(call->error().kind, Error::Kind::Auth);
        QVERIFY2(call->error().message.contains(QStringLiteral("freshly refreshed token")), qPrintable(problem(*call)));
        // One token for the first try, one refresh for the replay, and no more: no loop.
        QCOMPARE(endpointCount(QStringLiteral("zoho.token")), qint64(2));
    }

    void retryAfterSecondsIsHonoured()
    {
        auto stack = makeStack();
        warmUp(*stack);
        scriptFault({{QStringLiteral("match"), QStringLiteral("GET /crm/v8/Contacts")},
                     {QStringLiteral("count"), 1},
                     {QStringLiteral("status"), 429},
                     {QStringLiteral("headers"), QJsonObject{{QStringLiteral("Retry-After"), QStringLiteral("2")}}},
                     {QStringLiteral("body"), QStringLiteral("{\"code\":\"TOO_MANY_REQUESTS\",\"details\":{},"
                                                             "\"message\":\"slow down\",\"status\":\"error\"}")}});
        QList<qint64> stamps; // start, end and status of each exchange
        QElapsedTimer clock;
        clock.start();
        connect(stack->connections->http(), &HttpClient::exchangeFinished, this,
                [&](const QString& label, int status, qint64 elapsedMs) {
                    if (label == QLatin1String("zoho.records.list"))
                        stamps << clock.elapsed() - elapsedMs << clock.elapsed() << status;
                });
        Waiter<QList<QJsonObject>> call;
        stack->connections->zoho()->firstPage(QStringLiteral("Contacts"), {QStringLiteral("id")}, 1, this,
                                              call.callback());
        QVERIFY(call.wait());
        QVERIFY2(call->ok(), qPrintable(problem(*call)));
        QCOMPARE(stamps.size(), 6);
        QCOMPARE(stamps.at(2), qint64(429));
        QCOMPARE(stamps.at(5), qint64(200));
        // The retry starts no earlier than 2 s after the 429 arrived.
        const qint64 waited = stamps.at(3) - stamps.at(1);
        QVERIFY2(waited >= 2000, qPrintable(QStringLiteral("retried %1 ms after the 429").arg(waited)));
    }

    void throttlingWithoutRetryAfterBacksOffExponentially()
    {
        RetryPolicy policy;
        policy.baseDelayMs = 200;
        policy.maxDelayMs = 10000;
        policy.random = [] { return 0.0; }; // the lowest jitter: delays of exactly 100, 200, 400 ms
        auto stack = makeStack(policy);
        warmUp(*stack);
        scriptFault({{QStringLiteral("match"), QStringLiteral("GET /crm/v8/Contacts")},
                     {QStringLiteral("count"), 3},
                     {QStringLiteral("status"), 429}});
        QList<qint64> starts;
        QElapsedTimer clock;
        clock.start();
        connect(stack->connections->http(), &HttpClient::exchangeFinished, this,
                [&](const QString& label, int, qint64 elapsedMs) {
                    if (label == QLatin1String("zoho.records.list"))
                        starts << clock.elapsed() - elapsedMs;
                });
        Waiter<QList<QJsonObject>> call;
        stack->connections->zoho()->firstPage(QStringLiteral("Contacts"), {QStringLiteral("id")}, 1, this,
                                              call.callback());
        QVERIFY(call.wait());
        QVERIFY2(call->ok(), qPrintable(problem(*call)));
        QCOMPARE(starts.size(), 4);
        const qint64 minimum[] = {100, 200, 400};
        for (int i = 0; i < 3; ++i) {
            const qint64 gap = starts.at(i + 1) - starts.at(i);
            QVERIFY2(gap >= minimum[i], qPrintable(QStringLiteral("gap %1 was %2 ms").arg(i).arg(gap)));
        }
    }

    void aServerErrorStormIsCappedAndTheLastErrorSurfaced()
    {
        RetryPolicy policy;
        policy.baseDelayMs = 20;
        auto stack = makeStack(policy);
        warmUp(*stack);
        const qint64 before = endpointCount(QStringLiteral("zoho.records.list"));
        setFaults({{QStringLiteral("rate_5xx"), 1.0}, {QStringLiteral("scope"), QStringLiteral("zoho")}});
        Waiter<QList<QJsonObject>> call;
        stack->connections->zoho()->firstPage(QStringLiteral("Contacts"), {QStringLiteral("id")}, 1, this,
                                              call.callback());
        QVERIFY(call.wait());
        QVERIFY(!call->ok());
        QCOMPARE(call->error().kind, Error::Kind::Server);
        QVERIFY2(call->error().message.contains(QStringLiteral("after 5 attempts")), qPrintable(problem(*call)));
        QVERIFY(call->error().httpStatus >= 500);
        QCOMPARE(endpointCount(QStringLiteral("zoho.records.list")) - before, qint64(5));
    }

    void theRefreshThrottleGivesAClearErrorNotAHotLoop()
    {
        Stack stack(m_profile, {});
        ZohoTokenManager tokens({m_base, m_profile.zoho.clientId, QStringLiteral("US")}, stack.connections->http(),
                                &stack.secrets);
        for (int i = 0; i < 10; ++i) {
            Waiter<AccessToken> t;
            tokens.token(this, t.callback());
            QVERIFY(t.wait());
            QVERIFY2(t->ok(), qPrintable(problem(*t)));
            tokens.invalidate(t->value().generation);
        }
        QCOMPARE(endpointCount(QStringLiteral("zoho.token")), qint64(10));
        for (int i = 0; i < 3; ++i) {
            Waiter<AccessToken> t;
            tokens.token(this, t.callback());
            QVERIFY(t.wait());
            QVERIFY(!t->ok());
            QCOMPARE(t->error().kind, Error::Kind::Throttled);
            QVERIFY2(t->error().message.contains(QStringLiteral("10 token refreshes in 10 minutes")),
                     qPrintable(problem(*t)));
        }
        QCOMPARE(endpointCount(QStringLiteral("zoho.token")), qint64(10)); // nothing more was sent
    }

    void zohosAccessDeniedStopsFurtherRefreshes()
    {
        Stack stack(m_profile, {});
        ZohoTokenManager::Config config{m_base, m_profile.zoho.clientId, QStringLiteral("US")};
        config.maxRefreshesPerWindow = 100; // let Zoho's own limit answer
        ZohoTokenManager tokens(config, stack.connections->http(), &stack.secrets);
        Result<AccessToken> last = Error{};
        int sent = 0;
        for (; sent < 12; ++sent) {
            Waiter<AccessToken> t;
            tokens.token(this, t.callback());
            QVERIFY(t.wait());
            last = *t;
            if (!last.ok())
                break;
            tokens.invalidate(last.value().generation);
        }
        QCOMPARE(sent, 10); // the 11th refresh is refused
        QCOMPARE(last.error().kind, Error::Kind::Throttled);
        QVERIFY2(last.error().message.contains(QStringLiteral("Access Denied")), qPrintable(problem(last)));
        const qint64 asked = endpointCount(QStringLiteral("zoho.token"));
        Waiter<AccessToken> again;
        tokens.token(this, again.callback());
        QVERIFY(again.wait());
        QVERIFY(!again->ok());
        QCOMPARE(endpointCount(QStringLiteral("zoho.token")), asked);
    }

    void aWrongDataCentreIsDiagnosed()
    {
        Stack stack(m_profile, {});
        QUrl euAccounts = m_base;
        euAccounts.setPath(QStringLiteral("/_dc/eu"));
        ZohoTokenManager tokens({euAccounts, m_profile.zoho.clientId, QStringLiteral("EU")}, stack.connections->http(),
                                &stack.secrets);
        QSignalSpy reauth(&tokens, &TokenSource::reauthenticationRequired);
        Waiter<AccessToken> t;
        tokens.token(this, t.callback());
        QVERIFY(t.wait());
        QVERIFY(!t->ok());
        QCOMPARE(t->error().kind, Error::Kind::Auth);
        QCOMPARE(t->error().message, QStringLiteral("Zoho accounts server for data centre EU rejected the client id: "
                                                    "is the app registered in a different data centre?"));
        QCOMPARE(reauth.count(), 1);
    }

    void theConnectionTestNamesAMissingScope()
    {
        const auto minted = m_control.control(
            "POST", QStringLiteral("/_sim/zoho/refresh_tokens"),
            QJsonObject{{QStringLiteral("scopes"), QJsonArray{QStringLiteral("ZohoCRM.modules.ALL")}}});
        const QString limited = minted.json().value(QStringLiteral("refresh_token")).toString();
        QVERIFY2(!limited.isEmpty(), qPrintable(minted.describe()));
        Stack stack(m_profile, {{QString::fromLatin1(ZohoTokenManager::kRefreshTokenKey), limited}});
        ConnectionTester tester(stack.connections.get());
        QSignalSpy status(&tester, &ConnectionTester::statusChanged);
        tester.testZoho();
        QTRY_VERIFY_WITH_TIMEOUT(!status.isEmpty() && status.last().at(1).value<ConnectionStatus>().state ==
                                                          ConnectionStatus::State::Failed,
                                 SimTest::kTimeoutMs);
        const auto last = status.last().at(1).value<ConnectionStatus>();
        QVERIFY2(last.detail.contains(QStringLiteral("token scope missing ZohoCRM.notifications.ALL")),
                 qPrintable(last.detail));
    }

    void theConnectionTestPassesOnBothSidesWithOAuthForOracle()
    {
        auto profile = m_profile;
        profile.oracle.auth = OracleConnection::Auth::OAuthClientCredentials;
        Stack stack(profile, {});
        ConnectionTester tester(stack.connections.get());
        QSignalSpy status(&tester, &ConnectionTester::statusChanged);
        tester.testZoho();
        tester.testOracle();
        int connected = 0;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                connected = 0;
                for (const auto& s : status)
                    connected += s.at(1).value<ConnectionStatus>().state == ConnectionStatus::State::Connected;
                return connected == 2;
            }(),
            SimTest::kTimeoutMs);
        QCOMPARE(endpointCount(QStringLiteral("oracle.token")), qint64(1));
    }

    void pagingFollowsPageTokenPast2000Records()
    {
        QCOMPARE(m_control.reset(QJsonObject{{QStringLiteral("seed"), 7}, {QStringLiteral("contacts"), 2300}}).status,
                 200);
        auto stack = makeStack();
        QSet<QString> ids;
        int pages = 0;
        Waiter<ZohoListSummary> done;
        stack->connections->zoho()->listChanged(
            QStringLiteral("Contacts"), {QStringLiteral("id"), QStringLiteral("Modified_Time")}, QDateTime(), this,
            [&](const QList<QJsonObject>& records) {
                ++pages;
                for (const auto& r : records)
                    ids.insert(r.value(QStringLiteral("id")).toString());
            },
            done.callback());
        QVERIFY(done.wait());
        QVERIFY2(done->ok(), qPrintable(problem(*done)));
        QCOMPARE(done->value().records, 2300);
        QCOMPARE(ids.size(), 2300);
        QCOMPARE(pages, 12); // ten pages by number, two by page_token
        QCOMPARE(done->value().pages, 12);
        QVERIFY(done->value().maxModifiedTime.isValid());
    }

    // Zoho pages are offsets into a live list sorted by Modified_Time: records edited during the walk
    // jump to its end. The walk must still list every record (the soak lost two this way).
    void recordsEditedDuringAWalkDoNotHideOthers()
    {
        QCOMPARE(m_control.reset(QJsonObject{{QStringLiteral("seed"), 7}, {QStringLiteral("contacts"), 450}}).status,
                 200);
        auto stack = makeStack();
        QSet<QString> ids;
        int pages = 0;
        QString editProblem;
        Waiter<ZohoListSummary> done;
        stack->connections->zoho()->listChanged(
            QStringLiteral("Contacts"), {QStringLiteral("id"), QStringLiteral("Modified_Time")}, QDateTime(), this,
            [&](const QList<QJsonObject>& records) {
                if (++pages == 1) {
                    // Two records already read move behind the unread ones before page 2 is asked for.
                    for (int i = 0; i < 2 && i < records.size(); ++i) {
                        const QString id = records.at(i).value(QStringLiteral("id")).toString();
                        const auto r =
                            m_control.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + id,
                                              QJsonObject{{QStringLiteral("Title"), QStringLiteral("Edited")}});
                        if (r.status != 200)
                            editProblem = r.describe();
                    }
                }
                for (const auto& r : records)
                    ids.insert(r.value(QStringLiteral("id")).toString());
            },
            done.callback(), 200);
        QVERIFY(done.wait());
        QVERIFY2(done->ok(), qPrintable(problem(*done)));
        QVERIFY2(editProblem.isEmpty(), qPrintable(editProblem));
        const QJsonArray all = SimTest::listOf(m_control.get(QStringLiteral("/_sim/zoho/Contacts")));
        QCOMPARE(all.size(), 450);
        QStringList missing;
        for (const auto& r : all) {
            const QString id = r.toObject().value(QStringLiteral("id")).toString();
            if (!ids.contains(id))
                missing << id;
        }
        QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("never listed: ") + missing.join(QLatin1Char(' '))));
    }

    void nothingChangedSinceTheCursorIsNotAnError()
    {
        auto stack = makeStack();
        Waiter<ZohoListSummary> done;
        stack->connections->zoho()->listChanged(
            QStringLiteral("Contacts"), {QStringLiteral("id")}, QDateTime::currentDateTimeUtc().addYears(1), this,
            [](const QList<QJsonObject>&) { QFAIL("no page expected"); }, done.callback());
        QVERIFY(done.wait());
        QVERIFY2(done->ok(), qPrintable(problem(*done)));
        QVERIFY(done->value().notModified);
        QCOMPARE(done->value().records, 0);
    }

    void fetchesManyRecordsByIdInChunksOfAHundred()
    {
        QCOMPARE(m_control.reset(QJsonObject{{QStringLiteral("seed"), 7}, {QStringLiteral("contacts"), 250}}).status,
                 200);
        const QJsonArray all = SimTest::listOf(m_control.get(QStringLiteral("/_sim/zoho/Contacts")));
        QCOMPARE(all.size(), 250);
        QStringList ids;
        for (const auto& r : all)
            ids << r.toObject().value(QStringLiteral("id")).toString();
        auto stack = makeStack();
        warmUp(*stack);
        const qint64 before = endpointCount(QStringLiteral("zoho.records.list"));
        Waiter<QList<QJsonObject>> got;
        stack->connections->zoho()->getRecords(QStringLiteral("Contacts"), ids,
                                               {QStringLiteral("id"), QStringLiteral("Email")}, this, got.callback());
        QVERIFY(got.wait());
        QVERIFY2(got->ok(), qPrintable(problem(*got)));
        QCOMPARE(got->value().size(), 250);
        QCOMPARE(endpointCount(QStringLiteral("zoho.records.list")) - before, qint64(3));
    }

    void zohoConcurrencyIsNeverExceeded()
    {
        QString startProblem;
        Core::SimulatorLauncher freeEdition;
        const QUrl base = SimTest::startSimulator(freeEdition,
                                                  {QStringLiteral("--zoho-edition"), QStringLiteral("free"),
                                                   QStringLiteral("--contacts"), QStringLiteral("20")},
                                                  &startProblem);
        QVERIFY2(base.isValid(), qPrintable(startProblem));
        SimTest::Client control(base);
        QCOMPARE(control
                     .control("POST", QStringLiteral("/_sim/faults"),
                              QJsonObject{{QStringLiteral("latency_ms"), 150},
                                          {QStringLiteral("scope"), QStringLiteral("zoho")}})
                     .status,
                 200);
        auto profile = DemoProfile::forSimulator(base);
        profile.zoho.concurrency = 5;
        Stack stack(profile, {});
        std::vector<std::unique_ptr<Waiter<QList<QJsonObject>>>> calls;
        for (int i = 0; i < 15; ++i) {
            calls.push_back(std::make_unique<Waiter<QList<QJsonObject>>>());
            stack.connections->zoho()->firstPage(QStringLiteral("Contacts"), {QStringLiteral("id")}, 1, this,
                                                 calls.back()->callback());
        }
        for (auto& call : calls) {
            QVERIFY(call->wait());
            QVERIFY2((*call)->ok(), qPrintable(problem(**call)));
        }
        const QJsonObject stats = control.get(QStringLiteral("/_sim/stats")).json();
        QVERIFY2(stats.value(QStringLiteral("statuses")).toObject().value(QStringLiteral("429")).toInt() == 0,
                 "the simulator answered 429: the edition's concurrency was exceeded");
        QVERIFY(stack.connections->http()->peakInFlight(HttpClient::hostKey(base)) <= 5);
        QVERIFY(stack.connections->http()->peakInFlight(HttpClient::hostKey(base)) >= 2);
    }

    void aStaleEtagIsReportedAsAConflict()
    {
        auto stack = makeStack();
        OracleClient* oracle = stack->connections->oracle();
        Waiter<OracleAccount> created;
        oracle->createAccount({{QStringLiteral("OrganizationName"), QStringLiteral("Müller GmbH")},
                               {QStringLiteral("SourceSystemReferenceValue"), QStringLiteral("4150868000000224005")}},
                              this, created.callback());
        QVERIFY(created.wait());
        QVERIFY2(created->ok(), qPrintable(problem(*created)));
        const QString partyNumber = created->value().partyNumber();
        QVERIFY(!partyNumber.isEmpty());
        QCOMPARE(created->value().item.value(QStringLiteral("SourceSystem")).toString(), QStringLiteral("ZOHOCRM"));

        Waiter<std::optional<OracleAccount>> read;
        oracle->findByPartyNumber(partyNumber, this, read.callback());
        QVERIFY(read.wait());
        QVERIFY(read->ok() && read->value().has_value());
        const QByteArray etag = read->value()->etag;
        QVERIFY(!etag.isEmpty());

        // Someone edits the account in Oracle.
        const auto edit = m_control.control("PATCH", QStringLiteral("/_sim/oracle/accounts/") + partyNumber,
                                            QJsonObject{{QStringLiteral("City"), QStringLiteral("Paris")}});
        QVERIFY2(edit.status == 200, qPrintable(edit.describe()));

        Waiter<OracleAccount> stale;
        oracle->updateAccount(partyNumber, {{QStringLiteral("EmailAddress"), QStringLiteral("ap@mueller.example")}},
                              etag, this, stale.callback());
        QVERIFY(stale.wait());
        QVERIFY(!stale->ok());
        QCOMPARE(stale->error().kind, Error::Kind::Conflict);
        QCOMPARE(stale->error().httpStatus, 412);
        QVERIFY2(stale->error().message.contains(QStringLiteral("changed in Oracle since it was read")),
                 qPrintable(problem(*stale)));

        Waiter<std::optional<OracleAccount>> reread;
        oracle->findByPartyNumber(partyNumber, this, reread.callback());
        QVERIFY(reread.wait());
        Waiter<OracleAccount> fresh;
        oracle->updateAccount(partyNumber, {{QStringLiteral("EmailAddress"), QStringLiteral("ap@mueller.example")}},
                              reread->value()->etag, this, fresh.callback());
        QVERIFY(fresh.wait());
        QVERIFY2(fresh->ok(), qPrintable(problem(*fresh)));
        QCOMPARE(fresh->value().item.value(QStringLiteral("City")).toString(), QStringLiteral("Paris"));

        Waiter<QList<OracleAccount>> found;
        oracle->findBySourceReference(QStringLiteral("4150868000000224005"), this, found.callback());
        QVERIFY(found.wait());
        QVERIFY2(found->ok(), qPrintable(problem(*found)));
        QCOMPARE(found->value().size(), 1);
        QCOMPARE(found->value().first().partyNumber(), partyNumber);
    }

    void bothOracleErrorShapesAreParsed()
    {
        auto stack = makeStack();
        // Framework version 4 (pinned by the client): o:errorDetails JSON.
        Waiter<OracleAccount> invalid;
        stack->connections->oracle()->createAccount({{QStringLiteral("Country"), QStringLiteral("Germany")}}, this,
                                                    invalid.callback());
        QVERIFY(invalid.wait());
        QVERIFY(!invalid->ok());
        QCOMPARE(invalid->error().kind, Error::Kind::InvalidInput);
        QCOMPARE(invalid->error().httpStatus, 400);
        QVERIFY2(invalid->error().message.contains(QStringLiteral("Oracle answered HTTP 400: ")),
                 qPrintable(problem(*invalid)));
        QVERIFY2(!invalid->error().message.contains(QStringLiteral("o:errorDetails")), qPrintable(problem(*invalid)));

        // Framework version 1: the same mistake answered in plain text, parsed by the same code.
        HttpRequest raw;
        raw.method = "POST";
        raw.url = m_base;
        raw.url.setPath(SimTest::kAccountsPath);
        raw.setHeader("Authorization", SimTest::basicAuth(SimTest::kOracleUser, SimTest::kOraclePassword));
        raw.setHeader("Content-Type", "application/json");
        raw.setHeader("REST-Framework-Version", "1");
        raw.body = "{\"Country\":\"Germany\"}";
        Waiter<HttpResponse> answer;
        stack->connections->http()->send(raw, this, answer.callback());
        QVERIFY(answer.wait());
        QVERIFY(answer->ok());
        QCOMPARE(answer->value().status, 400);
        QVERIFY(!QJsonDocument::fromJson(answer->value().body).isObject());
        const Error plain = OracleClient::errorFrom(answer->value(), QStringLiteral("Creating"));
        QVERIFY2(plain.message.startsWith(QStringLiteral("Creating: Oracle answered HTTP 400: ")),
                 qPrintable(plain.message));
        QVERIFY(plain.message.size() > QStringLiteral("Creating: Oracle answered HTTP 400: ").size());
    }

    void receivablesAreRead()
    {
        const auto seeded =
            m_control.control("POST", QStringLiteral("/_sim/oracle/accounts"),
                              QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("AR Test")}});
        QVERIFY2(seeded.status == 200 || seeded.status == 201, qPrintable(seeded.describe()));
        const QString accountNumber = SimTest::findKey(seeded.json(), QStringLiteral("AccountNumber")).toString();
        QVERIFY2(!accountNumber.isEmpty(), qPrintable(seeded.describe()));
        const auto set = m_control.control("PUT", QStringLiteral("/_sim/oracle/ar/") + accountNumber,
                                           QJsonObject{{QStringLiteral("TotalOpenReceivablesForAccount"), 1234.5}});
        QVERIFY2(set.status == 200, qPrintable(set.describe()));
        auto stack = makeStack();
        Waiter<std::optional<QJsonObject>> ar;
        stack->connections->oracle()->receivablesActivity(accountNumber, this, ar.callback());
        QVERIFY(ar.wait());
        QVERIFY2(ar->ok(), qPrintable(problem(*ar)));
        QVERIFY(ar->value().has_value());
        QCOMPARE(ar->value()->value(QStringLiteral("TotalOpenReceivablesForAccount")).toDouble(), 1234.5);
    }

private:
    struct Stack
    {
        Stack(const DemoProfile& profile,
              const QList<QPair<QString, QString>>& overrides,
              const RetryPolicy& policy = {})
        {
            // Memory store writes apply at once; their callbacks are not needed here.
            for (const auto& secret : profile.secrets + overrides)
                secrets.write(secret.first, secret.second, &secrets, [](Result<Ok>) {});
            connections = std::make_unique<Connections>(&network, &secrets, profile.zoho, profile.oracle, policy);
        }
        QNetworkAccessManager network;
        MemoryCredentialStore secrets;
        std::unique_ptr<Connections> connections;
    };

    std::unique_ptr<Stack> makeStack(const RetryPolicy& policy = {})
    {
        return std::make_unique<Stack>(m_profile, QList<QPair<QString, QString>>{}, policy);
    }

    void warmUp(Stack& stack)
    {
        Waiter<QList<QJsonObject>> first;
        stack.connections->zoho()->firstPage(QStringLiteral("Contacts"), {QStringLiteral("id")}, 1, this,
                                             first.callback());
        QVERIFY(first.wait());
        QVERIFY2(first->ok(), qPrintable(problem(*first)));
    }

    qint64 endpointCount(const QString& endpoint)
    {
        const auto stats = m_control.get(QStringLiteral("/_sim/stats")).json();
        return stats.value(QStringLiteral("endpoints")).toObject().value(endpoint).toVariant().toLongLong();
    }

    void scriptFault(const QJsonObject& fault)
    {
        const auto r = m_control.control("POST", QStringLiteral("/_sim/faults/script"), fault);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
    }

    void setFaults(const QJsonObject& faults)
    {
        const auto r = m_control.control("POST", QStringLiteral("/_sim/faults"), faults);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
    }

    Core::SimulatorLauncher m_simulator;
    QUrl m_base;
    SimTest::Client m_control;
    DemoProfile m_profile;
};

QTEST_GUILESS_MAIN(tst_Connectivity)
#include "tst_Connectivity.moc"
