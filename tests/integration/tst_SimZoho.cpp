// Conformance of ml-connector-sim's Zoho side (Accounts OAuth + CRM v8) with
// ../shared/reference/zoho-crm-api.md ("Summary for the simulator") and tests/sim/README.md.
// Every test fails when the simulator breaks the rule named in its comment.

#include "SimTestClient.h"

#include <QTest>

#include <algorithm>

using namespace SimTest;

namespace {

const QString kContactsPath = QStringLiteral("/crm/v8/Contacts");
const QString kWatchPath = QStringLiteral("/crm/v8/actions/watch");
const QString kSubscribed = QStringLiteral("Successfully subscribed for actions-watch of the given module");
const QString kUpdated = QStringLiteral("Successfully updated the subscribe details");
const QString kRemoved = QStringLiteral("Successfully removed the subscribe details");
const QString kUnsubscribed = QStringLiteral("Successfully un-subscribed from actions-watch");

// Standard Contacts fields (zoho-crm-api.md 2.3), without id.
const QStringList kContactFields = {
    QStringLiteral("First_Name"),
    QStringLiteral("Last_Name"),
    QStringLiteral("Full_Name"),
    QStringLiteral("Salutation"),
    QStringLiteral("Email"),
    QStringLiteral("Secondary_Email"),
    QStringLiteral("Phone"),
    QStringLiteral("Mobile"),
    QStringLiteral("Home_Phone"),
    QStringLiteral("Other_Phone"),
    QStringLiteral("Asst_Phone"),
    QStringLiteral("Fax"),
    QStringLiteral("Title"),
    QStringLiteral("Department"),
    QStringLiteral("Assistant"),
    QStringLiteral("Reporting_To"),
    QStringLiteral("Vendor_Name"),
    QStringLiteral("Account_Name"),
    QStringLiteral("Mailing_Street"),
    QStringLiteral("Mailing_City"),
    QStringLiteral("Mailing_State"),
    QStringLiteral("Mailing_Zip"),
    QStringLiteral("Mailing_Country"),
    QStringLiteral("Other_Street"),
    QStringLiteral("Other_City"),
    QStringLiteral("Other_State"),
    QStringLiteral("Other_Zip"),
    QStringLiteral("Other_Country"),
    QStringLiteral("Date_of_Birth"),
    QStringLiteral("Lead_Source"),
    QStringLiteral("Email_Opt_Out"),
    QStringLiteral("Description"),
    QStringLiteral("Skype_ID"),
    QStringLiteral("Twitter"),
    QStringLiteral("Tag"),
    QStringLiteral("Record_Image"),
    QStringLiteral("Owner"),
    QStringLiteral("Created_By"),
    QStringLiteral("Modified_By"),
    QStringLiteral("Created_Time"),
    QStringLiteral("Modified_Time"),
    QStringLiteral("Last_Activity_Time"),
};

QString fieldList(int n)
{
    QStringList out = kContactFields.mid(0, std::min<int>(n, kContactFields.size()));
    for (int i = out.size(); i < n; ++i)
        out << QStringLiteral("Custom_Field_%1").arg(i);
    return out.join(QLatin1Char(','));
}

QString idString(const QJsonValue& v)
{
    if (v.isString())
        return v.toString();
    if (v.isDouble())
        return QString::number(qint64(v.toDouble()));
    return {};
}

QStringList idsOf(const QJsonArray& records)
{
    QStringList out;
    for (const QJsonValue& r : records)
        out << idString(r.toObject().value(QStringLiteral("id")));
    return out;
}

// The error code of a Zoho answer: top level, or the first item of data[] / watch[].
QString codeOf(const Response& r)
{
    const QJsonObject o = r.json();
    if (o.value(QStringLiteral("code")).isString())
        return o.value(QStringLiteral("code")).toString();
    for (const char* wrapper : {"data", "watch"}) {
        const QJsonArray items = o.value(QLatin1String(wrapper)).toArray();
        if (!items.isEmpty())
            return items.first().toObject().value(QStringLiteral("code")).toString();
    }
    return {};
}

QString isoAt(const QDateTime& t)
{
    return t.toOffsetFromUtc(2 * 3600).toString(Qt::ISODate); // "…+02:00", like the docs' samples
}

QJsonObject subscription(qint64 channelId, const QStringList& events, const QString& notifyUrl)
{
    return QJsonObject{{QStringLiteral("channel_id"), channelId},
                       {QStringLiteral("events"), QJsonArray::fromStringList(events)},
                       {QStringLiteral("notify_url"), notifyUrl}};
}

QJsonObject watchBody(const QJsonObject& item)
{
    return QJsonObject{{QStringLiteral("watch"), QJsonArray{item}}};
}

// Reset bodies name every key, so no test depends on what an earlier reset left behind.
QJsonObject simState(bool demo, int contacts)
{
    return QJsonObject{{QStringLiteral("seed"), 1},
                       {QStringLiteral("demo"), demo},
                       {QStringLiteral("contacts"), contacts},
                       {QStringLiteral("accounts"), 0}};
}

} // namespace

class TestSimZoho : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanupTestCase();

    // Zoho Accounts (OAuth)
    void refreshGrantInFormBody();
    void refreshGrantInQuery();
    void authorizationCodeGrant();
    void grantCodeExpiresAfterTwoMinutes();
    void tokenErrorsAreHttp200();
    void refreshThrottleAfterTenPerTenMinutes();
    void revokeAccessToken();
    void revokeRefreshTokenKillsItsAccessTokens();
    void wrongDataCentreIsInvalidClient();
    void authorizeRedirectsWithCodeAndState();
    void authorizeRejectsBadRequests();
    void authorizeDenySwitch();
    void authorizeRefreshTokenNeedsOfflineAndConsent();
    void authorizeUnderDataCentrePrefix();

    // CRM auth
    void missingTokenIsAuthenticationFailure();
    void badTokenIsInvalidToken();
    void expiredTokenIs401();
    void limitedScopeIsScopeMismatch();

    // GET /{Module}
    void fieldsIsRequired();
    void fieldsAtMostFifty();
    void invalidModule();
    void perPageAtMostTwoHundred();
    void pageOnlyWithinFirstTwoThousand();
    void walkAllRecordsWithPageThenPageToken();
    void pageTokenBoundToParameters();
    void sortByAndSortOrder();
    void idsReturnsExactlyThoseRecords();
    void ifModifiedSinceIsInclusiveAnd304();
    void ifModifiedSinceNoChange204Flag();
    void emptyModuleIs204();
    void recordShape();

    // GET /{Module}/{id} and writes
    void getOneRecord();
    void createRecords201();
    void updateRecords200();
    void mixedWrite207AndAllFailed400();
    void writeAtMostHundredRecords();
    void upsertInsertsAndUpdates();
    void apiWriteFiresCallback();

    // Notifications
    void watchEnable();
    void watchExpiryDefaultAndMaximum();
    void watchTokenAtMostFiftyChars();
    void watchGetPutPatchDelete();
    void callbackBody();
    void callbackInsertAndDelete();
    void callbackTokenNullWhenUnset();
    void callbackOnlyForSubscribedOperations();
    void callbackUriVersionFlag();
    void expiredChannelStopsCallbacks();

    // Limits
    void concurrencyLimitFreeEdition();
    void dailyCreditBudget();
    void creditsAreCounted();

private:
    QByteArray auth() const { return zohoAuth(m_token); }
    Headers authHeaders() const { return {{"Authorization", auth()}}; }
    Response crmGet(const QString& path, const QueryItems& query = {}, const Headers& extra = {})
    {
        Headers h = authHeaders();
        h += extra;
        return m_api.send("GET", path, query, {}, h);
    }
    Response crmSend(const QByteArray& method, const QString& path, const QJsonObject& body)
    {
        return m_api.send(method, path, {}, toJson(body), authHeaders());
    }
    // GET /oauth/v2/auth with the usual parameters, `overrides` replacing or (empty value) removing some.
    Response authorize(const QueryItems& overrides = {}, const QString& path = QStringLiteral("/oauth/v2/auth"));
    // The query items of a redirect's Location.
    static QUrlQuery redirectQuery(const Response& r) { return QUrlQuery(QUrl::fromEncoded(r.header("Location"))); }
    // Exchanges an authorization code; the token endpoint's JSON answer.
    QJsonObject exchangeCode(const QString& code);
    // Resets with `state` and takes a new token (a reset may drop issued tokens); empty + why on failure.
    QString resetWith(const QJsonObject& state, QString* why);
    QJsonArray allContacts() { return listOf(m_api.control("GET", QStringLiteral("/_sim/zoho/Contacts"))); }
    QJsonObject controlContact(const QString& id);
    // The simulator's clock, read from a record it stamps (a probe contact is created).
    QDateTime simNow();

    Core::SimulatorLauncher m_launcher;
    Client m_api;
    QString m_token;
};

void TestSimZoho::initTestCase()
{
    QString why;
    const QUrl base = startSimulator(m_launcher, {QStringLiteral("--demo")}, &why);
    QVERIFY2(base.isValid(), qPrintable(why));
    QCOMPARE(base.host(), QStringLiteral("127.0.0.1"));
    m_api.setBase(base);
}

void TestSimZoho::init()
{
    QString why;
    m_token = resetWith(simState(true, 0), &why);
    QVERIFY2(!m_token.isEmpty(), qPrintable(why));
}

void TestSimZoho::cleanupTestCase()
{
    m_launcher.stop();
}

QString TestSimZoho::resetWith(const QJsonObject& state, QString* why)
{
    const Response r = m_api.reset(state);
    if (r.status / 100 != 2) {
        *why = QStringLiteral("reset failed: ") + r.describe();
        return {};
    }
    return m_api.zohoAccessToken(kZohoRefreshToken, why);
}

QJsonObject TestSimZoho::controlContact(const QString& id)
{
    for (const QJsonValue& v : allContacts()) {
        if (idString(v.toObject().value(QStringLiteral("id"))) == id)
            return v.toObject();
    }
    return {};
}

QDateTime TestSimZoho::simNow()
{
    const Response r = m_api.control("POST", QStringLiteral("/_sim/zoho/Contacts"),
                                     QJsonObject{{QStringLiteral("Last_Name"), QStringLiteral("Clock Probe")}});
    const QJsonValue t = findKey(QJsonDocument::fromJson(r.body).object(), QStringLiteral("Modified_Time"));
    return parseIso(t.toString());
}

// ---- Zoho Accounts ------------------------------------------------------------------------------------------

// Refresh grant with the parameters in a form body: access_token, expires_in in seconds, api_domain,
// token_type Bearer, no new refresh_token (zoho-crm-api.md 1.3).
void TestSimZoho::refreshGrantInFormBody()
{
    const Response r = m_api.zohoTokenRequest({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                               {QStringLiteral("refresh_token"), kZohoRefreshToken},
                                               {QStringLiteral("client_id"), kZohoClientId},
                                               {QStringLiteral("client_secret"), kZohoClientSecret}});
    SIM_VERIFY_STATUS(r, 200);
    const QJsonObject o = r.json();
    QVERIFY2(!o.value(QStringLiteral("access_token")).toString().isEmpty(), qPrintable(r.describe()));
    QVERIFY2(o.value(QStringLiteral("expires_in")).isDouble(), qPrintable(r.describe()));
    QCOMPARE(o.value(QStringLiteral("expires_in")).toInt(), 3600); // seconds, not ms
    const QUrl apiDomain(o.value(QStringLiteral("api_domain")).toString());
    QVERIFY2(apiDomain.isValid() && apiDomain.scheme().startsWith(QLatin1String("http")), qPrintable(r.describe()));
    QCOMPARE(o.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));
    QVERIFY2(!o.contains(QStringLiteral("refresh_token")), qPrintable(r.describe()));

    m_token = o.value(QStringLiteral("access_token")).toString();
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
}

// The same grant with the parameters in the query string and an empty body.
void TestSimZoho::refreshGrantInQuery()
{
    const Response r = m_api.send("POST", QStringLiteral("/oauth/v2/token"),
                                  {{QStringLiteral("refresh_token"), kZohoRefreshToken},
                                   {QStringLiteral("client_id"), kZohoClientId},
                                   {QStringLiteral("client_secret"), kZohoClientSecret},
                                   {QStringLiteral("grant_type"), QStringLiteral("refresh_token")}});
    SIM_VERIFY_STATUS(r, 200);
    const QString token = r.json().value(QStringLiteral("access_token")).toString();
    QVERIFY2(!token.isEmpty(), qPrintable(r.describe()));
    QCOMPARE(r.json().value(QStringLiteral("expires_in")).toInt(), 3600);
    m_token = token;
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
}

// Authorization-code grant with a code minted by /_sim/zoho/grant_codes: returns a refresh_token too; the code
// is single use (then invalid_code); the new refresh token works (zoho-crm-api.md 1.1).
void TestSimZoho::authorizationCodeGrant()
{
    const Response minted =
        m_api.control("POST", QStringLiteral("/_sim/zoho/grant_codes"),
                      QJsonObject{{QStringLiteral("scopes"), QJsonArray{QStringLiteral("ZohoCRM.modules.ALL"),
                                                                        QStringLiteral("ZohoCRM.notifications.ALL")}}});
    QVERIFY2(minted.status / 100 == 2, qPrintable(minted.describe()));
    const QString code = findKey(minted.json(), QStringLiteral("code")).toString();
    QVERIFY2(!code.isEmpty(), qPrintable(minted.describe()));

    const QueryItems form{{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                          {QStringLiteral("client_id"), kZohoClientId},
                          {QStringLiteral("client_secret"), kZohoClientSecret},
                          {QStringLiteral("redirect_uri"), QStringLiteral("http://127.0.0.1/callback")},
                          {QStringLiteral("code"), code}};
    const Response r = m_api.zohoTokenRequest(form);
    SIM_VERIFY_STATUS(r, 200);
    const QJsonObject o = r.json();
    const QString access = o.value(QStringLiteral("access_token")).toString();
    const QString refresh = o.value(QStringLiteral("refresh_token")).toString();
    QVERIFY2(!access.isEmpty() && !refresh.isEmpty(), qPrintable(r.describe()));
    QCOMPARE(o.value(QStringLiteral("expires_in")).toInt(), 3600);
    QVERIFY2(o.value(QStringLiteral("api_domain")).isString(), qPrintable(r.describe()));
    QCOMPARE(o.value(QStringLiteral("token_type")).toString(), QStringLiteral("Bearer"));

    m_token = access;
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);

    const Response again = m_api.zohoTokenRequest(form);
    SIM_VERIFY_STATUS(again, 200);
    QCOMPARE(again.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_code"));
    QVERIFY(!again.json().contains(QStringLiteral("access_token")));

    QString why;
    const QString fromNewRefresh = m_api.zohoAccessToken(refresh, &why);
    QVERIFY2(!fromNewRefresh.isEmpty(), qPrintable(why));
}

// Grant codes live 2 minutes (README; zoho-crm-api.md 1.1).
void TestSimZoho::grantCodeExpiresAfterTwoMinutes()
{
    const Response minted =
        m_api.control("POST", QStringLiteral("/_sim/zoho/grant_codes"),
                      QJsonObject{{QStringLiteral("scopes"), QJsonArray{QStringLiteral("ZohoCRM.modules.ALL")}}});
    const QString code = findKey(minted.json(), QStringLiteral("code")).toString();
    QVERIFY2(!code.isEmpty(), qPrintable(minted.describe()));
    QVERIFY(m_api.advanceClock(121).status / 100 == 2);
    const Response r = m_api.zohoTokenRequest({{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                                               {QStringLiteral("client_id"), kZohoClientId},
                                               {QStringLiteral("client_secret"), kZohoClientSecret},
                                               {QStringLiteral("code"), code}});
    SIM_VERIFY_STATUS(r, 200);
    QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_code"));
}

// Token-endpoint errors are HTTP 200 + {"error":…}: invalid_client for a bad secret, invalid_code for an
// unknown refresh token or code (zoho-crm-api.md 1.4).
void TestSimZoho::tokenErrorsAreHttp200()
{
    const Response badClient =
        m_api.zohoTokenRequest({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                {QStringLiteral("refresh_token"), kZohoRefreshToken},
                                {QStringLiteral("client_id"), kZohoClientId},
                                {QStringLiteral("client_secret"), QStringLiteral("wrong-secret")}});
    SIM_VERIFY_STATUS(badClient, 200);
    QCOMPARE(badClient.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_client"));
    QVERIFY(!badClient.json().contains(QStringLiteral("access_token")));

    const Response badRefresh =
        m_api.zohoTokenRequest({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                {QStringLiteral("refresh_token"), QStringLiteral("1000.not-a-refresh-token")},
                                {QStringLiteral("client_id"), kZohoClientId},
                                {QStringLiteral("client_secret"), kZohoClientSecret}});
    SIM_VERIFY_STATUS(badRefresh, 200);
    QCOMPARE(badRefresh.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_code"));

    const Response badCode =
        m_api.zohoTokenRequest({{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                                {QStringLiteral("client_id"), kZohoClientId},
                                {QStringLiteral("client_secret"), kZohoClientSecret},
                                {QStringLiteral("code"), QStringLiteral("1000.no-such-code")}});
    SIM_VERIFY_STATUS(badCode, 200);
    QCOMPARE(badCode.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_code"));
}

// More than 10 refreshes per refresh token per 10 minutes give "Access Denied" (HTTP 200 by default); after
// the window has passed refreshing works again (zoho-crm-api.md 1.4, 1.5).
void TestSimZoho::refreshThrottleAfterTenPerTenMinutes()
{
    QVERIFY(m_api.advanceClock(601).status / 100 == 2); // earlier refreshes leave the window
    const QueryItems form{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                          {QStringLiteral("refresh_token"), kZohoRefreshToken},
                          {QStringLiteral("client_id"), kZohoClientId},
                          {QStringLiteral("client_secret"), kZohoClientSecret}};
    for (int i = 1; i <= 10; ++i) {
        const Response r = m_api.zohoTokenRequest(form);
        QVERIFY2(!r.json().value(QStringLiteral("access_token")).toString().isEmpty(),
                 qPrintable(QStringLiteral("refresh %1: %2").arg(i).arg(r.describe())));
    }
    const Response denied = m_api.zohoTokenRequest(form);
    SIM_VERIFY_STATUS(denied, 200);
    const QJsonObject o = denied.json();
    QCOMPARE(o.value(QStringLiteral("error")).toString(), QStringLiteral("Access Denied"));
    QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("failure"));
    QVERIFY2(!o.value(QStringLiteral("error_description")).toString().isEmpty(), qPrintable(denied.describe()));
    QVERIFY(!o.contains(QStringLiteral("access_token")));

    QVERIFY(m_api.advanceClock(601).status / 100 == 2);
    const Response again = m_api.zohoTokenRequest(form);
    QVERIFY2(!again.json().value(QStringLiteral("access_token")).toString().isEmpty(), qPrintable(again.describe()));
}

// POST /oauth/v2/token/revoke?token= answers {"status":"success"}; the revoked access token then gets
// 401 INVALID_TOKEN; an unknown token gets HTTP 400 (zoho-crm-api.md 1.7).
void TestSimZoho::revokeAccessToken()
{
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
    const Response r =
        m_api.send("POST", QStringLiteral("/oauth/v2/token/revoke"), {{QStringLiteral("token"), m_token}});
    SIM_VERIFY_STATUS(r, 200);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("success"));
    SIM_VERIFY_ZOHO_ERROR(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 401, "INVALID_TOKEN");

    const Response unknown = m_api.send("POST", QStringLiteral("/oauth/v2/token/revoke"),
                                        {{QStringLiteral("token"), QStringLiteral("1000.never-issued")}});
    SIM_VERIFY_STATUS(unknown, 400);
}

// Revoking a refresh token kills its access tokens, and the refresh token no longer refreshes.
void TestSimZoho::revokeRefreshTokenKillsItsAccessTokens()
{
    const Response minted =
        m_api.control("POST", QStringLiteral("/_sim/zoho/refresh_tokens"),
                      QJsonObject{{QStringLiteral("scopes"), QJsonArray{QStringLiteral("ZohoCRM.modules.ALL"),
                                                                        QStringLiteral("ZohoCRM.notifications.ALL")}}});
    const QString refresh = findKey(minted.json(), QStringLiteral("refresh_token")).toString();
    QVERIFY2(!refresh.isEmpty(), qPrintable(minted.describe()));
    QString why;
    m_token = m_api.zohoAccessToken(refresh, &why);
    QVERIFY2(!m_token.isEmpty(), qPrintable(why));
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);

    const Response r =
        m_api.send("POST", QStringLiteral("/oauth/v2/token/revoke"), {{QStringLiteral("token"), refresh}});
    SIM_VERIFY_STATUS(r, 200);
    QCOMPARE(r.json().value(QStringLiteral("status")).toString(), QStringLiteral("success"));
    SIM_VERIFY_ZOHO_ERROR(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 401, "INVALID_TOKEN");
    const Response refreshAgain =
        m_api.zohoTokenRequest({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                {QStringLiteral("refresh_token"), refresh},
                                {QStringLiteral("client_id"), kZohoClientId},
                                {QStringLiteral("client_secret"), kZohoClientSecret}});
    SIM_VERIFY_STATUS(refreshAgain, 200);
    QCOMPARE(refreshAgain.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_code"));
}

// Another data centre's accounts server answers HTTP 200 {"error":"invalid_client"} (zoho-crm-api.md 1.4, 5.2).
void TestSimZoho::wrongDataCentreIsInvalidClient()
{
    const Response r = m_api.zohoTokenRequest({{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                                               {QStringLiteral("refresh_token"), kZohoRefreshToken},
                                               {QStringLiteral("client_id"), kZohoClientId},
                                               {QStringLiteral("client_secret"), kZohoClientSecret}},
                                              QStringLiteral("/_dc/eu/oauth/v2/token"));
    SIM_VERIFY_STATUS(r, 200);
    QCOMPARE(r.json().value(QStringLiteral("error")).toString(), QStringLiteral("invalid_client"));
    QVERIFY(!r.json().contains(QStringLiteral("access_token")));
}

// ---- CRM auth -----------------------------------------------------------------------------------------------

// No Authorization header: 401 AUTHENTICATION_FAILURE envelope (zoho-crm-api.md 1.6).
void TestSimZoho::missingTokenIsAuthenticationFailure()
{
    const Response r = m_api.get(kContactsPath + QStringLiteral("?fields=Last_Name"));
    SIM_VERIFY_ZOHO_ERROR(r, 401, "AUTHENTICATION_FAILURE");
}

// A token the simulator never issued: 401 {"code":"INVALID_TOKEN",…,"message":"invalid oauth token"}.
void TestSimZoho::badTokenIsInvalidToken()
{
    const Response r = m_api.get(kContactsPath + QStringLiteral("?fields=Last_Name"),
                                 {{"Authorization", "Zoho-oauthtoken 1000.bogus.token"}});
    SIM_VERIFY_ZOHO_ERROR(r, 401, "INVALID_TOKEN");
    QCOMPARE(r.json().value(QStringLiteral("message")).toString(), QStringLiteral("invalid oauth token"));
}

// An access token past its 1 h lifetime is refused with a 401 auth envelope (INVALID_TOKEN, or the
// AUTHENTICATION_FAILURE Zoho sometimes sends for stale tokens).
void TestSimZoho::expiredTokenIs401()
{
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
    QVERIFY(m_api.advanceClock(3601).status / 100 == 2);
    const Response r = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name"));
    const QString asInvalid = zohoErrorMismatch(r, 401, QStringLiteral("INVALID_TOKEN"));
    const QString asAuthFailure = zohoErrorMismatch(r, 401, QStringLiteral("AUTHENTICATION_FAILURE"));
    QVERIFY2(asInvalid.isEmpty() || asAuthFailure.isEmpty(), qPrintable(asInvalid));
}

// A token from a refresh token limited to notifications: records give 401 OAUTH_SCOPE_MISMATCH, while
// the notification API (in scope) answers.
void TestSimZoho::limitedScopeIsScopeMismatch()
{
    const Response minted =
        m_api.control("POST", QStringLiteral("/_sim/zoho/refresh_tokens"),
                      QJsonObject{{QStringLiteral("scopes"), QJsonArray{QStringLiteral("ZohoCRM.notifications.ALL")}}});
    const QString refresh = findKey(minted.json(), QStringLiteral("refresh_token")).toString();
    QVERIFY2(!refresh.isEmpty(), qPrintable(minted.describe()));
    QString why;
    m_token = m_api.zohoAccessToken(refresh, &why);
    QVERIFY2(!m_token.isEmpty(), qPrintable(why));
    SIM_VERIFY_ZOHO_ERROR(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 401, "OAUTH_SCOPE_MISMATCH");
    const Response watch = crmGet(kWatchPath);
    QVERIFY2(watch.status == 200 || watch.status == 204, qPrintable(watch.describe()));
}

// ---- GET /{Module} ------------------------------------------------------------------------------------------

// fields is required in v8: 400 REQUIRED_PARAM_MISSING (zoho-crm-api.md 2.1).
void TestSimZoho::fieldsIsRequired()
{
    SIM_VERIFY_ZOHO_ERROR(crmGet(kContactsPath), 400, "REQUIRED_PARAM_MISSING");
}

// At most 50 fields: 51 give 400 LIMIT_EXCEEDED {limit:50, param_name:"fields"}; 50 are not over the limit.
void TestSimZoho::fieldsAtMostFifty()
{
    const Response over = crmGet(kContactsPath, {{QStringLiteral("fields"), fieldList(51)}});
    SIM_VERIFY_ZOHO_ERROR(over, 400, "LIMIT_EXCEEDED");
    const QJsonObject details = over.json().value(QStringLiteral("details")).toObject();
    QCOMPARE(details.value(QStringLiteral("limit")).toVariant().toInt(), 50);
    QCOMPARE(details.value(QStringLiteral("param_name")).toString(), QStringLiteral("fields"));

    const Response fifty = crmGet(kContactsPath, {{QStringLiteral("fields"), fieldList(50)}});
    QVERIFY2(codeOf(fifty) != QLatin1String("LIMIT_EXCEEDED"), qPrintable(fifty.describe()));
    const Response real = crmGet(kContactsPath, {{QStringLiteral("fields"), fieldList(int(kContactFields.size()))}});
    SIM_VERIFY_STATUS(real, 200);
}

// An unknown module: 400 INVALID_MODULE (zoho-crm-api.md 2.1).
void TestSimZoho::invalidModule()
{
    SIM_VERIFY_ZOHO_ERROR(crmGet(QStringLiteral("/crm/v8/No_Such_Module?fields=Last_Name")), 400, "INVALID_MODULE");
}

// per_page 1–200, default 200; the envelope's info carries per_page, count, page and more_records.
void TestSimZoho::perPageAtMostTwoHundred()
{
    QString why;
    m_token = resetWith(simState(false, 450), &why);
    QVERIFY2(!m_token.isEmpty(), qPrintable(why));
    QVERIFY(allContacts().size() >= 450);

    const Response r = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name&per_page=200"));
    SIM_VERIFY_STATUS(r, 200);
    const QJsonObject o = r.json();
    QCOMPARE(o.value(QStringLiteral("data")).toArray().size(), 200);
    const QJsonObject info = o.value(QStringLiteral("info")).toObject();
    QCOMPARE(info.value(QStringLiteral("per_page")).toInt(), 200);
    QCOMPARE(info.value(QStringLiteral("count")).toInt(), 200);
    QCOMPARE(info.value(QStringLiteral("page")).toInt(), 1);
    QVERIFY2(info.value(QStringLiteral("more_records")).isBool() && info.value(QStringLiteral("more_records")).toBool(),
             qPrintable(r.describe()));

    const Response byDefault = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name"));
    SIM_VERIFY_STATUS(byDefault, 200);
    QCOMPARE(byDefault.json().value(QStringLiteral("data")).toArray().size(), 200);

    const Response small = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name&per_page=7"));
    QCOMPARE(small.json().value(QStringLiteral("data")).toArray().size(), 7);

    const Response tooMany = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name&per_page=201"));
    QVERIFY2(tooMany.status == 400 ||
                 (tooMany.status == 200 && tooMany.json().value(QStringLiteral("data")).toArray().size() <= 200),
             qPrintable(tooMany.describe()));
}

// page works only within the first 2000 records: page×per_page > 2000 gives 400
// DISCRETE_PAGINATION_LIMIT_EXCEEDED with details.limit 2000 (zoho-crm-api.md 2.1).
void TestSimZoho::pageOnlyWithinFirstTwoThousand()
{
    QString why;
    m_token = resetWith(simState(false, 2300), &why);
    QVERIFY2(!m_token.isEmpty(), qPrintable(why));
    QVERIFY(allContacts().size() >= 2300);

    const Response page10 = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name&per_page=200&page=10"));
    SIM_VERIFY_STATUS(page10, 200);
    QCOMPARE(page10.json().value(QStringLiteral("data")).toArray().size(), 200);

    const Response page11 = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name&per_page=200&page=11"));
    SIM_VERIFY_ZOHO_ERROR(page11, 400, "DISCRETE_PAGINATION_LIMIT_EXCEEDED");
    QCOMPARE(
        page11.json().value(QStringLiteral("details")).toObject().value(QStringLiteral("limit")).toVariant().toInt(),
        2000);

    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name&per_page=50&page=40")), 200);
    SIM_VERIFY_ZOHO_ERROR(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name&per_page=50&page=41")), 400,
                          "DISCRETE_PAGINATION_LIMIT_EXCEEDED");
}

// All 2,300+ records can be read: pages 1–10, then page_token = info.next_page_token until more_records is
// false; every id exactly once.
void TestSimZoho::walkAllRecordsWithPageThenPageToken()
{
    QString why;
    m_token = resetWith(simState(false, 2300), &why);
    QVERIFY2(!m_token.isEmpty(), qPrintable(why));
    const QStringList expected = idsOf(allContacts());
    QVERIFY(expected.size() >= 2300);

    QStringList seen;
    QString token;
    bool more = true;
    for (int page = 1; page <= 10 && more; ++page) {
        const Response r = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name&per_page=200&page=%1").arg(page));
        SIM_VERIFY_STATUS(r, 200);
        seen += idsOf(r.json().value(QStringLiteral("data")).toArray());
        const QJsonObject info = r.json().value(QStringLiteral("info")).toObject();
        more = info.value(QStringLiteral("more_records")).toBool();
        token = info.value(QStringLiteral("next_page_token")).toString();
    }
    QVERIFY2(more, "more_records must be true after 2000 of 2300+ records");
    QVERIFY2(!token.isEmpty(), "page 10 must carry info.next_page_token");
    QVERIFY2(token.size() <= 96, qPrintable(token));
    for (int round = 0; more && round < 100; ++round) {
        const Response r = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name&per_page=200"),
                                  {{QStringLiteral("page_token"), token}});
        SIM_VERIFY_STATUS(r, 200);
        seen += idsOf(r.json().value(QStringLiteral("data")).toArray());
        const QJsonObject info = r.json().value(QStringLiteral("info")).toObject();
        more = info.value(QStringLiteral("more_records")).toBool();
        token = info.value(QStringLiteral("next_page_token")).toString();
        QVERIFY2(!more || !token.isEmpty(), qPrintable(r.describe()));
    }
    QVERIFY(!more);
    QCOMPARE(seen.size(), expected.size());
    const QSet<QString> unique(seen.begin(), seen.end());
    QCOMPARE(unique.size(), seen.size()); // no id twice
    QCOMPARE(unique, QSet<QString>(expected.begin(), expected.end()));
}

// A page_token reused with altered parameters gives 400 TOKEN_BOUND_DATA_MISMATCH.
void TestSimZoho::pageTokenBoundToParameters()
{
    QString why;
    m_token = resetWith(simState(false, 500), &why);
    QVERIFY2(!m_token.isEmpty(), qPrintable(why));
    const Response first = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name&per_page=200"));
    SIM_VERIFY_STATUS(first, 200);
    const QString token =
        first.json().value(QStringLiteral("info")).toObject().value(QStringLiteral("next_page_token")).toString();
    QVERIFY2(!token.isEmpty(), qPrintable(first.describe()));

    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name&per_page=200"),
                             {{QStringLiteral("page_token"), token}}),
                      200);
    SIM_VERIFY_ZOHO_ERROR(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name&per_page=100"),
                                 {{QStringLiteral("page_token"), token}}),
                          400, "TOKEN_BOUND_DATA_MISMATCH");
    SIM_VERIFY_ZOHO_ERROR(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name,Email&per_page=200"),
                                 {{QStringLiteral("page_token"), token}}),
                          400, "TOKEN_BOUND_DATA_MISMATCH");
}

// sort_by (id | Modified_Time) and sort_order (asc | desc) order the answer.
void TestSimZoho::sortByAndSortOrder()
{
    QString why;
    m_token = resetWith(simState(false, 40), &why);
    QVERIFY2(!m_token.isEmpty(), qPrintable(why));
    QStringList ids = idsOf(allContacts());
    QVERIFY(ids.size() >= 40);
    std::sort(ids.begin(), ids.end(), zohoIdLess);
    // The smallest id becomes the most recently modified.
    QVERIFY(m_api.advanceClock(30).status / 100 == 2);
    QVERIFY(m_api.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + ids.first(),
                          QJsonObject{{QStringLiteral("Title"), QStringLiteral("Moved to the end")}})
                    .status /
                100 ==
            2);

    const auto fetch = [this](const QString& by, const QString& order) {
        return crmGet(
            kContactsPath +
            QStringLiteral("?fields=Last_Name,Modified_Time&per_page=200&sort_by=%1&sort_order=%2").arg(by, order));
    };
    const Response modAsc = fetch(QStringLiteral("Modified_Time"), QStringLiteral("asc"));
    SIM_VERIFY_STATUS(modAsc, 200);
    const QJsonArray asc = modAsc.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(asc.size(), ids.size());
    for (int i = 1; i < asc.size(); ++i) {
        const QDateTime a = parseIso(asc[i - 1].toObject().value(QStringLiteral("Modified_Time")).toString());
        const QDateTime b = parseIso(asc[i].toObject().value(QStringLiteral("Modified_Time")).toString());
        QVERIFY2(a.isValid() && b.isValid() && a <= b, qPrintable(QStringLiteral("not ascending at %1").arg(i)));
    }
    QCOMPARE(idString(asc.last().toObject().value(QStringLiteral("id"))), ids.first());

    const Response modDesc = fetch(QStringLiteral("Modified_Time"), QStringLiteral("desc"));
    const QJsonArray desc = modDesc.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(desc.size(), ids.size());
    QCOMPARE(idString(desc.first().toObject().value(QStringLiteral("id"))), ids.first());
    for (int i = 1; i < desc.size(); ++i) {
        const QDateTime a = parseIso(desc[i - 1].toObject().value(QStringLiteral("Modified_Time")).toString());
        const QDateTime b = parseIso(desc[i].toObject().value(QStringLiteral("Modified_Time")).toString());
        QVERIFY2(a >= b, qPrintable(QStringLiteral("not descending at %1").arg(i)));
    }

    const QStringList idAsc =
        idsOf(fetch(QStringLiteral("id"), QStringLiteral("asc")).json().value(QStringLiteral("data")).toArray());
    QCOMPARE(idAsc, ids);
    QStringList reversed = ids;
    std::reverse(reversed.begin(), reversed.end());
    const QStringList idDesc =
        idsOf(fetch(QStringLiteral("id"), QStringLiteral("desc")).json().value(QStringLiteral("data")).toArray());
    QCOMPARE(idDesc, reversed);
}

// ids= returns exactly the records asked for.
void TestSimZoho::idsReturnsExactlyThoseRecords()
{
    const QStringList all = idsOf(allContacts());
    QVERIFY(all.size() >= 10);
    const QStringList wanted{all.at(1), all.at(5), all.at(all.size() - 1)};
    const Response r = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name"),
                              {{QStringLiteral("ids"), wanted.join(QLatin1Char(','))}});
    SIM_VERIFY_STATUS(r, 200);
    const QStringList got = idsOf(r.json().value(QStringLiteral("data")).toArray());
    QCOMPARE(QSet<QString>(got.begin(), got.end()), QSet<QString>(wanted.begin(), wanted.end()));
    QCOMPARE(got.size(), wanted.size());
}

// If-Modified-Since is inclusive: a record whose Modified_Time equals the header is returned, nothing older;
// nothing changed since → 304 with an empty body (default) (zoho-crm-api.md 2.1).
void TestSimZoho::ifModifiedSinceIsInclusiveAnd304()
{
    const QStringList all = idsOf(allContacts());
    QVERIFY(!all.isEmpty());
    const QString id = all.at(all.size() / 2);
    QVERIFY(m_api.advanceClock(60).status / 100 == 2);
    QVERIFY(m_api.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + id,
                          QJsonObject{{QStringLiteral("Phone"), QStringLiteral("+44 20 7946 0000")}})
                    .status /
                100 ==
            2);
    const QString stamp = controlContact(id).value(QStringLiteral("Modified_Time")).toString();
    const QDateTime modified = parseIso(stamp);
    QVERIFY2(isIsoWithOffset(stamp), qPrintable(stamp));

    const Response r = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name,Modified_Time"), {},
                              {{"If-Modified-Since", stamp.toUtf8()}});
    SIM_VERIFY_STATUS(r, 200);
    const QJsonArray data = r.json().value(QStringLiteral("data")).toArray();
    QVERIFY2(idsOf(data).contains(id), "the record modified exactly at If-Modified-Since must be returned");
    for (const QJsonValue& v : data) {
        const QDateTime t = parseIso(v.toObject().value(QStringLiteral("Modified_Time")).toString());
        QVERIFY2(t >= modified,
                 qPrintable(QStringLiteral("record modified before the header: ") + t.toString(Qt::ISODate)));
    }
    QVERIFY(data.size() < all.size());

    const QString later = isoAt(modified.addSecs(1));
    const Response none = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name,Modified_Time"), {},
                                 {{"If-Modified-Since", later.toUtf8()}});
    SIM_VERIFY_STATUS(none, 304);
    QVERIFY2(none.body.isEmpty(), qPrintable(none.describe()));
}

// --zoho-no-change-status 204 answers 204 (empty body) instead of 304 when nothing changed.
void TestSimZoho::ifModifiedSinceNoChange204Flag()
{
    Core::SimulatorLauncher launcher;
    QString why;
    const QUrl base = startSimulator(
        launcher, {QStringLiteral("--demo"), QStringLiteral("--zoho-no-change-status"), QStringLiteral("204")}, &why);
    QVERIFY2(base.isValid(), qPrintable(why));
    Client api(base);
    const QString token = api.zohoAccessToken(kZohoRefreshToken, &why);
    QVERIFY2(!token.isEmpty(), qPrintable(why));
    const QJsonArray contacts = listOf(api.control("GET", QStringLiteral("/_sim/zoho/Contacts")));
    QDateTime newest;
    for (const QJsonValue& v : contacts)
        newest = std::max(newest, parseIso(v.toObject().value(QStringLiteral("Modified_Time")).toString()));
    QVERIFY(newest.isValid());
    const Response r =
        api.get(kContactsPath + QStringLiteral("?fields=Last_Name"),
                {{"Authorization", zohoAuth(token)}, {"If-Modified-Since", isoAt(newest.addSecs(60)).toUtf8()}});
    SIM_VERIFY_STATUS(r, 204);
    QVERIFY(r.body.isEmpty());
    launcher.stop();
}

// A module without records answers 204 with an empty body.
void TestSimZoho::emptyModuleIs204()
{
    QString why;
    m_token = resetWith(simState(false, 0), &why);
    QVERIFY2(!m_token.isEmpty(), qPrintable(why));
    QCOMPARE(allContacts().size(), 0);
    const Response r = crmGet(kContactsPath + QStringLiteral("?fields=Last_Name"));
    SIM_VERIFY_STATUS(r, 204);
    QVERIFY(r.body.isEmpty());
}

// Record shape (zoho-crm-api.md summary 4): digit-string ids, ISO-8601 times with offset, Owner {name,id,email},
// Contact Account_Name {name,id}; Accounts' Account_Name is a plain string and the zip is Billing_Code; only the
// asked-for fields (plus id and $-keys) come back.
void TestSimZoho::recordShape()
{
    const QStringList asked{QStringLiteral("Last_Name"),    QStringLiteral("Owner"),
                            QStringLiteral("Created_Time"), QStringLiteral("Modified_Time"),
                            QStringLiteral("Account_Name"), QStringLiteral("Mailing_Zip")};
    const Response r = crmGet(kContactsPath + QStringLiteral("?per_page=200&fields=") + asked.join(QLatin1Char(',')));
    SIM_VERIFY_STATUS(r, 200);
    const QJsonArray data = r.json().value(QStringLiteral("data")).toArray();
    QVERIFY(!data.isEmpty());
    int withAccount = 0;
    for (const QJsonValue& v : data) {
        const QJsonObject rec = v.toObject();
        QVERIFY2(rec.value(QStringLiteral("id")).isString() && isDigits(rec.value(QStringLiteral("id")).toString()),
                 qPrintable(QString::fromUtf8(toJson(rec))));
        QVERIFY2(isIsoWithOffset(rec.value(QStringLiteral("Created_Time")).toString()),
                 qPrintable(QString::fromUtf8(toJson(rec))));
        QVERIFY2(isIsoWithOffset(rec.value(QStringLiteral("Modified_Time")).toString()),
                 qPrintable(QString::fromUtf8(toJson(rec))));
        const QJsonObject owner = rec.value(QStringLiteral("Owner")).toObject();
        QVERIFY2(owner.value(QStringLiteral("name")).isString() && owner.value(QStringLiteral("id")).isString() &&
                     owner.value(QStringLiteral("email")).isString(),
                 qPrintable(QString::fromUtf8(toJson(rec))));
        const QJsonValue account = rec.value(QStringLiteral("Account_Name"));
        if (!account.isNull() && !account.isUndefined()) {
            QVERIFY2(account.isObject() && account.toObject().value(QStringLiteral("name")).isString() &&
                         account.toObject().value(QStringLiteral("id")).isString(),
                     qPrintable(QString::fromUtf8(toJson(rec))));
            ++withAccount;
        }
        for (auto it = rec.begin(); it != rec.end(); ++it) {
            QVERIFY2(it.key() == QLatin1String("id") || it.key().startsWith(QLatin1Char('$')) ||
                         asked.contains(it.key()),
                     qPrintable(QStringLiteral("field not asked for: ") + it.key()));
        }
    }
    QVERIFY2(withAccount > 0, "some demo contacts belong to an account");

    const Response accounts =
        crmGet(QStringLiteral("/crm/v8/Accounts?per_page=200&fields=Account_Name,Billing_Code,Billing_Country"));
    SIM_VERIFY_STATUS(accounts, 200);
    int withZip = 0;
    for (const QJsonValue& v : accounts.json().value(QStringLiteral("data")).toArray()) {
        const QJsonObject rec = v.toObject();
        QVERIFY2(rec.value(QStringLiteral("Account_Name")).isString(), qPrintable(QString::fromUtf8(toJson(rec))));
        withZip += rec.value(QStringLiteral("Billing_Code")).isString() ? 1 : 0;
    }
    QVERIFY2(withZip > 0, "Accounts carry their zip as Billing_Code");
}

// ---- GET one, writes ----------------------------------------------------------------------------------------

// GET /{Module}/{id} → {"data":[exactly that record]}; unknown id → 204; malformed id → 400 INVALID_DATA.
void TestSimZoho::getOneRecord()
{
    const QStringList all = idsOf(allContacts());
    QVERIFY(!all.isEmpty());
    const Response r = crmGet(kContactsPath + QLatin1Char('/') + all.first());
    SIM_VERIFY_STATUS(r, 200);
    const QJsonArray data = r.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(data.size(), 1);
    QCOMPARE(idString(data.first().toObject().value(QStringLiteral("id"))), all.first());
    QVERIFY(!data.first().toObject().value(QStringLiteral("Last_Name")).toString().isEmpty());

    const Response unknown = crmGet(kContactsPath + QStringLiteral("/111111111111111111"));
    SIM_VERIFY_STATUS(unknown, 204);
    QVERIFY(unknown.body.isEmpty());
    SIM_VERIFY_ZOHO_ERROR(crmGet(kContactsPath + QStringLiteral("/not-an-id")), 400, "INVALID_DATA");
}

// POST /{Module} creates: 201, data[i] = {code:SUCCESS, details:{id,…}, message:"record added", status:"success"}.
void TestSimZoho::createRecords201()
{
    const int before = allContacts().size();
    const QJsonObject body{{QStringLiteral("data"),
                            QJsonArray{QJsonObject{{QStringLiteral("Last_Name"), QStringLiteral("Created One")},
                                                   {QStringLiteral("Email"), QStringLiteral("one@example.com")}},
                                       QJsonObject{{QStringLiteral("Last_Name"), QStringLiteral("Created Two")}}}}};
    const Response r = crmSend("POST", kContactsPath, body);
    SIM_VERIFY_STATUS(r, 201);
    const QJsonArray items = r.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(items.size(), 2);
    QStringList newIds;
    for (const QJsonValue& v : items) {
        const QJsonObject item = v.toObject();
        QCOMPARE(item.value(QStringLiteral("code")).toString(), QStringLiteral("SUCCESS"));
        QCOMPARE(item.value(QStringLiteral("status")).toString(), QStringLiteral("success"));
        QCOMPARE(item.value(QStringLiteral("message")).toString(), QStringLiteral("record added"));
        const QString id = item.value(QStringLiteral("details")).toObject().value(QStringLiteral("id")).toString();
        QVERIFY2(isDigits(id), qPrintable(r.describe()));
        newIds << id;
    }
    QCOMPARE(allContacts().size(), before + 2);
    QCOMPARE(controlContact(newIds.at(0)).value(QStringLiteral("Email")).toString(), QStringLiteral("one@example.com"));
}

// PUT /{Module}/{id} and PUT /{Module} update: 200, message "record updated", visible in the control API.
void TestSimZoho::updateRecords200()
{
    const QStringList all = idsOf(allContacts());
    QVERIFY(all.size() >= 2);
    const Response one =
        crmSend("PUT", kContactsPath + QLatin1Char('/') + all.at(0),
                QJsonObject{{QStringLiteral("data"),
                             QJsonArray{QJsonObject{{QStringLiteral("Phone"), QStringLiteral("+1 555 0100")}}}}});
    SIM_VERIFY_STATUS(one, 200);
    const QJsonObject item = one.json().value(QStringLiteral("data")).toArray().first().toObject();
    QCOMPARE(item.value(QStringLiteral("code")).toString(), QStringLiteral("SUCCESS"));
    QCOMPARE(item.value(QStringLiteral("message")).toString(), QStringLiteral("record updated"));
    QCOMPARE(item.value(QStringLiteral("details")).toObject().value(QStringLiteral("id")).toString(), all.at(0));
    QCOMPARE(controlContact(all.at(0)).value(QStringLiteral("Phone")).toString(), QStringLiteral("+1 555 0100"));

    const Response many =
        crmSend("PUT", kContactsPath,
                QJsonObject{{QStringLiteral("data"),
                             QJsonArray{QJsonObject{{QStringLiteral("id"), all.at(1)},
                                                    {QStringLiteral("Title"), QStringLiteral("CFO")}}}}});
    SIM_VERIFY_STATUS(many, 200);
    QCOMPARE(controlContact(all.at(1)).value(QStringLiteral("Title")).toString(), QStringLiteral("CFO"));
}

// Per-record errors inside data[] with details.api_name: mixed → 207 in input order; all failed → 400.
void TestSimZoho::mixedWrite207AndAllFailed400()
{
    const int before = allContacts().size();
    const QJsonObject mixed{{QStringLiteral("data"),
                             QJsonArray{QJsonObject{{QStringLiteral("Last_Name"), QStringLiteral("Good")}},
                                        QJsonObject{{QStringLiteral("First_Name"), QStringLiteral("No last name")}}}}};
    const Response r = crmSend("POST", kContactsPath, mixed);
    SIM_VERIFY_STATUS(r, 207);
    const QJsonArray items = r.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(items.size(), 2);
    QCOMPARE(items.at(0).toObject().value(QStringLiteral("status")).toString(), QStringLiteral("success"));
    const QJsonObject bad = items.at(1).toObject();
    QCOMPARE(bad.value(QStringLiteral("status")).toString(), QStringLiteral("error"));
    QCOMPARE(bad.value(QStringLiteral("code")).toString(), QStringLiteral("MANDATORY_NOT_FOUND"));
    QCOMPARE(bad.value(QStringLiteral("details")).toObject().value(QStringLiteral("api_name")).toString(),
             QStringLiteral("Last_Name"));
    QVERIFY(bad.value(QStringLiteral("message")).isString());
    QCOMPARE(allContacts().size(), before + 1);

    const QJsonObject allBad{
        {QStringLiteral("data"), QJsonArray{QJsonObject{{QStringLiteral("First_Name"), QStringLiteral("A")}},
                                            QJsonObject{{QStringLiteral("First_Name"), QStringLiteral("B")}}}}};
    const Response failed = crmSend("POST", kContactsPath, allBad);
    SIM_VERIFY_STATUS(failed, 400);
    const QJsonArray errors = failed.json().value(QStringLiteral("data")).toArray();
    QCOMPARE(errors.size(), 2);
    for (const QJsonValue& v : errors) {
        QCOMPARE(v.toObject().value(QStringLiteral("status")).toString(), QStringLiteral("error"));
        QCOMPARE(v.toObject().value(QStringLiteral("details")).toObject().value(QStringLiteral("api_name")).toString(),
                 QStringLiteral("Last_Name"));
    }
    QCOMPARE(allContacts().size(), before + 1);
}

// At most 100 records per write call; 101 are refused and nothing is written.
void TestSimZoho::writeAtMostHundredRecords()
{
    const int before = allContacts().size();
    QJsonArray records;
    for (int i = 0; i < 101; ++i)
        records.append(QJsonObject{{QStringLiteral("Last_Name"), QStringLiteral("Bulk %1").arg(i)}});
    const Response r = crmSend("POST", kContactsPath, QJsonObject{{QStringLiteral("data"), records}});
    SIM_VERIFY_STATUS(r, 400);
    QCOMPARE(allContacts().size(), before);
    records.removeLast();
    SIM_VERIFY_STATUS(crmSend("POST", kContactsPath, QJsonObject{{QStringLiteral("data"), records}}), 201);
    QCOMPARE(allContacts().size(), before + 100);
}

// POST /{Module}/upsert with duplicate_check_fields: an existing Email updates (action "update",
// duplicate_field "Email"), a new one inserts (action "insert").
void TestSimZoho::upsertInsertsAndUpdates()
{
    QString existingId;
    QString existingEmail;
    for (const QJsonValue& v : allContacts()) {
        const QString email = v.toObject().value(QStringLiteral("Email")).toString();
        if (!email.isEmpty()) {
            existingId = idString(v.toObject().value(QStringLiteral("id")));
            existingEmail = email;
            break;
        }
    }
    QVERIFY(!existingId.isEmpty());
    const int before = allContacts().size();

    const auto upsert = [this](const QString& email, const QString& lastName) {
        return crmSend(
            "POST", kContactsPath + QStringLiteral("/upsert"),
            QJsonObject{{QStringLiteral("data"), QJsonArray{QJsonObject{{QStringLiteral("Email"), email},
                                                                        {QStringLiteral("Last_Name"), lastName}}}},
                        {QStringLiteral("duplicate_check_fields"), QJsonArray{QStringLiteral("Email")}}});
    };
    const Response updated = upsert(existingEmail, QStringLiteral("Upserted"));
    QVERIFY2(updated.status == 200 || updated.status == 201, qPrintable(updated.describe()));
    const QJsonObject u = updated.json().value(QStringLiteral("data")).toArray().first().toObject();
    QCOMPARE(u.value(QStringLiteral("code")).toString(), QStringLiteral("SUCCESS"));
    QCOMPARE(u.value(QStringLiteral("action")).toString(), QStringLiteral("update"));
    QCOMPARE(u.value(QStringLiteral("duplicate_field")).toString(), QStringLiteral("Email"));
    QCOMPARE(u.value(QStringLiteral("message")).toString(), QStringLiteral("record updated"));
    QCOMPARE(u.value(QStringLiteral("details")).toObject().value(QStringLiteral("id")).toString(), existingId);
    QCOMPARE(controlContact(existingId).value(QStringLiteral("Last_Name")).toString(), QStringLiteral("Upserted"));
    QCOMPARE(allContacts().size(), before);

    const Response inserted = upsert(QStringLiteral("brand.new@example.com"), QStringLiteral("Inserted"));
    QVERIFY2(inserted.status == 200 || inserted.status == 201, qPrintable(inserted.describe()));
    const QJsonObject i = inserted.json().value(QStringLiteral("data")).toArray().first().toObject();
    QCOMPARE(i.value(QStringLiteral("action")).toString(), QStringLiteral("insert"));
    QCOMPARE(i.value(QStringLiteral("message")).toString(), QStringLiteral("record added"));
    QCOMPARE(allContacts().size(), before + 1);
}

// A write through the API fires callbacks like a control edit.
void TestSimZoho::apiWriteFiresCallback()
{
    CallbackReceiver rx;
    QVERIFY(rx.listening());
    const Response sub = crmSend(
        "POST", kWatchPath,
        watchBody(subscription(1000000071001, {QStringLiteral("Contacts.all")}, rx.url(QStringLiteral("api")))));
    SIM_VERIFY_STATUS(sub, 201);
    const QString id = idsOf(allContacts()).first();
    SIM_VERIFY_STATUS(
        crmSend("PUT", kContactsPath + QLatin1Char('/') + id,
                QJsonObject{{QStringLiteral("data"),
                             QJsonArray{QJsonObject{{QStringLiteral("Phone"), QStringLiteral("+1 555 0199")}}}}}),
        200);
    QTRY_VERIFY_WITH_TIMEOUT(rx.count(QStringLiteral("api")) >= 1, kTimeoutMs);
    const QJsonObject cb = rx.of(QStringLiteral("api")).first().json;
    QCOMPARE(cb.value(QStringLiteral("operation")).toString(), QStringLiteral("update"));
    QVERIFY(cb.value(QStringLiteral("ids")).toArray().contains(QJsonValue(id)));
}

// ---- Notifications ------------------------------------------------------------------------------------------

// POST /actions/watch enables: 201, {watch:[{code:SUCCESS, status:success, message, details:{events:[
// {channel_id (string), channel_expiry, resource_uri, resource_name, resource_id}]}}]} (zoho-crm-api.md 3.1).
void TestSimZoho::watchEnable()
{
    CallbackReceiver rx;
    const Response r =
        crmSend("POST", kWatchPath,
                watchBody(subscription(1000000068001, {QStringLiteral("Contacts.all")}, rx.url(QStringLiteral("w")))));
    SIM_VERIFY_STATUS(r, 201);
    const QJsonArray watch = r.json().value(QStringLiteral("watch")).toArray();
    QCOMPARE(watch.size(), 1);
    const QJsonObject item = watch.first().toObject();
    QCOMPARE(item.value(QStringLiteral("code")).toString(), QStringLiteral("SUCCESS"));
    QCOMPARE(item.value(QStringLiteral("status")).toString(), QStringLiteral("success"));
    QCOMPARE(item.value(QStringLiteral("message")).toString(), kSubscribed);
    const QJsonArray events =
        item.value(QStringLiteral("details")).toObject().value(QStringLiteral("events")).toArray();
    QCOMPARE(events.size(), 1); // one entry per module
    const QJsonObject ev = events.first().toObject();
    QVERIFY2(ev.value(QStringLiteral("channel_id")).isString(), qPrintable(r.describe()));
    QCOMPARE(ev.value(QStringLiteral("channel_id")).toString(), QStringLiteral("1000000068001"));
    QVERIFY2(isIsoWithOffset(ev.value(QStringLiteral("channel_expiry")).toString()), qPrintable(r.describe()));
    QCOMPARE(ev.value(QStringLiteral("resource_name")).toString(), QStringLiteral("Contacts"));
    QVERIFY2(ev.value(QStringLiteral("resource_uri")).toString().endsWith(QLatin1String("/Contacts")),
             qPrintable(r.describe()));
    QVERIFY2(ev.value(QStringLiteral("resource_id")).isString(), qPrintable(r.describe()));
}

// channel_expiry defaults to 1 h; up to 1 week is kept; a longer value silently falls back to 1 h.
void TestSimZoho::watchExpiryDefaultAndMaximum()
{
    CallbackReceiver rx;
    const QDateTime now = simNow();
    QVERIFY(now.isValid());
    const auto expiryOf = [](const Response& r) {
        return parseIso(r.json()
                            .value(QStringLiteral("watch"))
                            .toArray()
                            .first()
                            .toObject()
                            .value(QStringLiteral("details"))
                            .toObject()
                            .value(QStringLiteral("events"))
                            .toArray()
                            .first()
                            .toObject()
                            .value(QStringLiteral("channel_expiry"))
                            .toString());
    };
    const Response byDefault =
        crmSend("POST", kWatchPath,
                watchBody(subscription(1000000068101, {QStringLiteral("Contacts.all")}, rx.url(QStringLiteral("a")))));
    SIM_VERIFY_STATUS(byDefault, 201);
    const qint64 defaultSecs = now.secsTo(expiryOf(byDefault));
    QVERIFY2(defaultSecs >= 3600 - 300 && defaultSecs <= 3600 + 300,
             qPrintable(QStringLiteral("default expiry is %1 s after now").arg(defaultSecs)));

    QJsonObject sixDays = subscription(1000000068102, {QStringLiteral("Contacts.all")}, rx.url(QStringLiteral("b")));
    const QDateTime wanted = now.addDays(6);
    sixDays.insert(QStringLiteral("channel_expiry"), isoAt(wanted));
    const Response kept = crmSend("POST", kWatchPath, watchBody(sixDays));
    SIM_VERIFY_STATUS(kept, 201);
    QVERIFY2(qAbs(expiryOf(kept).secsTo(wanted)) <= 1, qPrintable(kept.describe()));

    QJsonObject eightDays = subscription(1000000068103, {QStringLiteral("Contacts.all")}, rx.url(QStringLiteral("c")));
    eightDays.insert(QStringLiteral("channel_expiry"), isoAt(now.addDays(8)));
    const Response tooLong = crmSend("POST", kWatchPath, watchBody(eightDays));
    SIM_VERIFY_STATUS(tooLong, 201);
    const qint64 fallbackSecs = now.secsTo(expiryOf(tooLong));
    QVERIFY2(fallbackSecs >= 3600 - 300 && fallbackSecs <= 3600 + 300,
             qPrintable(QStringLiteral("a too long expiry became %1 s after now").arg(fallbackSecs)));
}

// token ≤ 50 characters; 51 → 400 INVALID_DATA.
void TestSimZoho::watchTokenAtMostFiftyChars()
{
    CallbackReceiver rx;
    QJsonObject ok = subscription(1000000068201, {QStringLiteral("Contacts.all")}, rx.url(QStringLiteral("t")));
    ok.insert(QStringLiteral("token"), QString(50, QLatin1Char('x')));
    SIM_VERIFY_STATUS(crmSend("POST", kWatchPath, watchBody(ok)), 201);

    QJsonObject tooLong = subscription(1000000068202, {QStringLiteral("Contacts.all")}, rx.url(QStringLiteral("t")));
    tooLong.insert(QStringLiteral("token"), QString(51, QLatin1Char('x')));
    const Response r = crmSend("POST", kWatchPath, watchBody(tooLong));
    SIM_VERIFY_STATUS(r, 400);
    QCOMPARE(codeOf(r), QStringLiteral("INVALID_DATA"));
}

// GET lists (204 when none), PUT replaces (rest removed) and can extend the expiry, PATCH updates partially or
// removes events with _delete_events, DELETE ?channel_ids= unsubscribes.
void TestSimZoho::watchGetPutPatchDelete()
{
    CallbackReceiver rx;
    const qint64 channel = 1000000068301;
    const QString channelText = QString::number(channel);
    const Response none = crmGet(kWatchPath);
    SIM_VERIFY_STATUS(none, 204);

    SIM_VERIFY_STATUS(
        crmSend("POST", kWatchPath,
                watchBody(subscription(channel, {QStringLiteral("Contacts.all")}, rx.url(QStringLiteral("one"))))),
        201);
    // Events, notify_url and expiry of our channel as GET shows them.
    struct Listed
    {
        QSet<QString> events;
        QString notifyUrl;
        QDateTime expiry;
        bool found = false;
    };
    const auto listed = [&]() {
        Listed out;
        const Response r = crmGet(kWatchPath);
        const QJsonObject o = r.json();
        for (const QJsonValue& v : o.value(QStringLiteral("watch")).toArray()) {
            const QJsonObject w = v.toObject();
            if (idString(w.value(QStringLiteral("channel_id"))) != channelText)
                continue;
            out.found = true;
            for (const QJsonValue& e : w.value(QStringLiteral("events")).toArray())
                out.events.insert(e.toString());
            if (w.value(QStringLiteral("notify_url")).isString())
                out.notifyUrl = w.value(QStringLiteral("notify_url")).toString();
            if (w.value(QStringLiteral("channel_expiry")).isString())
                out.expiry = parseIso(w.value(QStringLiteral("channel_expiry")).toString());
        }
        return out;
    };

    const Response got = crmGet(kWatchPath);
    SIM_VERIFY_STATUS(got, 200);
    const QJsonObject info = got.json().value(QStringLiteral("info")).toObject();
    QVERIFY2(info.value(QStringLiteral("count")).isDouble() && info.value(QStringLiteral("per_page")).isDouble() &&
                 info.value(QStringLiteral("page")).isDouble() && info.value(QStringLiteral("more_records")).isBool(),
             qPrintable(got.describe()));
    Listed l = listed();
    QVERIFY(l.found);
    QCOMPARE(l.events, QSet<QString>{QStringLiteral("Contacts.all")});
    QCOMPARE(l.notifyUrl, rx.url(QStringLiteral("one")));

    // PUT: replaces every detail, new expiry kept.
    const QDateTime newExpiry = simNow().addDays(2);
    QJsonObject put = subscription(channel, {QStringLiteral("Contacts.edit")}, rx.url(QStringLiteral("two")));
    put.insert(QStringLiteral("channel_expiry"), isoAt(newExpiry));
    const Response putR = crmSend("PUT", kWatchPath, watchBody(put));
    SIM_VERIFY_STATUS(putR, 200);
    QCOMPARE(putR.json()
                 .value(QStringLiteral("watch"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("message"))
                 .toString(),
             kUpdated);
    l = listed();
    QCOMPARE(l.events, QSet<QString>{QStringLiteral("Contacts.edit")});
    QCOMPARE(l.notifyUrl, rx.url(QStringLiteral("two")));
    QVERIFY2(l.expiry.isValid() && qAbs(l.expiry.secsTo(newExpiry)) <= 1, qPrintable(l.expiry.toString(Qt::ISODate)));

    // PATCH: partial; what is not sent stays.
    const QJsonObject patch{{QStringLiteral("channel_id"), channel},
                            {QStringLiteral("events"), QJsonArray{QStringLiteral("Accounts.all")}}};
    const Response patchR = crmSend("PATCH", kWatchPath, watchBody(patch));
    SIM_VERIFY_STATUS(patchR, 200);
    QCOMPARE(patchR.json()
                 .value(QStringLiteral("watch"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("message"))
                 .toString(),
             kUpdated);
    l = listed();
    QCOMPARE(l.events, (QSet<QString>{QStringLiteral("Contacts.edit"), QStringLiteral("Accounts.all")}));
    QCOMPARE(l.notifyUrl, rx.url(QStringLiteral("two")));

    // PATCH with _delete_events removes just those events.
    QJsonObject remove = patch;
    remove.insert(QStringLiteral("_delete_events"), true);
    const Response removeR = crmSend("PATCH", kWatchPath, watchBody(remove));
    SIM_VERIFY_STATUS(removeR, 200);
    QCOMPARE(removeR.json()
                 .value(QStringLiteral("watch"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("message"))
                 .toString(),
             kRemoved);
    l = listed();
    QCOMPARE(l.events, QSet<QString>{QStringLiteral("Contacts.edit")});

    // DELETE ?channel_ids= unsubscribes.
    const Response del =
        m_api.send("DELETE", kWatchPath, {{QStringLiteral("channel_ids"), channelText}}, {}, authHeaders());
    SIM_VERIFY_STATUS(del, 200);
    QCOMPARE(del.json()
                 .value(QStringLiteral("watch"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("message"))
                 .toString(),
             kUnsubscribed);
    SIM_VERIFY_STATUS(crmGet(kWatchPath), 204);
}

// The callback body (zoho-crm-api.md 3.3): server_time (ms), query_params (the notify_url's query), module,
// resource_uri (…/crm/v2/Contacts by default), ids[], affected_fields [{id:[fields]}], operation, channel_id
// (string) and token.
void TestSimZoho::callbackBody()
{
    CallbackReceiver rx;
    QJsonObject sub = subscription(1000000068401, {QStringLiteral("Contacts.all")},
                                   rx.url(QStringLiteral("body"), QStringLiteral("key1=val1&authorization=s3cret")));
    sub.insert(QStringLiteral("token"), QStringLiteral("TOKEN_FOR_VERIFICATION"));
    SIM_VERIFY_STATUS(crmSend("POST", kWatchPath, watchBody(sub)), 201);
    const QString id = idsOf(allContacts()).at(3);
    QVERIFY(m_api.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + id,
                          QJsonObject{{QStringLiteral("Phone"), QStringLiteral("+49 89 1234567")}})
                    .status /
                100 ==
            2);
    QTRY_VERIFY_WITH_TIMEOUT(rx.count(QStringLiteral("body")) >= 1, kTimeoutMs);
    const CallbackReceiver::Hit hit = rx.of(QStringLiteral("body")).first();
    QCOMPARE(hit.method, QByteArrayLiteral("POST"));
    QVERIFY2(hit.jsonOk, hit.body.constData());
    const QJsonObject cb = hit.json;

    QVERIFY2(cb.value(QStringLiteral("server_time")).isDouble(), hit.body.constData());
    const qint64 serverTime = qint64(cb.value(QStringLiteral("server_time")).toDouble());
    const QDateTime modified = parseIso(controlContact(id).value(QStringLiteral("Modified_Time")).toString());
    QVERIFY2(qAbs(serverTime - modified.toMSecsSinceEpoch()) < 10 * 60 * 1000,
             qPrintable(QStringLiteral("server_time %1 is not epoch ms near %2")
                            .arg(serverTime)
                            .arg(modified.toString(Qt::ISODate))));
    QCOMPARE(cb.value(QStringLiteral("module")).toString(), QStringLiteral("Contacts"));
    QVERIFY2(cb.value(QStringLiteral("resource_uri")).toString().endsWith(QLatin1String("/crm/v2/Contacts")),
             hit.body.constData());
    QCOMPARE(cb.value(QStringLiteral("ids")).toArray(), QJsonArray{id});
    QCOMPARE(cb.value(QStringLiteral("operation")).toString(), QStringLiteral("update"));
    QVERIFY2(cb.value(QStringLiteral("channel_id")).isString(), hit.body.constData());
    QCOMPARE(cb.value(QStringLiteral("channel_id")).toString(), QStringLiteral("1000000068401"));
    QCOMPARE(cb.value(QStringLiteral("token")).toString(), QStringLiteral("TOKEN_FOR_VERIFICATION"));
    const QJsonObject query = cb.value(QStringLiteral("query_params")).toObject();
    QCOMPARE(query.value(QStringLiteral("key1")).toString(), QStringLiteral("val1"));
    QCOMPARE(query.value(QStringLiteral("authorization")).toString(), QStringLiteral("s3cret"));
    QVERIFY2(cb.value(QStringLiteral("affected_fields")).isArray(), hit.body.constData());
    bool phoneListed = false;
    for (const QJsonValue& v : cb.value(QStringLiteral("affected_fields")).toArray()) {
        const QJsonArray fields = v.toObject().value(id).toArray();
        phoneListed = phoneListed || fields.contains(QJsonValue(QStringLiteral("Phone")));
    }
    QVERIFY2(phoneListed, hit.body.constData());
    // The delivery is on record.
    const Response log = m_api.control("GET", QStringLiteral("/_sim/callbacks"));
    QVERIFY2(log.body.contains("1000000068401"), qPrintable(log.describe()));
}

// Creating gives operation "insert", deleting gives "delete" (with the id).
void TestSimZoho::callbackInsertAndDelete()
{
    CallbackReceiver rx;
    SIM_VERIFY_STATUS(crmSend("POST", kWatchPath,
                              watchBody(subscription(1000000068501, {QStringLiteral("Contacts.all")},
                                                     rx.url(QStringLiteral("ops"))))),
                      201);
    const Response created =
        m_api.control("POST", QStringLiteral("/_sim/zoho/Contacts"),
                      QJsonObject{{QStringLiteral("Last_Name"), QStringLiteral("Inserted Later")}});
    QVERIFY2(created.status / 100 == 2, qPrintable(created.describe()));
    const QString id = idString(findKey(created.json(), QStringLiteral("id")));
    QVERIFY(!id.isEmpty());
    QTRY_VERIFY_WITH_TIMEOUT(rx.count(QStringLiteral("ops")) >= 1, kTimeoutMs);
    QCOMPARE(rx.of(QStringLiteral("ops")).at(0).json.value(QStringLiteral("operation")).toString(),
             QStringLiteral("insert"));
    QCOMPARE(rx.of(QStringLiteral("ops")).at(0).json.value(QStringLiteral("ids")).toArray(), QJsonArray{id});

    QVERIFY(m_api.control("DELETE", QStringLiteral("/_sim/zoho/Contacts/") + id).status / 100 == 2);
    QTRY_VERIFY_WITH_TIMEOUT(rx.count(QStringLiteral("ops")) >= 2, kTimeoutMs);
    QCOMPARE(rx.of(QStringLiteral("ops")).at(1).json.value(QStringLiteral("operation")).toString(),
             QStringLiteral("delete"));
    QCOMPARE(rx.of(QStringLiteral("ops")).at(1).json.value(QStringLiteral("ids")).toArray(), QJsonArray{id});
}

// A channel without a token sends "token": null (zoho-crm-api.md 3.3, observed [R28]).
void TestSimZoho::callbackTokenNullWhenUnset()
{
    CallbackReceiver rx;
    SIM_VERIFY_STATUS(
        crmSend("POST", kWatchPath,
                watchBody(subscription(1000000068601, {QStringLiteral("Contacts.all")}, rx.url(QStringLiteral("nt"))))),
        201);
    const QString id = idsOf(allContacts()).first();
    QVERIFY(m_api.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + id,
                          QJsonObject{{QStringLiteral("Title"), QStringLiteral("Dr.")}})
                    .status /
                100 ==
            2);
    QTRY_VERIFY_WITH_TIMEOUT(rx.count(QStringLiteral("nt")) >= 1, kTimeoutMs);
    const QJsonObject cb = rx.of(QStringLiteral("nt")).first().json;
    QVERIFY2(cb.contains(QStringLiteral("token")) && cb.value(QStringLiteral("token")).isNull(),
             rx.of(QStringLiteral("nt")).first().body.constData());
    QVERIFY(cb.value(QStringLiteral("query_params")).isObject());
}

// events filter: a "Contacts.create" channel is told about inserts, not about edits.
void TestSimZoho::callbackOnlyForSubscribedOperations()
{
    CallbackReceiver rx;
    SIM_VERIFY_STATUS(crmSend("POST", kWatchPath,
                              watchBody(subscription(1000000068701, {QStringLiteral("Contacts.create")},
                                                     rx.url(QStringLiteral("cr"))))),
                      201);
    const QString id = idsOf(allContacts()).first();
    QVERIFY(m_api.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + id,
                          QJsonObject{{QStringLiteral("Title"), QStringLiteral("Edited")}})
                    .status /
                100 ==
            2);
    QVERIFY(m_api.control("POST", QStringLiteral("/_sim/zoho/Contacts"),
                          QJsonObject{{QStringLiteral("Last_Name"), QStringLiteral("Created")}})
                    .status /
                100 ==
            2);
    QTRY_VERIFY_WITH_TIMEOUT(rx.count(QStringLiteral("cr")) >= 1, kTimeoutMs);
    // The insert arrived; the earlier edit never does.
    QCOMPARE(rx.count(QStringLiteral("cr")), 1);
    QCOMPARE(rx.of(QStringLiteral("cr")).first().json.value(QStringLiteral("operation")).toString(),
             QStringLiteral("insert"));
}

// --zoho-callback-uri-version v8 puts /crm/v8/ in a callback's resource_uri.
void TestSimZoho::callbackUriVersionFlag()
{
    Core::SimulatorLauncher launcher;
    QString why;
    const QUrl base = startSimulator(
        launcher, {QStringLiteral("--demo"), QStringLiteral("--zoho-callback-uri-version"), QStringLiteral("v8")},
        &why);
    QVERIFY2(base.isValid(), qPrintable(why));
    Client api(base);
    const QString token = api.zohoAccessToken(kZohoRefreshToken, &why);
    QVERIFY2(!token.isEmpty(), qPrintable(why));
    CallbackReceiver rx;
    const Response sub = api.send(
        "POST", kWatchPath, {},
        toJson(watchBody(subscription(1000000068801, {QStringLiteral("Contacts.all")}, rx.url(QStringLiteral("v8"))))),
        {{"Authorization", zohoAuth(token)}});
    SIM_VERIFY_STATUS(sub, 201);
    const QString id = idString(listOf(api.control("GET", QStringLiteral("/_sim/zoho/Contacts")))
                                    .first()
                                    .toObject()
                                    .value(QStringLiteral("id")));
    QVERIFY(api.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + id,
                        QJsonObject{{QStringLiteral("Title"), QStringLiteral("v8")}})
                    .status /
                100 ==
            2);
    QTRY_VERIFY_WITH_TIMEOUT(rx.count(QStringLiteral("v8")) >= 1, kTimeoutMs);
    QVERIFY2(rx.of(QStringLiteral("v8"))
                 .first()
                 .json.value(QStringLiteral("resource_uri"))
                 .toString()
                 .endsWith(QLatin1String("/crm/v8/Contacts")),
             rx.of(QStringLiteral("v8")).first().body.constData());
    launcher.stop();
}

// Channels stop sending after they expire: no callback, nothing in /_sim/callbacks for them.
void TestSimZoho::expiredChannelStopsCallbacks()
{
    CallbackReceiver rx;
    SIM_VERIFY_STATUS(crmSend("POST", kWatchPath,
                              watchBody(subscription(1000000068901, {QStringLiteral("Contacts.all")},
                                                     rx.url(QStringLiteral("old"))))),
                      201);
    const QStringList ids = idsOf(allContacts());
    QVERIFY(m_api.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + ids.at(0),
                          QJsonObject{{QStringLiteral("Title"), QStringLiteral("Before expiry")}})
                    .status /
                100 ==
            2);
    QTRY_VERIFY_WITH_TIMEOUT(rx.count(QStringLiteral("old")) == 1, kTimeoutMs);

    QVERIFY(m_api.advanceClock(3601).status / 100 == 2); // past the default 1 h expiry
    QString why;
    m_token = m_api.zohoAccessToken(kZohoRefreshToken, &why);
    QVERIFY2(!m_token.isEmpty(), qPrintable(why));
    SIM_VERIFY_STATUS(crmSend("POST", kWatchPath,
                              watchBody(subscription(1000000068902, {QStringLiteral("Contacts.all")},
                                                     rx.url(QStringLiteral("new"))))),
                      201);
    QVERIFY(m_api.control("PATCH", QStringLiteral("/_sim/zoho/Contacts/") + ids.at(1),
                          QJsonObject{{QStringLiteral("Title"), QStringLiteral("After expiry")}})
                    .status /
                100 ==
            2);
    // The live channel hears about the edit; by then the expired one would have too.
    QTRY_VERIFY_WITH_TIMEOUT(rx.count(QStringLiteral("new")) == 1, kTimeoutMs);
    QCOMPARE(rx.count(QStringLiteral("old")), 1);

    int oldDeliveries = 0;
    for (const QJsonValue& v : listOf(m_api.control("GET", QStringLiteral("/_sim/callbacks")))) {
        const QString text = QString::fromUtf8(toJson(v.toObject()));
        oldDeliveries += text.contains(QLatin1String("1000000068901")) ? 1 : 0;
    }
    QCOMPARE(oldDeliveries, 1);
}

// ---- Limits -------------------------------------------------------------------------------------------------

// Edition concurrency (free → 5): 8 concurrent slow GETs give some 429 TOO_MANY_REQUESTS and at most 5
// successes (zoho-crm-api.md 4.2, 4.3).
void TestSimZoho::concurrencyLimitFreeEdition()
{
    Core::SimulatorLauncher launcher;
    QString why;
    const QUrl base = startSimulator(
        launcher, {QStringLiteral("--demo"), QStringLiteral("--zoho-edition"), QStringLiteral("free")}, &why);
    QVERIFY2(base.isValid(), qPrintable(why));
    Client api(base);
    const QString token = api.zohoAccessToken(kZohoRefreshToken, &why);
    QVERIFY2(!token.isEmpty(), qPrintable(why));
    const Response faults = api.control(
        "POST", QStringLiteral("/_sim/faults"),
        QJsonObject{{QStringLiteral("latency_ms"), 3000}, {QStringLiteral("scope"), QStringLiteral("zoho")}});
    QVERIFY2(faults.status / 100 == 2, qPrintable(faults.describe()));

    // One QNAM per request: a single QNAM would hold at most 6 connections to the host.
    std::vector<std::unique_ptr<QNetworkAccessManager>> nams;
    std::vector<QNetworkReply*> replies;
    QElapsedTimer timer;
    timer.start();
    for (int i = 0; i < 8; ++i) {
        nams.push_back(std::make_unique<QNetworkAccessManager>());
        replies.push_back(api.start("GET", api.url(kContactsPath + QStringLiteral("?fields=Last_Name&per_page=1")), {},
                                    {{"Authorization", zohoAuth(token)}}, nams.back().get()));
    }
    int ok = 0;
    int throttled = 0;
    for (QNetworkReply* reply : replies) {
        const Response r = Client::collect(reply, timer);
        if (r.status == 200) {
            ++ok;
        } else {
            SIM_VERIFY_ZOHO_ERROR(r, 429, "TOO_MANY_REQUESTS");
            ++throttled;
        }
    }
    QVERIFY2(throttled >= 1, qPrintable(QStringLiteral("%1 ok, %2 throttled").arg(ok).arg(throttled)));
    QVERIFY2(ok >= 1 && ok <= 5, qPrintable(QStringLiteral("%1 ok, %2 throttled").arg(ok).arg(throttled)));
    QCOMPARE(ok + throttled, 8);
    const Response stats = api.control("GET", QStringLiteral("/_sim/stats"));
    const QJsonValue peak = findKey(stats.json(), QStringLiteral("concurrency_peak"));
    QVERIFY2(peak.isDouble() && peak.toInt() >= 1 && peak.toInt() <= 5, qPrintable(stats.describe()));
    launcher.stop();
}

// A daily credit budget of 5: the 6th call is 429 TOO_MANY_REQUESTS; the rolling 24 h window frees it again.
void TestSimZoho::dailyCreditBudget()
{
    Core::SimulatorLauncher launcher;
    QString why;
    const QUrl base = startSimulator(
        launcher, {QStringLiteral("--demo"), QStringLiteral("--zoho-daily-credits"), QStringLiteral("5")}, &why);
    QVERIFY2(base.isValid(), qPrintable(why));
    Client api(base);
    QString token = api.zohoAccessToken(kZohoRefreshToken, &why);
    QVERIFY2(!token.isEmpty(), qPrintable(why));
    for (int i = 1; i <= 5; ++i) {
        const Response r =
            api.get(kContactsPath + QStringLiteral("?fields=Last_Name"), {{"Authorization", zohoAuth(token)}});
        QVERIFY2(r.status == 200, qPrintable(QStringLiteral("call %1: %2").arg(i).arg(r.describe())));
    }
    SIM_VERIFY_ZOHO_ERROR(
        api.get(kContactsPath + QStringLiteral("?fields=Last_Name"), {{"Authorization", zohoAuth(token)}}), 429,
        "TOO_MANY_REQUESTS");

    QVERIFY(api.advanceClock(24 * 3600 + 1).status / 100 == 2);
    token = api.zohoAccessToken(kZohoRefreshToken, &why);
    QVERIFY2(!token.isEmpty(), qPrintable(why));
    SIM_VERIFY_STATUS(
        api.get(kContactsPath + QStringLiteral("?fields=Last_Name"), {{"Authorization", zohoAuth(token)}}), 200);
    launcher.stop();
}

// Credits used are counted in /_sim/stats (one per CRM call; token calls are free).
void TestSimZoho::creditsAreCounted()
{
    for (int i = 0; i < 3; ++i)
        SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
    const Response stats = m_api.control("GET", QStringLiteral("/_sim/stats"));
    SIM_VERIFY_STATUS(stats, 200);
    const QJsonValue credits = findKey(stats.json(), QStringLiteral("credits_used"));
    QVERIFY2(credits.isDouble(), qPrintable(stats.describe()));
    QCOMPARE(credits.toInt(), 3);
}

// ---- Browser consent (GET /oauth/v2/auth) ----------------------------------------------------------------

Response TestSimZoho::authorize(const QueryItems& overrides, const QString& path)
{
    QueryItems items{{QStringLiteral("scope"), QStringLiteral("ZohoCRM.modules.ALL,ZohoCRM.notifications.ALL")},
                     {QStringLiteral("client_id"), kZohoClientId},
                     {QStringLiteral("response_type"), QStringLiteral("code")},
                     {QStringLiteral("access_type"), QStringLiteral("offline")},
                     {QStringLiteral("prompt"), QStringLiteral("consent")},
                     {QStringLiteral("redirect_uri"), QStringLiteral("http://127.0.0.1:9/callback")},
                     {QStringLiteral("state"), QStringLiteral("st&te=1+2")}};
    for (const auto& [key, value] : overrides) {
        items.erase(std::remove_if(items.begin(), items.end(), [&key = key](const auto& i) { return i.first == key; }),
                    items.end());
        if (!value.isEmpty())
            items.append({key, value});
    }
    // Encoded as a browser gets it from our client: every reserved byte escaped (QUrlQuery would leave '+').
    QByteArray query;
    for (const auto& [key, value] : items)
        query += (query.isEmpty() ? "" : "&") + key.toUtf8() + '=' + QUrl::toPercentEncoding(value, ",");
    return m_api.get(path + QLatin1Char('?') + QString::fromLatin1(query));
}

QJsonObject TestSimZoho::exchangeCode(const QString& code)
{
    return m_api
        .zohoTokenRequest({{QStringLiteral("grant_type"), QStringLiteral("authorization_code")},
                           {QStringLiteral("client_id"), kZohoClientId},
                           {QStringLiteral("client_secret"), kZohoClientSecret},
                           {QStringLiteral("redirect_uri"), QStringLiteral("http://127.0.0.1:9/callback")},
                           {QStringLiteral("code"), code}})
        .json();
}

// Auto-consent: 302 to redirect_uri with code, location, accounts-server and the state echoed exactly; the
// code works once at the token endpoint with the requested scopes (zoho-crm-api.md 1.1; README).
void TestSimZoho::authorizeRedirectsWithCodeAndState()
{
    const Response r = authorize();
    SIM_VERIFY_STATUS(r, 302);
    const QUrl location = QUrl::fromEncoded(r.header("Location"));
    QCOMPARE(location.host(), QStringLiteral("127.0.0.1"));
    QCOMPARE(location.port(), 9);
    QCOMPARE(location.path(), QStringLiteral("/callback"));
    const QUrlQuery q = redirectQuery(r);
    QCOMPARE(q.queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded), QStringLiteral("st&te=1+2"));
    QCOMPARE(q.queryItemValue(QStringLiteral("location")), QStringLiteral("us"));
    QCOMPARE(QUrl(q.queryItemValue(QStringLiteral("accounts-server"), QUrl::FullyDecoded)), m_api.base());
    const QString code = q.queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
    QVERIFY2(!code.isEmpty(), r.header("Location").constData());

    const QJsonObject first = exchangeCode(code);
    const QString refresh = first.value(QStringLiteral("refresh_token")).toString();
    QVERIFY2(!refresh.isEmpty(), toJson(first).constData());
    QCOMPARE(exchangeCode(code).value(QStringLiteral("error")).toString(), QStringLiteral("invalid_code"));

    // The requested scopes, and only those: notifications yes, a module write yes (modules.ALL).
    m_token = first.value(QStringLiteral("access_token")).toString();
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
    const Response limited = authorize({{QStringLiteral("scope"), QStringLiteral("ZohoCRM.modules.contacts.READ")}});
    const QJsonObject narrow =
        exchangeCode(redirectQuery(limited).queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded));
    m_token = narrow.value(QStringLiteral("access_token")).toString();
    QVERIFY2(!m_token.isEmpty(), toJson(narrow).constData());
    SIM_VERIFY_STATUS(crmGet(kContactsPath + QStringLiteral("?fields=Last_Name")), 200);
    SIM_VERIFY_ZOHO_ERROR(crmGet(QStringLiteral("/crm/v8/Accounts?fields=Account_Name")), 401, "OAUTH_SCOPE_MISMATCH");
}

// Unknown client id: 400 HTML naming error=invalid_client; wrong response_type, missing redirect_uri and an
// empty scope: 400 too, and no redirect.
void TestSimZoho::authorizeRejectsBadRequests()
{
    const struct
    {
        QueryItems overrides;
        const char* error;
    } cases[] = {
        {{{QStringLiteral("client_id"), QStringLiteral("1000.unknown")}}, "error=invalid_client"},
        {{{QStringLiteral("response_type"), QStringLiteral("token")}}, "error=unsupported_response_type"},
        {{{QStringLiteral("redirect_uri"), QString()}}, "error=invalid_redirect_uri"},
        {{{QStringLiteral("redirect_uri"), QStringLiteral("javascript:alert(1)")}}, "error=invalid_redirect_uri"},
        {{{QStringLiteral("scope"), QString()}}, "error=invalid_scope"},
    };
    for (const auto& c : cases) {
        const Response r = authorize(c.overrides);
        SIM_VERIFY_STATUS(r, 400);
        QVERIFY2(r.body.contains(c.error), qPrintable(r.describe()));
        QVERIFY(!r.hasHeader("Location"));
        QVERIFY(r.header("Content-Type").startsWith("text/html"));
    }
}

// POST /_sim/zoho/consent {"deny":true}: the redirect carries error=access_denied and the state, no code;
// {"deny":false} accepts again, and a reset clears the switch.
void TestSimZoho::authorizeDenySwitch()
{
    SIM_VERIFY_STATUS(
        m_api.control("POST", QStringLiteral("/_sim/zoho/consent"), QJsonObject{{QStringLiteral("deny"), true}}), 200);
    QCOMPARE(m_api.control("GET", QStringLiteral("/_sim/zoho/consent")).json().value(QStringLiteral("deny")).toBool(),
             true);
    const Response denied = authorize();
    SIM_VERIFY_STATUS(denied, 302);
    QCOMPARE(redirectQuery(denied).queryItemValue(QStringLiteral("error")), QStringLiteral("access_denied"));
    QCOMPARE(redirectQuery(denied).queryItemValue(QStringLiteral("state"), QUrl::FullyDecoded),
             QStringLiteral("st&te=1+2"));
    QVERIFY(!redirectQuery(denied).hasQueryItem(QStringLiteral("code")));

    SIM_VERIFY_STATUS(
        m_api.control("POST", QStringLiteral("/_sim/zoho/consent"), QJsonObject{{QStringLiteral("deny"), false}}), 200);
    QVERIFY(redirectQuery(authorize()).hasQueryItem(QStringLiteral("code")));

    SIM_VERIFY_STATUS(
        m_api.control("POST", QStringLiteral("/_sim/zoho/consent"), QJsonObject{{QStringLiteral("deny"), true}}), 200);
    SIM_VERIFY_STATUS(m_api.reset(simState(true, 0)), 200);
    QVERIFY(redirectQuery(authorize()).hasQueryItem(QStringLiteral("code")));
}

// A refresh token comes only with access_type=offline and, after the first consent, prompt=consent
// (zoho-crm-api.md 1.1 step 4); a code minted with "offline":false behaves the same.
void TestSimZoho::authorizeRefreshTokenNeedsOfflineAndConsent()
{
    const auto codeOf = [this](const QueryItems& overrides) {
        return redirectQuery(authorize(overrides)).queryItemValue(QStringLiteral("code"), QUrl::FullyDecoded);
    };
    const QJsonObject online = exchangeCode(codeOf({{QStringLiteral("access_type"), QString()}}));
    QVERIFY2(online.contains(QStringLiteral("access_token")), toJson(online).constData());
    QVERIFY(!online.contains(QStringLiteral("refresh_token")));

    const QJsonObject again = exchangeCode(codeOf({{QStringLiteral("prompt"), QString()}}));
    QVERIFY2(again.contains(QStringLiteral("access_token")), toJson(again).constData());
    QVERIFY2(!again.contains(QStringLiteral("refresh_token")), toJson(again).constData());

    QVERIFY(exchangeCode(codeOf({})).contains(QStringLiteral("refresh_token")));

    const Response minted = m_api.control("POST", QStringLiteral("/_sim/zoho/grant_codes"),
                                          QJsonObject{{QStringLiteral("offline"), false}});
    const QJsonObject fromControl = exchangeCode(minted.json().value(QStringLiteral("code")).toString());
    QVERIFY2(fromControl.contains(QStringLiteral("access_token")), toJson(fromControl).constData());
    QVERIFY(!fromControl.contains(QStringLiteral("refresh_token")));
}

// Under /_dc/{dc}/: the home data centre consents like the plain path; another one does not know the client.
void TestSimZoho::authorizeUnderDataCentrePrefix()
{
    const Response home = authorize({}, QStringLiteral("/_dc/us/oauth/v2/auth"));
    SIM_VERIFY_STATUS(home, 302);
    QVERIFY(redirectQuery(home).hasQueryItem(QStringLiteral("code")));
    const Response other = authorize({}, QStringLiteral("/_dc/eu/oauth/v2/auth"));
    SIM_VERIFY_STATUS(other, 400);
    QVERIFY2(other.body.contains("error=invalid_client"), qPrintable(other.describe()));
    const QJsonObject stats = m_api.control("GET", QStringLiteral("/_sim/stats")).json();
    QVERIFY2(findKey(stats, QStringLiteral("zoho.auth")).toInt() >= 2, toJson(stats).constData());
}

QTEST_GUILESS_MAIN(TestSimZoho)
#include "tst_SimZoho.moc"
