// Conformance of ml-connector-sim's control API (/_sim/…), fault injection, seeding and loopback-only
// listening with tests/sim/README.md. Every test fails when the simulator breaks the rule in its comment.

#include "SimTestClient.h"

#include <QProcess>
#include <QTest>

using namespace SimTest;

namespace {

const QString kContactsPath = QStringLiteral("/crm/v8/Contacts");

QString idString(const QJsonValue& v)
{
    if (v.isString())
        return v.toString();
    return v.toVariant().toString();
}

bool missing(const QJsonObject& o, const QString& key)
{
    const QJsonValue v = o.value(key);
    return v.isUndefined() || v.isNull() || (v.isString() && v.toString().trimmed().isEmpty());
}

bool hasNonAscii(const QString& s)
{
    for (const QChar c : s) {
        if (c.unicode() > 127)
            return true;
    }
    return false;
}

// Every (path, number) leaf of a JSON value, paths joined with '/'.
void numbersIn(const QJsonValue& v, const QString& path, QList<std::pair<QString, double>>* out)
{
    if (v.isDouble()) {
        out->push_back({path, v.toDouble()});
    } else if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            numbersIn(it.value(), path + QLatin1Char('/') + it.key(), out);
    } else if (v.isArray()) {
        const QJsonArray a = v.toArray();
        for (int i = 0; i < a.size(); ++i) {
            // Arrays of {endpoint, count} objects: name the element after its string members.
            QString name = QString::number(i);
            const QJsonObject o = a.at(i).toObject();
            for (auto it = o.begin(); it != o.end(); ++it) {
                if (it.value().isString())
                    name += QLatin1Char(' ') + it.value().toString();
            }
            numbersIn(a.at(i), path + QLatin1Char('/') + name, out);
        }
    }
}

} // namespace

class TestSimControl : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void printedAddressIsLoopback();
    void nonLoopbackHostIsRefused();
    void demoFlagLoadsDemoData();
    void demoDataSetIsInternationalAndMessy();
    void sameSeedSameData();
    void resetDoesNotInheritEarlierResets();
    void controlEditFiresCallbacksAndIsLogged();
    void failedDeliveryIsLogged();
    void channelsAreListed();
    void oracleStateReadBack();
    void statsCountCallsPerEndpoint();
    void secretsListIssuedTokens();

    void faultTokenExpiresAfterCalls();
    void faultScripted429WithAndWithoutRetryAfter();
    void faultScriptedDrop();
    void faultRate429RetryAfter();
    void faultRate5xxAndScope();
    void faultLatency();
    void faultDroppedConnection();
    void faultMalformedJson();

private:
    QByteArray auth() const { return zohoAuth(m_token); }
    Response crmGet(const QString& path) { return m_api.get(path, {{"Authorization", auth()}}); }
    Response oracleGet(const QString& path)
    {
        return m_api.get(path,
                         {{"Authorization", basicAuth(kOracleUser, kOraclePassword)}, {"REST-Framework-Version", "4"}});
    }
    // The /_sim/callbacks entry of a channel once its delivery has an outcome (an HTTP status or an error).
    bool settledDelivery(const QString& channelId, QJsonObject* entry)
    {
        for (const QJsonValue& v : listOf(m_api.control("GET", QStringLiteral("/_sim/callbacks")))) {
            const QJsonObject o = v.toObject();
            if (!toJson(o).contains(channelId.toUtf8()))
                continue;
            const QJsonValue status = o.value(QStringLiteral("status"));
            const QJsonValue error = o.value(QStringLiteral("error"));
            const bool hasStatus = status.isDouble() || (status.isString() && !status.toString().isEmpty());
            const bool hasError = error.isString() && !error.toString().isEmpty();
            if (hasStatus || hasError) {
                *entry = o;
                return true;
            }
        }
        return false;
    }
    Response setFaults(const QJsonObject& faults)
    {
        return m_api.control("POST", QStringLiteral("/_sim/faults"), faults);
    }

    Core::SimulatorLauncher m_launcher;
    Client m_api;
    QString m_token;
    QUrl m_base;
    int m_startupContacts = 0;
};

void TestSimControl::initTestCase()
{
    QString why;
    m_base = startSimulator(m_launcher, {QStringLiteral("--demo")}, &why);
    QVERIFY2(m_base.isValid(), qPrintable(why));
    m_api.setBase(m_base);
    m_startupContacts = int(listOf(m_api.control("GET", QStringLiteral("/_sim/zoho/Contacts"))).size());
}

void TestSimControl::init()
{
    const Response r = m_api.reset(QJsonObject{{QStringLiteral("seed"), 1},
                                               {QStringLiteral("demo"), true},
                                               {QStringLiteral("contacts"), 0},
                                               {QStringLiteral("accounts"), 0}});
    QVERIFY2(r.status / 100 == 2, qPrintable(r.describe()));
    QString why;
    m_token = m_api.zohoAccessToken(kZohoRefreshToken, &why);
    QVERIFY2(!m_token.isEmpty(), qPrintable(why));
}

void TestSimControl::cleanupTestCase()
{
    m_launcher.stop();
}

// The startup line names 127.0.0.1 (README: one loopback port).
void TestSimControl::printedAddressIsLoopback()
{
    QCOMPARE(m_base.scheme(), QStringLiteral("http"));
    QCOMPARE(m_base.host(), QStringLiteral("127.0.0.1"));
    QVERIFY(m_base.port() > 0);
}

// --host 0.0.0.0 is refused: the simulator exits non-zero and never says it listens.
void TestSimControl::nonLoopbackHostIsRefused()
{
    for (const QString& host : {QStringLiteral("0.0.0.0"), QStringLiteral("::")}) {
        QProcess sim;
        sim.start(Core::SimulatorLauncher::defaultExecutable(),
                  {QStringLiteral("--host"), host, QStringLiteral("--port"), QStringLiteral("0")});
        QVERIFY2(sim.waitForStarted(kTimeoutMs), qPrintable(sim.errorString()));
        const bool finished = sim.waitForFinished(kTimeoutMs);
        if (!finished) {
            sim.kill();
            sim.waitForFinished(5000);
        }
        QVERIFY2(finished, qPrintable(QStringLiteral("--host %1: the simulator kept running").arg(host)));
        QVERIFY2(sim.exitStatus() == QProcess::NormalExit && sim.exitCode() != 0,
                 qPrintable(QStringLiteral("--host %1: exit code %2").arg(host).arg(sim.exitCode())));
        QVERIFY2(!sim.readAllStandardOutput().contains("listening"), qPrintable(host));
    }
}

// --demo at startup loads the demo set.
void TestSimControl::demoFlagLoadsDemoData()
{
    QVERIFY2(m_startupContacts >= 200, qPrintable(QStringLiteral("%1 contacts after --demo").arg(m_startupContacts)));
}

// The demo set: ≥200 contacts, ≥100 accounts, ≥10 countries, non-ASCII names, some without Email or Phone.
void TestSimControl::demoDataSetIsInternationalAndMessy()
{
    const QJsonArray contacts = listOf(m_api.control("GET", QStringLiteral("/_sim/zoho/Contacts")));
    const QJsonArray accounts = listOf(m_api.control("GET", QStringLiteral("/_sim/zoho/Accounts")));
    QVERIFY2(contacts.size() >= 200, qPrintable(QString::number(contacts.size())));
    QVERIFY2(accounts.size() >= 100, qPrintable(QString::number(accounts.size())));
    QSet<QString> countries;
    int nonAscii = 0;
    int noEmail = 0;
    int noPhone = 0;
    for (const QJsonValue& v : contacts) {
        const QJsonObject c = v.toObject();
        if (!missing(c, QStringLiteral("Mailing_Country")))
            countries.insert(c.value(QStringLiteral("Mailing_Country")).toString());
        const QString name =
            c.value(QStringLiteral("First_Name")).toString() + c.value(QStringLiteral("Last_Name")).toString();
        nonAscii += hasNonAscii(name) ? 1 : 0;
        noEmail += missing(c, QStringLiteral("Email")) ? 1 : 0;
        noPhone += missing(c, QStringLiteral("Phone")) ? 1 : 0;
    }
    QVERIFY2(countries.size() >= 10, qPrintable(QStringList(countries.values()).join(QLatin1Char(','))));
    QVERIFY2(nonAscii >= 1, "no contact name outside ASCII");
    QVERIFY2(noEmail >= 1, "every contact has an Email");
    QVERIFY2(noPhone >= 1, "every contact has a Phone");
    QVERIFY2(noEmail < contacts.size() && noPhone < contacts.size(), "Email/Phone missing everywhere");
}

// Deterministic under a seed: two resets with the same seed give identical records (ids and fields), on both
// sides; another seed gives other records.
void TestSimControl::sameSeedSameData()
{
    const auto snapshot = [this](int seed) {
        const Response r = m_api.reset(QJsonObject{{QStringLiteral("seed"), seed},
                                                   {QStringLiteral("demo"), true},
                                                   {QStringLiteral("contacts"), 0},
                                                   {QStringLiteral("accounts"), 0}});
        QJsonObject out{{QStringLiteral("reset"), r.status}};
        for (const QString& path : {QStringLiteral("/_sim/zoho/Contacts"), QStringLiteral("/_sim/zoho/Accounts"),
                                    QStringLiteral("/_sim/oracle/accounts")})
            out.insert(path, listOf(m_api.control("GET", path)));
        return out;
    };
    const QJsonObject a = snapshot(7);
    const QJsonObject b = snapshot(7);
    QCOMPARE(a.value(QStringLiteral("reset")).toInt() / 100, 2);
    QVERIFY(!a.value(QStringLiteral("/_sim/zoho/Contacts")).toArray().isEmpty());
    for (auto it = a.begin(); it != a.end(); ++it) {
        const QJsonArray left = it.value().toArray();
        const QJsonArray right = b.value(it.key()).toArray();
        QCOMPARE(left.size(), right.size());
        for (int i = 0; i < left.size(); ++i) {
            const QJsonObject l = left.at(i).toObject();
            const QJsonObject r = right.at(i).toObject();
            for (auto f = l.begin(); f != l.end(); ++f) {
                QVERIFY2(
                    r.value(f.key()) == f.value(),
                    qPrintable(
                        QStringLiteral("%1[%2].%3 differs: %4 vs %5")
                            .arg(it.key())
                            .arg(i)
                            .arg(f.key(),
                                 QString::fromUtf8(QJsonDocument(QJsonArray{f.value()}).toJson(QJsonDocument::Compact)),
                                 QString::fromUtf8(
                                     QJsonDocument(QJsonArray{r.value(f.key())}).toJson(QJsonDocument::Compact)))));
            }
            QCOMPARE(l.keys(), r.keys());
        }
    }
    const QJsonObject c = snapshot(8);
    QVERIFY2(c.value(QStringLiteral("/_sim/zoho/Contacts")) != a.value(QStringLiteral("/_sim/zoho/Contacts")),
             "seed 8 gave the same contacts as seed 7");
}

// A reset drops all state: keys it leaves out take their startup values (here --demo, seed 1, no extra
// records), not whatever an earlier reset asked for; otherwise the same reset body gives different data.
void TestSimControl::resetDoesNotInheritEarlierResets()
{
    const auto counts = [this]() {
        return std::make_pair(listOf(m_api.control("GET", QStringLiteral("/_sim/zoho/Contacts"))).size(),
                              listOf(m_api.control("GET", QStringLiteral("/_sim/zoho/Accounts"))).size());
    };
    QVERIFY(m_api.reset(QJsonObject{{QStringLiteral("seed"), 1}}).status / 100 == 2);
    const auto plain = counts();
    QCOMPARE(plain.first, m_startupContacts);
    QVERIFY(m_api.reset(QJsonObject{{QStringLiteral("seed"), 1},
                                    {QStringLiteral("contacts"), 50},
                                    {QStringLiteral("accounts"), 25}})
                    .status /
                100 ==
            2);
    QCOMPARE(counts().first, plain.first + 50);
    QVERIFY(m_api.reset(QJsonObject{{QStringLiteral("seed"), 1}}).status / 100 == 2);
    QCOMPARE(counts(), plain);
}

// A control edit bumps Modified_Time, fires a callback, and the delivery is logged in /_sim/callbacks with
// channel, url, body and HTTP status.
void TestSimControl::controlEditFiresCallbacksAndIsLogged()
{
    CallbackReceiver rx;
    QVERIFY(rx.listening());
    const QJsonObject sub{{QStringLiteral("channel_id"), qint64(1000000099001)},
                          {QStringLiteral("events"), QJsonArray{QStringLiteral("Contacts.all")}},
                          {QStringLiteral("notify_url"), rx.url(QStringLiteral("ctl"))}};
    SIM_VERIFY_STATUS(m_api.send("POST", QStringLiteral("/crm/v8/actions/watch"), {},
                                 toJson(QJsonObject{{QStringLiteral("watch"), QJsonArray{sub}}}),
                                 {{"Authorization", auth()}}),
                      201);
    const QJsonArray contacts = listOf(m_api.control("GET", QStringLiteral("/_sim/zoho/Contacts")));
    const QJsonObject before = contacts.first().toObject();
    const QString id = idString(before.value(QStringLiteral("id")));
    QVERIFY(m_api.advanceClock(5).status / 100 == 2);
    const Response edit = m_api.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + id,
                                        QJsonObject{{QStringLiteral("Department"), QStringLiteral("Einkauf")}});
    QVERIFY2(edit.status / 100 == 2, qPrintable(edit.describe()));
    QTRY_VERIFY_WITH_TIMEOUT(rx.count(QStringLiteral("ctl")) >= 1, kTimeoutMs);
    QCOMPARE(rx.of(QStringLiteral("ctl")).first().json.value(QStringLiteral("operation")).toString(),
             QStringLiteral("update"));

    QJsonObject after;
    for (const QJsonValue& v : listOf(m_api.control("GET", QStringLiteral("/_sim/zoho/Contacts")))) {
        if (idString(v.toObject().value(QStringLiteral("id"))) == id)
            after = v.toObject();
    }
    QCOMPARE(after.value(QStringLiteral("Department")).toString(), QStringLiteral("Einkauf"));
    QVERIFY(parseIso(after.value(QStringLiteral("Modified_Time")).toString()) >
            parseIso(before.value(QStringLiteral("Modified_Time")).toString()));
    // The API sees the edit too.
    const Response api = crmGet(kContactsPath + QLatin1Char('/') + id);
    QCOMPARE(api.json()
                 .value(QStringLiteral("data"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("Department"))
                 .toString(),
             QStringLiteral("Einkauf"));

    QJsonObject entry;
    QTRY_VERIFY_WITH_TIMEOUT(settledDelivery(QStringLiteral("1000000099001"), &entry), kTimeoutMs);
    const QByteArray text = toJson(entry);
    QVERIFY2(text.contains(rx.url(QStringLiteral("ctl")).toUtf8()) ||
                 text.contains(rx.url(QStringLiteral("ctl")).toUtf8().replace("/", "\\/")),
             text.constData());
    QVERIFY2(text.contains(id.toUtf8()), text.constData());
    bool status200 = false;
    QList<std::pair<QString, double>> numbers;
    numbersIn(entry, QString(), &numbers);
    for (const auto& [path, value] : numbers)
        status200 = status200 || (value == 200 && path.contains(QLatin1String("status"), Qt::CaseInsensitive));
    QVERIFY2(status200, text.constData());
}

// A delivery that cannot reach its notify_url is logged with an error.
void TestSimControl::failedDeliveryIsLogged()
{
    const QJsonObject sub{{QStringLiteral("channel_id"), qint64(1000000099101)},
                          {QStringLiteral("events"), QJsonArray{QStringLiteral("Contacts.all")}},
                          {QStringLiteral("notify_url"), QStringLiteral("http://127.0.0.1:1/nobody-listens")}};
    SIM_VERIFY_STATUS(m_api.send("POST", QStringLiteral("/crm/v8/actions/watch"), {},
                                 toJson(QJsonObject{{QStringLiteral("watch"), QJsonArray{sub}}}),
                                 {{"Authorization", auth()}}),
                      201);
    const QString id = idString(listOf(m_api.control("GET", QStringLiteral("/_sim/zoho/Contacts")))
                                    .first()
                                    .toObject()
                                    .value(QStringLiteral("id")));
    QVERIFY(m_api.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + id,
                          QJsonObject{{QStringLiteral("Title"), QStringLiteral("x")}})
                    .status /
                100 ==
            2);
    QJsonObject entry;
    QTRY_VERIFY_WITH_TIMEOUT(settledDelivery(QStringLiteral("1000000099101"), &entry), kTimeoutMs);
    bool ok200 = false;
    QList<std::pair<QString, double>> numbers;
    numbersIn(entry, QString(), &numbers);
    for (const auto& [path, value] : numbers)
        ok200 = ok200 || (value == 200 && path.contains(QLatin1String("status"), Qt::CaseInsensitive));
    QVERIFY2(!ok200, toJson(entry).constData());
    QVERIFY2(!findKey(entry, QStringLiteral("error")).isUndefined() &&
                 !findKey(entry, QStringLiteral("error")).isNull(),
             toJson(entry).constData());
}

// /_sim/channels lists every channel with its expiry.
void TestSimControl::channelsAreListed()
{
    CallbackReceiver rx;
    const QJsonObject sub{{QStringLiteral("channel_id"), qint64(1000000099201)},
                          {QStringLiteral("events"), QJsonArray{QStringLiteral("Accounts.all")}},
                          {QStringLiteral("notify_url"), rx.url(QStringLiteral("ch"))}};
    SIM_VERIFY_STATUS(m_api.send("POST", QStringLiteral("/crm/v8/actions/watch"), {},
                                 toJson(QJsonObject{{QStringLiteral("watch"), QJsonArray{sub}}}),
                                 {{"Authorization", auth()}}),
                      201);
    const Response r = m_api.control("GET", QStringLiteral("/_sim/channels"));
    SIM_VERIFY_STATUS(r, 200);
    QJsonObject channel;
    for (const QJsonValue& v : listOf(r)) {
        if (toJson(v.toObject()).contains("1000000099201"))
            channel = v.toObject();
    }
    QVERIFY2(!channel.isEmpty(), qPrintable(r.describe()));
    QVERIFY2(isIsoWithOffset(findKey(channel, QStringLiteral("channel_expiry")).toString()) ||
                 isIsoWithOffset(findKey(channel, QStringLiteral("expiry")).toString()),
             toJson(channel).constData());
}

// Oracle state can be read and changed through the control API, and the REST API agrees.
void TestSimControl::oracleStateReadBack()
{
    const Response made =
        m_api.control("POST", QStringLiteral("/_sim/oracle/accounts"),
                      QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("Made In Oracle KK")},
                                  {QStringLiteral("Country"), QStringLiteral("JP")}});
    QVERIFY2(made.status / 100 == 2, qPrintable(made.describe()));
    const QString pn = findKey(made.json(), QStringLiteral("PartyNumber")).toString();
    QVERIFY2(!pn.isEmpty(), qPrintable(made.describe()));
    const QString item = kAccountsPath + QLatin1Char('/') + pn;
    const Response got = oracleGet(item);
    SIM_VERIFY_STATUS(got, 200);
    QCOMPARE(got.json().value(QStringLiteral("OrganizationName")).toString(), QStringLiteral("Made In Oracle KK"));
    const QByteArray etag = got.header("ETag");

    QVERIFY(m_api.advanceClock(10).status / 100 == 2);
    QVERIFY(m_api.control("PATCH", QStringLiteral("/_sim/oracle/accounts/") + pn,
                          QJsonObject{{QStringLiteral("URL"), QStringLiteral("https://oracle.example.jp")}})
                    .status /
                100 ==
            2);
    const Response changed = oracleGet(item);
    QCOMPARE(changed.json().value(QStringLiteral("URL")).toString(), QStringLiteral("https://oracle.example.jp"));
    QVERIFY(parseIso(changed.json().value(QStringLiteral("LastUpdateDate")).toString()) >
            parseIso(got.json().value(QStringLiteral("LastUpdateDate")).toString()));
    QVERIFY(changed.header("ETag") != etag);

    const Response created =
        m_api.send("POST", kAccountsPath, {},
                   toJson(QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("Via REST Oy")}}),
                   {{"Authorization", basicAuth(kOracleUser, kOraclePassword)}});
    SIM_VERIFY_STATUS(created, 201);
    bool listed = false;
    for (const QJsonValue& v : listOf(m_api.control("GET", QStringLiteral("/_sim/oracle/accounts"))))
        listed =
            listed || v.toObject().value(QStringLiteral("OrganizationName")).toString() == QLatin1String("Via REST Oy");
    QVERIFY(listed);
}

// /_sim/stats counts calls per endpoint (reset zeroes the counters) and is itself never counted as API use.
void TestSimControl::statsCountCallsPerEndpoint()
{
    for (int i = 0; i < 3; ++i)
        SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
    for (int i = 0; i < 2; ++i)
        SIM_VERIFY_STATUS(oracleGet(kAccountsPath), 200);
    const Response stats = m_api.control("GET", QStringLiteral("/_sim/stats"));
    SIM_VERIFY_STATUS(stats, 200);
    QList<std::pair<QString, double>> numbers;
    numbersIn(QJsonValue(stats.json()), QString(), &numbers);
    bool zoho = false;
    bool oracle = false;
    for (const auto& [path, value] : numbers) {
        // Endpoint names are the simulator's choice ("GET /crm/v8/Contacts", "zoho.records.list", ...).
        zoho = zoho ||
               ((path.contains(QLatin1String("Contacts")) || path.contains(QLatin1String("records"))) && value == 3);
        oracle = oracle || (path.contains(QLatin1String("accounts")) && value == 2);
    }
    QVERIFY2(zoho, qPrintable(QStringLiteral("no counter of 3 for /crm/v8/Contacts: ") + stats.describe()));
    QVERIFY2(oracle, qPrintable(QStringLiteral("no counter of 2 for Oracle accounts: ") + stats.describe()));
}

// /_sim/secrets lists the secrets issued (the access token from init()) and accepted (the refresh token).
void TestSimControl::secretsListIssuedTokens()
{
    const Response r = m_api.control("GET", QStringLiteral("/_sim/secrets"));
    SIM_VERIFY_STATUS(r, 200);
    QVERIFY2(r.body.contains(m_token.toUtf8()), qPrintable(r.describe()));
    QVERIFY2(r.body.contains(kZohoRefreshToken.toUtf8()), qPrintable(r.describe()));
    QVERIFY2(r.body.contains(kOraclePassword.toUtf8()), qPrintable(r.describe()));
}

// token_expire_after_calls N: the (N+1)th call with the same token is 401 INVALID_TOKEN; a new token works.
void TestSimControl::faultTokenExpiresAfterCalls()
{
    const Response f = setFaults(QJsonObject{{QStringLiteral("token_expire_after_calls"), 3},
                                             {QStringLiteral("scope"), QStringLiteral("zoho")}});
    QVERIFY2(f.status / 100 == 2, qPrintable(f.describe()));
    for (int i = 1; i <= 3; ++i) {
        const Response r = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name"));
        QVERIFY2(r.status == 200, qPrintable(QStringLiteral("call %1: %2").arg(i).arg(r.describe())));
    }
    SIM_VERIFY_ZOHO_ERROR(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 401, "INVALID_TOKEN");
    QString why;
    m_token = m_api.zohoAccessToken(kZohoRefreshToken, &why);
    QVERIFY2(!m_token.isEmpty(), qPrintable(why));
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
}

// A script answers the next `count` matching calls exactly as given: 429 with Retry-After, then without.
void TestSimControl::faultScripted429WithAndWithoutRetryAfter()
{
    const QByteArray body = R"({"code":"TOO_MANY_REQUESTS","details":{},"message":"scripted","status":"error"})";
    const Response s1 = m_api.control(
        "POST", QStringLiteral("/_sim/faults/script"),
        QJsonObject{{QStringLiteral("match"), QStringLiteral("GET /crm/v8/Contacts")},
                    {QStringLiteral("count"), 2},
                    {QStringLiteral("status"), 429},
                    {QStringLiteral("headers"), QJsonObject{{QStringLiteral("Retry-After"), QStringLiteral("2")}}},
                    {QStringLiteral("body"), QString::fromUtf8(body)}});
    QVERIFY2(s1.status / 100 == 2, qPrintable(s1.describe()));
    for (int i = 0; i < 2; ++i) {
        const Response r = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name"));
        SIM_VERIFY_ZOHO_ERROR(r, 429, "TOO_MANY_REQUESTS");
        QCOMPARE(r.header("Retry-After"), QByteArrayLiteral("2"));
        QCOMPARE(r.json().value(QStringLiteral("message")).toString(), QStringLiteral("scripted"));
    }
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
    // Other endpoints do not match the script.
    const Response s2 = m_api.control("POST", QStringLiteral("/_sim/faults/script"),
                                      QJsonObject{{QStringLiteral("match"), QStringLiteral("GET /crm/v8/Contacts")},
                                                  {QStringLiteral("count"), 1},
                                                  {QStringLiteral("status"), 429},
                                                  {QStringLiteral("body"), QString::fromUtf8(body)}});
    QVERIFY2(s2.status / 100 == 2, qPrintable(s2.describe()));
    SIM_VERIFY_STATUS(crmGet(QStringLiteral("/crm/v8/Accounts?fields=Account_Name")), 200);
    const Response r = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name"));
    SIM_VERIFY_STATUS(r, 429);
    QVERIFY2(!r.hasHeader("Retry-After"), qPrintable(r.describe()));
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
}

// A script with drop:true closes the connection without an answer. QNAM silently resends a request whose
// connection closed before any answer (up to twice), so the script covers more calls than one request makes.
void TestSimControl::faultScriptedDrop()
{
    const Response s = m_api.control("POST", QStringLiteral("/_sim/faults/script"),
                                     QJsonObject{{QStringLiteral("match"), QStringLiteral("GET /crm/v8/Contacts")},
                                                 {QStringLiteral("count"), 10},
                                                 {QStringLiteral("drop"), true}});
    QVERIFY2(s.status / 100 == 2, qPrintable(s.describe()));
    const Response r = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name"));
    QVERIFY2(r.finished && r.status == 0 && r.error != QNetworkReply::NoError, qPrintable(r.describe()));
    QVERIFY(m_api.control("DELETE", QStringLiteral("/_sim/faults")).status / 100 == 2);
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
}

// rate_429 with retry_after_s: Retry-After present; with retry_after_s null: absent.
void TestSimControl::faultRate429RetryAfter()
{
    QVERIFY(setFaults(QJsonObject{{QStringLiteral("rate_429"), 1.0},
                                  {QStringLiteral("retry_after_s"), 3},
                                  {QStringLiteral("scope"), QStringLiteral("zoho")}})
                    .status /
                100 ==
            2);
    const Response with = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name"));
    SIM_VERIFY_STATUS(with, 429);
    QCOMPARE(with.header("Retry-After"), QByteArrayLiteral("3"));
    QVERIFY(setFaults(QJsonObject{{QStringLiteral("retry_after_s"), QJsonValue::Null}}).status / 100 == 2);
    const Response without = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name"));
    SIM_VERIFY_STATUS(without, 429); // rate_429 kept its value
    QVERIFY2(!without.hasHeader("Retry-After"), qPrintable(without.describe()));
    QVERIFY(m_api.control("DELETE", QStringLiteral("/_sim/faults")).status / 100 == 2);
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
}

// rate_5xx 1.0 makes every call 500/502/503; scope "oracle" leaves Zoho alone; /_sim is never faulted;
// DELETE /_sim/faults clears it.
void TestSimControl::faultRate5xxAndScope()
{
    QVERIFY(setFaults(QJsonObject{{QStringLiteral("rate_5xx"), 1.0}, {QStringLiteral("scope"), QStringLiteral("all")}})
                    .status /
                100 ==
            2);
    for (int i = 0; i < 5; ++i) {
        const Response z = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name"));
        QVERIFY2(z.status == 500 || z.status == 502 || z.status == 503, qPrintable(z.describe()));
        const Response o = oracleGet(kAccountsPath);
        QVERIFY2(o.status == 500 || o.status == 502 || o.status == 503, qPrintable(o.describe()));
    }
    SIM_VERIFY_STATUS(m_api.control("GET", QStringLiteral("/_sim/stats")), 200);

    QVERIFY(m_api.control("DELETE", QStringLiteral("/_sim/faults")).status / 100 == 2);
    QVERIFY(
        setFaults(QJsonObject{{QStringLiteral("rate_5xx"), 1.0}, {QStringLiteral("scope"), QStringLiteral("oracle")}})
                .status /
            100 ==
        2);
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
    const Response o = oracleGet(kAccountsPath);
    QVERIFY2(o.status >= 500, qPrintable(o.describe()));

    QVERIFY(m_api.control("DELETE", QStringLiteral("/_sim/faults")).status / 100 == 2);
    SIM_VERIFY_STATUS(oracleGet(kAccountsPath), 200);
}

// latency_ms delays every API call by at least that much (only a lower bound is asserted).
void TestSimControl::faultLatency()
{
    QVERIFY(
        setFaults(QJsonObject{{QStringLiteral("latency_ms"), 200}, {QStringLiteral("scope"), QStringLiteral("all")}})
                .status /
            100 ==
        2);
    const Response z = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name"));
    SIM_VERIFY_STATUS(z, 200);
    QVERIFY2(z.elapsedMs >= 200, qPrintable(QStringLiteral("%1 ms").arg(z.elapsedMs)));
    const Response o = oracleGet(kAccountsPath);
    SIM_VERIFY_STATUS(o, 200);
    QVERIFY2(o.elapsedMs >= 200, qPrintable(QStringLiteral("%1 ms").arg(o.elapsedMs)));
}

// drop_rate 1.0: the connection closes without an answer (network error, no HTTP status).
void TestSimControl::faultDroppedConnection()
{
    QVERIFY(
        setFaults(QJsonObject{{QStringLiteral("drop_rate"), 1.0}, {QStringLiteral("scope"), QStringLiteral("zoho")}})
                .status /
            100 ==
        2);
    const Response r = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name"));
    QVERIFY2(r.finished, "no answer and no error");
    QCOMPARE(r.status, 0);
    QVERIFY2(r.error != QNetworkReply::NoError, qPrintable(r.describe()));
    QVERIFY(m_api.control("DELETE", QStringLiteral("/_sim/faults")).status / 100 == 2);
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
}

// malformed_rate 1.0: HTTP 200 with a body that is not valid JSON.
void TestSimControl::faultMalformedJson()
{
    QVERIFY(setFaults(
                QJsonObject{{QStringLiteral("malformed_rate"), 1.0}, {QStringLiteral("scope"), QStringLiteral("all")}})
                    .status /
                100 ==
            2);
    for (const bool zoho : {true, false}) {
        const Response r =
            zoho ? crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")) : oracleGet(kAccountsPath);
        SIM_VERIFY_STATUS(r, 200);
        QVERIFY(!r.body.isEmpty());
        QJsonParseError err;
        const QJsonDocument parsed = QJsonDocument::fromJson(r.body, &err);
        Q_UNUSED(parsed)
        QVERIFY2(err.error != QJsonParseError::NoError, qPrintable(r.describe()));
    }
}

QTEST_GUILESS_MAIN(TestSimControl)
#include "tst_SimControl.moc"
