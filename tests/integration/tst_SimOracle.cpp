// Conformance of ml-connector-sim's Oracle side (IDCS token, CX Sales accounts, batch, Receivables) with
// ../shared/reference/oracle-fusion-api.md ("Summary for the simulator") and tests/sim/README.md.
// Every test fails when the simulator breaks the rule named in its comment.

#include "SimTestClient.h"

#include <QTest>

using namespace SimTest;

namespace {

QString valueText(const QJsonValue& v)
{
    if (v.isString())
        return v.toString();
    return v.toVariant().toString(); // integers keep all digits (Qt 6 stores them as qint64)
}

QStringList partyNumbers(const QJsonArray& items)
{
    QStringList out;
    for (const QJsonValue& v : items)
        out << v.toObject().value(QStringLiteral("PartyNumber")).toString();
    return out;
}

QString unquoted(QByteArray etag)
{
    etag = etag.trimmed();
    if (etag.startsWith("W/"))
        etag = etag.mid(2);
    if (etag.size() >= 2 && etag.startsWith('"') && etag.endsWith('"'))
        etag = etag.mid(1, etag.size() - 2);
    return QString::fromUtf8(etag);
}

// For q= literals: UTC, no offset, as in the reference's examples (LastUpdateDate>'2026-03-01T00:00:00').
QString qDate(const QDateTime& t)
{
    return t.toUTC().toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss"));
}

} // namespace

class TestSimOracle : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();

    void idcsClientCredentials();
    void restCallsNeedAuth();
    void createReturns201WithLocation();
    void createIsNotIdempotent();
    void itemGetAndUnknown404();
    void queryV1QueryByExample();
    void queryV2Expressions();
    void queryLastUpdateDate();
    void finders();
    void fieldsAndOnlyData();
    void limitCappedAt499();
    void offsetPagingWalksAll();
    void etagIfMatchAnd412();
    void ifNoneMatch304();
    void patchIsPartial();
    void deleteItem();
    void errorShapeByFrameworkVersion();
    void unregisteredSourceSystemRejected();
    void putIsNotSupported();
    void latestVersionAlias();
    void findDuplicates();
    void batchAllOrNone();
    void batchGoodCreatesAll();
    void receivablesReadOnlyWithBalances();

private:
    // A call with Basic auth and, unless version is 0, REST-Framework-Version.
    Response ora(const QByteArray& method,
                 const QString& path,
                 const QueryItems& query = {},
                 const QByteArray& body = {},
                 int version = 4,
                 const Headers& extra = {})
    {
        Headers h{{"Authorization", basicAuth(kOracleUser, kOraclePassword)}, {"Accept", "application/json"}};
        if (version > 0)
            h.push_back({"REST-Framework-Version", QByteArray::number(version)});
        if (!body.isEmpty())
            h.push_back({"Content-Type", "application/vnd.oracle.adf.resourceitem+json"});
        h += extra;
        return m_api.send(method, path, query, body, h);
    }
    // Creates an account through the REST API; returns the item (empty on failure, with *why).
    QJsonObject create(const QJsonObject& fields, QString* why);
    QJsonArray controlAccounts() { return listOf(m_api.control("GET", QStringLiteral("/_sim/oracle/accounts"))); }
    QStringList query(const QString& q, int version);

    Core::SimulatorLauncher m_launcher;
    Client m_api;
};

void TestSimOracle::initTestCase()
{
    QString why;
    const QUrl base = startSimulator(m_launcher, {QStringLiteral("--demo")}, &why);
    QVERIFY2(base.isValid(), qPrintable(why));
    m_api.setBase(base);
}

void TestSimOracle::init()
{
    const Response r = m_api.reset(QJsonObject{{QStringLiteral("seed"), 1},
                                               {QStringLiteral("demo"), true},
                                               {QStringLiteral("contacts"), 0},
                                               {QStringLiteral("accounts"), 0}});
    QVERIFY2(r.status / 100 == 2, qPrintable(r.describe()));
}

void TestSimOracle::cleanupTestCase()
{
    m_launcher.stop();
}

QJsonObject TestSimOracle::create(const QJsonObject& fields, QString* why)
{
    const Response r = ora("POST", kAccountsPath, {}, toJson(fields));
    if (r.status != 201) {
        *why = QStringLiteral("create: expected 201, got ") + r.describe();
        return {};
    }
    return r.json();
}

QStringList TestSimOracle::query(const QString& q, int version)
{
    const Response r =
        ora("GET", kAccountsPath, {{QStringLiteral("q"), q}, {QStringLiteral("onlyData"), QStringLiteral("true")}}, {},
            version);
    if (r.status != 200)
        return {QStringLiteral("HTTP %1: %2").arg(r.status).arg(QString::fromUtf8(r.body.left(300)))};
    return partyNumbers(r.json().value(QStringLiteral("items")).toArray());
}

// IDCS-style POST /oauth2/v1/token, client_credentials with Basic client auth → {access_token, token_type
// Bearer, expires_in 3600}; the Bearer token works on REST; a bad client gets 401 (oracle-fusion-api.md 4.2).
void TestSimOracle::idcsClientCredentials()
{
    const QueryItems form{
        {QStringLiteral("grant_type"), QStringLiteral("client_credentials")},
        {QStringLiteral("scope"), QStringLiteral("urn:opc:resource:fa:instanceid=1urn:opc:resource:consumer::all")}};
    const Response r = m_api.send("POST", QStringLiteral("/oauth2/v1/token"), {}, formBody(form),
                                  {{"Authorization", basicAuth(kOracleClientId, kOracleClientSecret)},
                                   {"Content-Type", "application/x-www-form-urlencoded;charset=UTF-8"}});
    SIM_VERIFY_STATUS(r, 200);
    const QJsonObject o = r.json();
    const QString token = o.value(QStringLiteral("access_token")).toString();
    QVERIFY2(!token.isEmpty(), qPrintable(r.describe()));
    QCOMPARE(o.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
    QCOMPARE(o.value(QStringLiteral("expires_in")).toInt(), 3600);

    SIM_VERIFY_STATUS(m_api.get(kAccountsPath, {{"Authorization", "Bearer " + token.toUtf8()}}), 200);

    const Response badClient = m_api.send("POST", QStringLiteral("/oauth2/v1/token"), {}, formBody(form),
                                          {{"Authorization", basicAuth(kOracleClientId, QStringLiteral("wrong"))},
                                           {"Content-Type", "application/x-www-form-urlencoded"}});
    SIM_VERIFY_STATUS(badClient, 401);
    const Response noClient = m_api.send("POST", QStringLiteral("/oauth2/v1/token"), {}, formBody(form),
                                         {{"Content-Type", "application/x-www-form-urlencoded"}});
    SIM_VERIFY_STATUS(noClient, 401);
}

// REST calls need Basic or Bearer auth: none, a bad password or an unknown bearer → 401 (oracle-fusion-api.md 8).
void TestSimOracle::restCallsNeedAuth()
{
    SIM_VERIFY_STATUS(m_api.get(kAccountsPath), 401);
    SIM_VERIFY_STATUS(m_api.get(kAccountsPath, {{"Authorization", basicAuth(kOracleUser, QStringLiteral("wrong"))}}),
                      401);
    SIM_VERIFY_STATUS(m_api.get(kAccountsPath, {{"Authorization", "Bearer not-a-token"}}), 401);
    SIM_VERIFY_STATUS(m_api.get(kArPath), 401);
    SIM_VERIFY_STATUS(m_api.get(kAccountsPath, {{"Authorization", basicAuth(kOracleUser, kOraclePassword)}}), 200);
}

// POST accounts → 201, Location = the item's URL, body = the item with PartyNumber and PartyId assigned
// (oracle-fusion-api.md 2.5, 2.7).
void TestSimOracle::createReturns201WithLocation()
{
    const int before = controlAccounts().size();
    const QJsonObject body{{QStringLiteral("OrganizationName"), QStringLiteral("Acme Widgets GmbH")},
                           {QStringLiteral("SourceSystem"), QStringLiteral("ZOHOCRM")},
                           {QStringLiteral("SourceSystemReferenceValue"), QStringLiteral("4876876000001234567")},
                           {QStringLiteral("EmailAddress"), QStringLiteral("ap@acme.example")},
                           {QStringLiteral("City"), QStringLiteral("München")},
                           {QStringLiteral("Country"), QStringLiteral("DE")}};
    const Response r = ora("POST", kAccountsPath, {}, toJson(body));
    SIM_VERIFY_STATUS(r, 201);
    const QJsonObject item = r.json();
    const QString partyNumber = item.value(QStringLiteral("PartyNumber")).toString();
    QVERIFY2(!partyNumber.isEmpty(), qPrintable(r.describe()));
    QVERIFY2(!valueText(item.value(QStringLiteral("PartyId"))).isEmpty(), qPrintable(r.describe()));
    QCOMPARE(item.value(QStringLiteral("OrganizationName")).toString(), QStringLiteral("Acme Widgets GmbH"));
    QCOMPARE(item.value(QStringLiteral("City")).toString(), QStringLiteral("München"));
    QCOMPARE(item.value(QStringLiteral("SourceSystemReferenceValue")).toString(),
             QStringLiteral("4876876000001234567"));
    QVERIFY2(isIsoWithOffset(item.value(QStringLiteral("LastUpdateDate")).toString()), qPrintable(r.describe()));

    const QByteArray location = r.header("Location");
    QVERIFY2(location.endsWith(QByteArray("/accounts/" + partyNumber.toUtf8())), location.constData());
    const QUrl itemUrl = m_api.base().resolved(QUrl::fromEncoded(location));
    const Response again = ora("GET", itemUrl.path());
    SIM_VERIFY_STATUS(again, 200);
    QCOMPARE(again.json().value(QStringLiteral("PartyNumber")).toString(), partyNumber);

    QCOMPARE(controlAccounts().size(), before + 1);
    QVERIFY(partyNumbers(controlAccounts()).contains(partyNumber));
}

// POST is not idempotent: the same body twice makes two parties (no 409) (oracle-fusion-api.md 7.7).
void TestSimOracle::createIsNotIdempotent()
{
    const int before = controlAccounts().size();
    const QJsonObject body{{QStringLiteral("OrganizationName"), QStringLiteral("Twice Ltd")},
                           {QStringLiteral("SourceSystem"), QStringLiteral("ZOHOCRM")},
                           {QStringLiteral("SourceSystemReferenceValue"), QStringLiteral("777")}};
    QString why;
    const QJsonObject a = create(body, &why);
    QVERIFY2(!a.isEmpty(), qPrintable(why));
    const QJsonObject b = create(body, &why);
    QVERIFY2(!b.isEmpty(), qPrintable(why));
    QVERIFY(a.value(QStringLiteral("PartyNumber")).toString() != b.value(QStringLiteral("PartyNumber")).toString());
    QCOMPARE(controlAccounts().size(), before + 2);
    QCOMPARE(query(QStringLiteral("SourceSystem='ZOHOCRM' and SourceSystemReferenceValue='777'"), 4).size(), 2);
}

// GET item by PartyNumber → 200; an unknown one → 404.
void TestSimOracle::itemGetAndUnknown404()
{
    QString why;
    const QJsonObject a = create({{QStringLiteral("OrganizationName"), QStringLiteral("Item Co")}}, &why);
    QVERIFY2(!a.isEmpty(), qPrintable(why));
    const Response r = ora("GET", kAccountsPath + QLatin1Char('/') + a.value(QStringLiteral("PartyNumber")).toString());
    SIM_VERIFY_STATUS(r, 200);
    QCOMPARE(r.json().value(QStringLiteral("OrganizationName")).toString(), QStringLiteral("Item Co"));
    SIM_VERIFY_STATUS(ora("GET", kAccountsPath + QStringLiteral("/NO_SUCH_PARTY_999")), 404);
}

// Without REST-Framework-Version (v1), q is query-by-example: PartyNumber=X, PartyId=N.
void TestSimOracle::queryV1QueryByExample()
{
    QString why;
    const QJsonObject a = create({{QStringLiteral("OrganizationName"), QStringLiteral("Qbe One")}}, &why);
    QVERIFY2(!a.isEmpty(), qPrintable(why));
    const QJsonObject b = create({{QStringLiteral("OrganizationName"), QStringLiteral("Qbe Two")}}, &why);
    QVERIFY2(!b.isEmpty(), qPrintable(why));
    const QString pn = a.value(QStringLiteral("PartyNumber")).toString();
    QCOMPARE(query(QStringLiteral("PartyNumber=") + pn, 0), QStringList{pn});
    QCOMPARE(query(QStringLiteral("PartyId=") + valueText(b.value(QStringLiteral("PartyId"))), 0),
             QStringList{b.value(QStringLiteral("PartyNumber")).toString()});
}

// From v2 on q takes expressions: SourceSystem='…' and SourceSystemReferenceValue='…', PartyNumber='…',
// PartyId=…, OrganizationName LIKE 'x%'.
void TestSimOracle::queryV2Expressions()
{
    QString why;
    QStringList created;
    for (const QString& name : {QStringLiteral("Zyxtest Alpha GmbH"), QStringLiteral("Zyxtest Beta SA"),
                                QStringLiteral("Other Zyxtest Ltd")}) {
        const QJsonObject a =
            create({{QStringLiteral("OrganizationName"), name},
                    {QStringLiteral("SourceSystem"), QStringLiteral("ZOHOCRM")},
                    {QStringLiteral("SourceSystemReferenceValue"), QString(QStringLiteral("ref-") + name.left(10))}},
                   &why);
        QVERIFY2(!a.isEmpty(), qPrintable(why));
        created << a.value(QStringLiteral("PartyNumber")).toString();
    }
    const QJsonObject target = create({{QStringLiteral("OrganizationName"), QStringLiteral("Source Ref Co")},
                                       {QStringLiteral("SourceSystem"), QStringLiteral("ZOHOCRM")},
                                       {QStringLiteral("SourceSystemReferenceValue"), QStringLiteral("123")}},
                                      &why);
    QVERIFY2(!target.isEmpty(), qPrintable(why));
    const QString targetPn = target.value(QStringLiteral("PartyNumber")).toString();

    QCOMPARE(query(QStringLiteral("SourceSystem='ZOHOCRM' and SourceSystemReferenceValue='123'"), 4),
             QStringList{targetPn});
    QCOMPARE(query(QStringLiteral("PartyNumber='%1'").arg(targetPn), 4), QStringList{targetPn});
    QCOMPARE(query(QStringLiteral("PartyId=%1").arg(valueText(target.value(QStringLiteral("PartyId")))), 4),
             QStringList{targetPn});
    QStringList like = query(QStringLiteral("OrganizationName LIKE 'Zyxtest%'"), 4);
    like.sort();
    QStringList expected = created.mid(0, 2);
    expected.sort();
    QCOMPARE(like, expected);
    QVERIFY(query(QStringLiteral("SourceSystem='ZOHOCRM' and SourceSystemReferenceValue='no-such-ref'"), 4).isEmpty());
}

// q=LastUpdateDate>'…' returns what changed after that time, not before.
void TestSimOracle::queryLastUpdateDate()
{
    QString why;
    const QJsonObject old = create({{QStringLiteral("OrganizationName"), QStringLiteral("Old Co")}}, &why);
    QVERIFY2(!old.isEmpty(), qPrintable(why));
    const QDateTime oldStamp = parseIso(old.value(QStringLiteral("LastUpdateDate")).toString());
    QVERIFY2(oldStamp.isValid(), qPrintable(QString::fromUtf8(toJson(old))));
    QVERIFY(m_api.advanceClock(120).status / 100 == 2);
    const QJsonObject fresh = create({{QStringLiteral("OrganizationName"), QStringLiteral("Fresh Co")}}, &why);
    QVERIFY2(!fresh.isEmpty(), qPrintable(why));
    const QDateTime cutoff = oldStamp.addSecs(60);

    const Response r = ora("GET", kAccountsPath,
                           {{QStringLiteral("q"), QStringLiteral("LastUpdateDate>'%1'").arg(qDate(cutoff))},
                            {QStringLiteral("onlyData"), QStringLiteral("true")},
                            {QStringLiteral("limit"), QStringLiteral("499")}});
    SIM_VERIFY_STATUS(r, 200);
    const QJsonArray items = r.json().value(QStringLiteral("items")).toArray();
    const QStringList found = partyNumbers(items);
    QVERIFY(found.contains(fresh.value(QStringLiteral("PartyNumber")).toString()));
    QVERIFY(!found.contains(old.value(QStringLiteral("PartyNumber")).toString()));
    for (const QJsonValue& v : items)
        QVERIFY(parseIso(v.toObject().value(QStringLiteral("LastUpdateDate")).toString()) > cutoff);
}

// finder=PartyIdAltKey;PartyId=… and finder=AccountPartyNumberRF;PartyNumber=… (oracle-fusion-api.md 2.3).
void TestSimOracle::finders()
{
    QString why;
    const QJsonObject a = create({{QStringLiteral("OrganizationName"), QStringLiteral("Finder Co")}}, &why);
    QVERIFY2(!a.isEmpty(), qPrintable(why));
    const QString pn = a.value(QStringLiteral("PartyNumber")).toString();
    const Response byId = ora("GET", kAccountsPath,
                              {{QStringLiteral("finder"), QStringLiteral("PartyIdAltKey;PartyId=") +
                                                              valueText(a.value(QStringLiteral("PartyId")))}});
    SIM_VERIFY_STATUS(byId, 200);
    QCOMPARE(partyNumbers(byId.json().value(QStringLiteral("items")).toArray()), QStringList{pn});
    const Response byNumber = ora(
        "GET", kAccountsPath, {{QStringLiteral("finder"), QStringLiteral("AccountPartyNumberRF;PartyNumber=") + pn}});
    SIM_VERIFY_STATUS(byNumber, 200);
    QCOMPARE(partyNumbers(byNumber.json().value(QStringLiteral("items")).toArray()), QStringList{pn});
}

// fields= limits the attributes; onlyData=true strips links; without it items carry links.
void TestSimOracle::fieldsAndOnlyData()
{
    QString why;
    QVERIFY2(!create({{QStringLiteral("OrganizationName"), QStringLiteral("Fields Co")},
                      {QStringLiteral("Country"), QStringLiteral("FR")}},
                     &why)
                  .isEmpty(),
             qPrintable(why));
    const Response r = ora("GET", kAccountsPath,
                           {{QStringLiteral("fields"), QStringLiteral("PartyNumber,OrganizationName")},
                            {QStringLiteral("onlyData"), QStringLiteral("true")}});
    SIM_VERIFY_STATUS(r, 200);
    const QJsonArray items = r.json().value(QStringLiteral("items")).toArray();
    QVERIFY(!items.isEmpty());
    for (const QJsonValue& v : items) {
        QStringList keys = v.toObject().keys();
        keys.sort();
        QCOMPARE(keys, (QStringList{QStringLiteral("OrganizationName"), QStringLiteral("PartyNumber")}));
    }
    const Response withLinks = ora("GET", kAccountsPath, {{QStringLiteral("fields"), QStringLiteral("PartyNumber")}});
    SIM_VERIFY_STATUS(withLinks, 200);
    const QJsonObject first = withLinks.json().value(QStringLiteral("items")).toArray().first().toObject();
    QVERIFY2(first.value(QStringLiteral("links")).isArray(), qPrintable(withLinks.describe()));
}

// limit is capped at 499 (limit=500 → 499 items, hasMore true); default limit 25; totalResults=true counts all.
void TestSimOracle::limitCappedAt499()
{
    int have = controlAccounts().size();
    for (int i = have; i < 620; ++i) {
        const Response r =
            m_api.control("POST", QStringLiteral("/_sim/oracle/accounts"),
                          QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("Bulk Org %1").arg(i)}});
        QVERIFY2(r.status / 100 == 2, qPrintable(r.describe()));
    }
    have = controlAccounts().size();
    QVERIFY(have >= 620);

    const Response capped =
        ora("GET", kAccountsPath,
            {{QStringLiteral("limit"), QStringLiteral("500")}, {QStringLiteral("onlyData"), QStringLiteral("true")}});
    SIM_VERIFY_STATUS(capped, 200);
    const QJsonObject o = capped.json();
    QCOMPARE(o.value(QStringLiteral("items")).toArray().size(), 499);
    QCOMPARE(o.value(QStringLiteral("count")).toInt(), 499);
    QCOMPARE(o.value(QStringLiteral("hasMore")).toBool(), true);
    QCOMPARE(o.value(QStringLiteral("offset")).toInt(), 0);

    const Response rest = ora("GET", kAccountsPath,
                              {{QStringLiteral("limit"), QStringLiteral("500")},
                               {QStringLiteral("offset"), QStringLiteral("499")},
                               {QStringLiteral("onlyData"), QStringLiteral("true")}});
    SIM_VERIFY_STATUS(rest, 200);
    QCOMPARE(rest.json().value(QStringLiteral("items")).toArray().size(), have - 499);
    QCOMPARE(rest.json().value(QStringLiteral("hasMore")).toBool(), false);

    const Response byDefault = ora("GET", kAccountsPath, {{QStringLiteral("onlyData"), QStringLiteral("true")}});
    QCOMPARE(byDefault.json().value(QStringLiteral("items")).toArray().size(), 25);
    QCOMPARE(byDefault.json().value(QStringLiteral("limit")).toInt(), 25);
    QVERIFY(!byDefault.json().contains(QStringLiteral("totalResults")));

    const Response total =
        ora("GET", kAccountsPath,
            {{QStringLiteral("totalResults"), QStringLiteral("true")}, {QStringLiteral("limit"), QStringLiteral("5")}});
    QCOMPARE(total.json().value(QStringLiteral("totalResults")).toInt(), have);
}

// limit/offset paging with hasMore visits every account once.
void TestSimOracle::offsetPagingWalksAll()
{
    for (int i = 0; i < 130; ++i) {
        QVERIFY(m_api.control("POST", QStringLiteral("/_sim/oracle/accounts"),
                              QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("Walk %1").arg(i)}})
                        .status /
                    100 ==
                2);
    }
    const QStringList expected = partyNumbers(controlAccounts());
    QStringList seen;
    int offset = 0;
    bool more = true;
    for (int round = 0; more && round < 100; ++round) {
        const Response r = ora("GET", kAccountsPath,
                               {{QStringLiteral("limit"), QStringLiteral("50")},
                                {QStringLiteral("offset"), QString::number(offset)},
                                {QStringLiteral("onlyData"), QStringLiteral("true")}});
        SIM_VERIFY_STATUS(r, 200);
        const QJsonObject o = r.json();
        const QJsonArray items = o.value(QStringLiteral("items")).toArray();
        QCOMPARE(o.value(QStringLiteral("count")).toInt(), items.size());
        seen += partyNumbers(items);
        offset += items.size();
        more = o.value(QStringLiteral("hasMore")).toBool();
        QVERIFY(!items.isEmpty() || !more);
    }
    QVERIFY(!more);
    QCOMPARE(seen.size(), expected.size());
    QCOMPARE(QSet<QString>(seen.begin(), seen.end()), QSet<QString>(expected.begin(), expected.end()));
}

// Item GET has an ETag (= links self changeIndicator); PATCH with the current If-Match → 200 and a new ETag;
// a stale If-Match (after another PATCH, also one made "in Oracle") → 412 (oracle-fusion-api.md 5.3).
void TestSimOracle::etagIfMatchAnd412()
{
    QString why;
    const QJsonObject a = create({{QStringLiteral("OrganizationName"), QStringLiteral("Etag Co")}}, &why);
    QVERIFY2(!a.isEmpty(), qPrintable(why));
    const QString item = kAccountsPath + QLatin1Char('/') + a.value(QStringLiteral("PartyNumber")).toString();
    const Response got = ora("GET", item);
    SIM_VERIFY_STATUS(got, 200);
    const QByteArray etag = got.header("ETag");
    QVERIFY2(!etag.isEmpty(), qPrintable(got.describe()));
    QString changeIndicator;
    for (const QJsonValue& l : got.json().value(QStringLiteral("links")).toArray()) {
        if (l.toObject().value(QStringLiteral("rel")).toString() == QLatin1String("self"))
            changeIndicator = l.toObject()
                                  .value(QStringLiteral("properties"))
                                  .toObject()
                                  .value(QStringLiteral("changeIndicator"))
                                  .toString();
    }
    QCOMPARE(changeIndicator, unquoted(etag));

    const Response patched =
        ora("PATCH", item, {}, toJson(QJsonObject{{QStringLiteral("URL"), QStringLiteral("https://etag.example")}}), 4,
            {{"If-Match", etag}});
    SIM_VERIFY_STATUS(patched, 200);
    QCOMPARE(patched.json().value(QStringLiteral("URL")).toString(), QStringLiteral("https://etag.example"));
    const QByteArray newEtag = ora("GET", item).header("ETag");
    QVERIFY2(!newEtag.isEmpty() && unquoted(newEtag) != unquoted(etag), newEtag.constData());

    const Response stale =
        ora("PATCH", item, {}, toJson(QJsonObject{{QStringLiteral("URL"), QStringLiteral("https://stale.example")}}), 4,
            {{"If-Match", etag}});
    SIM_VERIFY_STATUS(stale, 412);
    QCOMPARE(ora("GET", item).json().value(QStringLiteral("URL")).toString(), QStringLiteral("https://etag.example"));

    // A change made in Oracle makes the ETag we hold stale too.
    QVERIFY(m_api.control("PATCH",
                          QStringLiteral("/_sim/oracle/accounts/") + a.value(QStringLiteral("PartyNumber")).toString(),
                          QJsonObject{{QStringLiteral("EmailAddress"), QStringLiteral("oracle@side.example")}})
                    .status /
                100 ==
            2);
    SIM_VERIFY_STATUS(ora("PATCH", item, {},
                          toJson(QJsonObject{{QStringLiteral("URL"), QStringLiteral("https://x.example")}}), 4,
                          {{"If-Match", newEtag}}),
                      412);
}

// GET with If-None-Match = current ETag → 304 with an empty body; with an old one → 200.
void TestSimOracle::ifNoneMatch304()
{
    QString why;
    const QJsonObject a = create({{QStringLiteral("OrganizationName"), QStringLiteral("Cache Co")}}, &why);
    QVERIFY2(!a.isEmpty(), qPrintable(why));
    const QString item = kAccountsPath + QLatin1Char('/') + a.value(QStringLiteral("PartyNumber")).toString();
    const QByteArray etag = ora("GET", item).header("ETag");
    QVERIFY(!etag.isEmpty());
    const Response same = ora("GET", item, {}, {}, 4, {{"If-None-Match", etag}});
    SIM_VERIFY_STATUS(same, 304);
    QVERIFY(same.body.isEmpty());
    SIM_VERIFY_STATUS(
        ora("PATCH", item, {}, toJson(QJsonObject{{QStringLiteral("URL"), QStringLiteral("https://c.example")}})), 200);
    SIM_VERIFY_STATUS(ora("GET", item, {}, {}, 4, {{"If-None-Match", etag}}), 200);
}

// PATCH changes only the fields sent.
void TestSimOracle::patchIsPartial()
{
    QString why;
    const QJsonObject a = create({{QStringLiteral("OrganizationName"), QStringLiteral("Partial Co")},
                                  {QStringLiteral("EmailAddress"), QStringLiteral("keep@partial.example")},
                                  {QStringLiteral("City"), QStringLiteral("Lyon")},
                                  {QStringLiteral("Country"), QStringLiteral("FR")}},
                                 &why);
    QVERIFY2(!a.isEmpty(), qPrintable(why));
    const QString item = kAccountsPath + QLatin1Char('/') + a.value(QStringLiteral("PartyNumber")).toString();
    const Response r = ora("PATCH", item, {}, toJson(QJsonObject{{QStringLiteral("City"), QStringLiteral("Paris")}}));
    SIM_VERIFY_STATUS(r, 200);
    const QJsonObject after = ora("GET", item).json();
    QCOMPARE(after.value(QStringLiteral("City")).toString(), QStringLiteral("Paris"));
    QCOMPARE(after.value(QStringLiteral("EmailAddress")).toString(), QStringLiteral("keep@partial.example"));
    QCOMPARE(after.value(QStringLiteral("OrganizationName")).toString(), QStringLiteral("Partial Co"));
    QCOMPARE(after.value(QStringLiteral("Country")).toString(), QStringLiteral("FR"));
}

// DELETE item → 204; afterwards GET → 404.
void TestSimOracle::deleteItem()
{
    QString why;
    const QJsonObject a = create({{QStringLiteral("OrganizationName"), QStringLiteral("Gone Co")}}, &why);
    QVERIFY2(!a.isEmpty(), qPrintable(why));
    const QString item = kAccountsPath + QLatin1Char('/') + a.value(QStringLiteral("PartyNumber")).toString();
    SIM_VERIFY_STATUS(ora("DELETE", item), 204);
    SIM_VERIFY_STATUS(ora("GET", item), 404);
}

// REST-Framework-Version selects the error shape: below 4 a plain-text message, from 4 on JSON
// {title, status:"400", o:errorDetails:[{detail, o:errorCode, …}]} (oracle-fusion-api.md 5.2).
void TestSimOracle::errorShapeByFrameworkVersion()
{
    const int before = controlAccounts().size();
    const QByteArray noName = toJson(QJsonObject{{QStringLiteral("Country"), QStringLiteral("DE")}});
    for (int version : {0, 1, 2, 3}) {
        const Response r = ora("POST", kAccountsPath, {}, noName, version);
        SIM_VERIFY_STATUS(r, 400);
        QVERIFY2(!r.body.trimmed().isEmpty() && !r.isJsonObject(),
                 qPrintable(QStringLiteral("v%1 must answer plain text: %2").arg(version).arg(r.describe())));
    }
    for (int version : {4, 6, 9}) {
        const Response r = ora("POST", kAccountsPath, {}, noName, version);
        SIM_VERIFY_STATUS(r, 400);
        QVERIFY2(r.isJsonObject(), qPrintable(r.describe()));
        const QJsonObject o = r.json();
        QVERIFY2(o.value(QStringLiteral("title")).isString(), qPrintable(r.describe()));
        QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("400")); // a string
        const QJsonArray details = o.value(QStringLiteral("o:errorDetails")).toArray();
        QVERIFY2(!details.isEmpty(), qPrintable(r.describe()));
        QVERIFY2(!details.first().toObject().value(QStringLiteral("detail")).toString().isEmpty(),
                 qPrintable(r.describe()));
        QVERIFY2(details.first().toObject().contains(QStringLiteral("o:errorCode")), qPrintable(r.describe()));
    }

    // Country must be a 2-letter territory code.
    const QByteArray badCountry = toJson(QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("Country Co")},
                                                     {QStringLiteral("Country"), QStringLiteral("Germany")}});
    const Response v4 = ora("POST", kAccountsPath, {}, badCountry, 4);
    SIM_VERIFY_STATUS(v4, 400);
    const QJsonObject detail = v4.json().value(QStringLiteral("o:errorDetails")).toArray().first().toObject();
    QVERIFY2(detail.value(QStringLiteral("detail")).toString().contains(QLatin1String("Country")) ||
                 detail.value(QStringLiteral("o:errorPath")).toString().contains(QLatin1String("Country")),
             qPrintable(v4.describe()));
    const Response v1 = ora("POST", kAccountsPath, {}, badCountry, 1);
    SIM_VERIFY_STATUS(v1, 400);
    QVERIFY2(!v1.isJsonObject() && !v1.body.trimmed().isEmpty(), qPrintable(v1.describe()));
    QCOMPARE(controlAccounts().size(), before);
}

// A SourceSystem not in the registered list is refused with 400 (oracle-fusion-api.md 2.6, 7.8).
void TestSimOracle::unregisteredSourceSystemRejected()
{
    const int before = controlAccounts().size();
    const Response r = ora("POST", kAccountsPath, {},
                           toJson(QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("Foreign Co")},
                                              {QStringLiteral("SourceSystem"), QStringLiteral("NOT_REGISTERED")},
                                              {QStringLiteral("SourceSystemReferenceValue"), QStringLiteral("1")}}));
    SIM_VERIFY_STATUS(r, 400);
    QCOMPARE(controlAccounts().size(), before);
}

// PUT is not supported on ADF items (405 or 400) and changes nothing.
void TestSimOracle::putIsNotSupported()
{
    QString why;
    const QJsonObject a = create({{QStringLiteral("OrganizationName"), QStringLiteral("Put Co")}}, &why);
    QVERIFY2(!a.isEmpty(), qPrintable(why));
    const QString item = kAccountsPath + QLatin1Char('/') + a.value(QStringLiteral("PartyNumber")).toString();
    const Response r =
        ora("PUT", item, {}, toJson(QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("Replaced")}}));
    QVERIFY2(r.status == 405 || r.status == 400, qPrintable(r.describe()));
    QCOMPARE(ora("GET", item).json().value(QStringLiteral("OrganizationName")).toString(), QStringLiteral("Put Co"));
}

// /resources/latest/ is an alias of 11.13.18.05.
void TestSimOracle::latestVersionAlias()
{
    QString why;
    const QJsonObject a = create({{QStringLiteral("OrganizationName"), QStringLiteral("Latest Co")}}, &why);
    QVERIFY2(!a.isEmpty(), qPrintable(why));
    const Response r = ora("GET", QStringLiteral("/crmRestApi/resources/latest/accounts/") +
                                      a.value(QStringLiteral("PartyNumber")).toString());
    SIM_VERIFY_STATUS(r, 200);
    QCOMPARE(r.json().value(QStringLiteral("OrganizationName")).toString(), QStringLiteral("Latest Co"));
}

// POST accounts/action/findDuplicates {"account":{…}} → {"result":[matching parties]}.
void TestSimOracle::findDuplicates()
{
    QString why;
    const QJsonObject a = create({{QStringLiteral("OrganizationName"), QStringLiteral("Duplicate Widgets AG")},
                                  {QStringLiteral("Country"), QStringLiteral("CH")},
                                  {QStringLiteral("PostalCode"), QStringLiteral("8001")}},
                                 &why);
    QVERIFY2(!a.isEmpty(), qPrintable(why));
    const auto find = [this](const QString& name) {
        return ora("POST", kAccountsPath + QStringLiteral("/action/findDuplicates"), {},
                   toJson(QJsonObject{
                       {QStringLiteral("account"), QJsonObject{{QStringLiteral("OrganizationName"), name},
                                                               {QStringLiteral("Country"), QStringLiteral("CH")}}}}),
                   4, {{"Content-Type", "application/vnd.oracle.adf.action+json"}});
    };
    const Response r = find(QStringLiteral("Duplicate Widgets AG"));
    SIM_VERIFY_STATUS(r, 200);
    QVERIFY2(r.json().value(QStringLiteral("result")).isArray(), qPrintable(r.describe()));
    QVERIFY2(partyNumbers(r.json().value(QStringLiteral("result")).toArray())
                 .contains(a.value(QStringLiteral("PartyNumber")).toString()),
             qPrintable(r.describe()));
    const Response none = find(QStringLiteral("Nothing Like It Anywhere 42"));
    SIM_VERIFY_STATUS(none, 200);
    QVERIFY2(none.json().value(QStringLiteral("result")).isArray() &&
                 none.json().value(QStringLiteral("result")).toArray().isEmpty(),
             qPrintable(none.describe()));
}

// Batch is all-or-none: one bad part and nothing is created (oracle-fusion-api.md 5.5).
void TestSimOracle::batchAllOrNone()
{
    const int before = controlAccounts().size();
    const QJsonObject batch{
        {QStringLiteral("parts"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("part1")},
                                {QStringLiteral("path"), QStringLiteral("/accounts")},
                                {QStringLiteral("operation"), QStringLiteral("create")},
                                {QStringLiteral("payload"),
                                 QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("Batch Good")}}}},
                    QJsonObject{
                        {QStringLiteral("id"), QStringLiteral("part2")},
                        {QStringLiteral("path"), QStringLiteral("/accounts")},
                        {QStringLiteral("operation"), QStringLiteral("create")},
                        {QStringLiteral("payload"), QJsonObject{{QStringLiteral("Country"), QStringLiteral("DE")}}}}}}};
    const Response r =
        ora("POST", kCrmRoot, {}, toJson(batch), 4, {{"Content-Type", "application/vnd.oracle.adf.batch+json"}});
    QVERIFY2(r.status >= 400 || r.body.contains("part2"), qPrintable(r.describe()));
    QVERIFY2(r.status != 200 || !r.body.contains("part1"),
             qPrintable(QStringLiteral("only the failing part is listed: ") + r.describe()));
    QCOMPARE(controlAccounts().size(), before);
    for (const QJsonValue& v : controlAccounts())
        QVERIFY(v.toObject().value(QStringLiteral("OrganizationName")).toString() != QLatin1String("Batch Good"));
}

// A good batch runs every part in order: creates, an update and a get.
void TestSimOracle::batchGoodCreatesAll()
{
    QString why;
    const QJsonObject existing = create({{QStringLiteral("OrganizationName"), QStringLiteral("Batch Target")}}, &why);
    QVERIFY2(!existing.isEmpty(), qPrintable(why));
    const QString pn = existing.value(QStringLiteral("PartyNumber")).toString();
    const int before = controlAccounts().size();
    const QJsonObject batch{
        {QStringLiteral("parts"),
         QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("p1")},
                                {QStringLiteral("path"), QStringLiteral("/accounts")},
                                {QStringLiteral("operation"), QStringLiteral("create")},
                                {QStringLiteral("payload"),
                                 QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("Batch One")}}}},
                    QJsonObject{{QStringLiteral("id"), QStringLiteral("p2")},
                                {QStringLiteral("path"), QStringLiteral("/accounts")},
                                {QStringLiteral("operation"), QStringLiteral("create")},
                                {QStringLiteral("payload"),
                                 QJsonObject{{QStringLiteral("OrganizationName"), QStringLiteral("Batch Two")}}}},
                    QJsonObject{{QStringLiteral("id"), QStringLiteral("p3")},
                                {QStringLiteral("path"), QString(QStringLiteral("/accounts/") + pn)},
                                {QStringLiteral("operation"), QStringLiteral("update")},
                                {QStringLiteral("payload"),
                                 QJsonObject{{QStringLiteral("URL"), QStringLiteral("https://batch.example")}}}},
                    QJsonObject{{QStringLiteral("id"), QStringLiteral("p4")},
                                {QStringLiteral("path"), QString(QStringLiteral("/accounts/") + pn)},
                                {QStringLiteral("operation"), QStringLiteral("get")}}}}};
    const Response r =
        ora("POST", kCrmRoot, {}, toJson(batch), 4, {{"Content-Type", "application/vnd.oracle.adf.batch+json"}});
    SIM_VERIFY_STATUS(r, 200);
    const QJsonArray parts = r.json().value(QStringLiteral("parts")).toArray();
    QCOMPARE(parts.size(), 4);
    QStringList ids;
    for (const QJsonValue& p : parts)
        ids << p.toObject().value(QStringLiteral("id")).toString();
    QCOMPARE(ids,
             (QStringList{QStringLiteral("p1"), QStringLiteral("p2"), QStringLiteral("p3"), QStringLiteral("p4")}));
    QVERIFY(!parts.at(0)
                 .toObject()
                 .value(QStringLiteral("payload"))
                 .toObject()
                 .value(QStringLiteral("PartyNumber"))
                 .toString()
                 .isEmpty());
    QCOMPARE(parts.at(3).toObject().value(QStringLiteral("payload")).toObject().value(QStringLiteral("URL")).toString(),
             QStringLiteral("https://batch.example"));
    QCOMPARE(controlAccounts().size(), before + 2);
    QCOMPARE(ora("GET", kAccountsPath + QLatin1Char('/') + pn).json().value(QStringLiteral("URL")).toString(),
             QStringLiteral("https://batch.example"));
}

// receivablesCustomerAccountActivities: read-only (POST refused), open-balance fields, finder by AccountNumber,
// and PUT /_sim/oracle/ar/{AccountNumber} changes what it returns (oracle-fusion-api.md 3.1).
void TestSimOracle::receivablesReadOnlyWithBalances()
{
    // An account the AR side knows (PUT /_sim/oracle/ar/ sets an existing account's activity).
    const Response listed =
        ora("GET", kArPath,
            {{QStringLiteral("limit"), QStringLiteral("2")}, {QStringLiteral("onlyData"), QStringLiteral("true")}});
    SIM_VERIFY_STATUS(listed, 200);
    const QJsonArray known = listed.json().value(QStringLiteral("items")).toArray();
    QVERIFY2(known.size() == 2, qPrintable(listed.describe()));
    const QString account = known.at(1).toObject().value(QStringLiteral("AccountNumber")).toString();
    QVERIFY2(!account.isEmpty(), qPrintable(listed.describe()));
    const auto setAr = [this, &account](double open, double due) {
        return m_api.control("PUT", QStringLiteral("/_sim/oracle/ar/") + account,
                             QJsonObject{{QStringLiteral("TotalOpenReceivablesForAccount"), open},
                                         {QStringLiteral("TotalTransactionsDueForAccount"), due}});
    };
    const auto fetch = [this, &account]() {
        return ora(
            "GET", kArPath,
            {{QStringLiteral("finder"), QStringLiteral("CustomerAccountActivitiesFinder;AccountNumber=") + account},
             {QStringLiteral("onlyData"), QStringLiteral("true")}});
    };
    const Response set1 = setAr(10500.5, 100500.25);
    QVERIFY2(set1.status / 100 == 2, qPrintable(set1.describe()));
    Response r = fetch();
    SIM_VERIFY_STATUS(r, 200);
    QJsonArray items = r.json().value(QStringLiteral("items")).toArray();
    QCOMPARE(items.size(), 1);
    QJsonObject item = items.first().toObject();
    QCOMPARE(item.value(QStringLiteral("AccountNumber")).toString(), account);
    QCOMPARE(item.value(QStringLiteral("TotalOpenReceivablesForAccount")).toDouble(), 10500.5);
    QCOMPARE(item.value(QStringLiteral("TotalTransactionsDueForAccount")).toDouble(), 100500.25);
    QVERIFY2(item.contains(QStringLiteral("AccountId")) && item.contains(QStringLiteral("CustomerName")),
             qPrintable(r.describe()));

    QVERIFY(setAr(0, 250).status / 100 == 2);
    r = fetch();
    item = r.json().value(QStringLiteral("items")).toArray().first().toObject();
    QCOMPARE(item.value(QStringLiteral("TotalOpenReceivablesForAccount")).toDouble(), 0.0);
    QCOMPARE(item.value(QStringLiteral("TotalTransactionsDueForAccount")).toDouble(), 250.0);

    // Other accounts are not returned by the finder.
    const Response other =
        ora("GET", kArPath,
            {{QStringLiteral("finder"), QStringLiteral("CustomerAccountActivitiesFinder;AccountNumber=NO-SUCH-ACC")}});
    SIM_VERIFY_STATUS(other, 200);
    QVERIFY(other.json().value(QStringLiteral("items")).toArray().isEmpty());

    const Response post =
        ora("POST", kArPath, {}, toJson(QJsonObject{{QStringLiteral("AccountNumber"), QStringLiteral("X")}}));
    QVERIFY2(post.status == 400 || post.status == 405, qPrintable(post.describe()));
}

QTEST_GUILESS_MAIN(TestSimOracle)
#include "tst_SimOracle.moc"
