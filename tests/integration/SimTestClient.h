#pragma once

// Small helpers shared by the simulator conformance tests (tst_SimZoho, tst_SimOracle, tst_SimControl):
// start ml-connector-sim through Core::SimulatorLauncher, send real HTTP requests with QNetworkAccessManager
// and wait for the answer (QSignalSpy::wait: fine in tests, never in product code), and a callback receiver
// on 127.0.0.1:0 built on QHttpServer.

#include "Result.h"
#include "demo/SimulatorLauncher.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QUrlQuery>

#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace SimTest {

// Credentials the simulator accepts by default (tests/sim/README.md).
inline const QString kZohoClientId = QStringLiteral("sim-zoho-client-id");
inline const QString kZohoClientSecret = QStringLiteral("sim-zoho-client-secret");
inline const QString kZohoRefreshToken = QStringLiteral("1000.sim-refresh-token");
inline const QString kOracleUser = QStringLiteral("integration.user");
inline const QString kOraclePassword = QStringLiteral("sim-oracle-password");
inline const QString kOracleClientId = QStringLiteral("sim-oracle-client-id");
inline const QString kOracleClientSecret = QStringLiteral("sim-oracle-client-secret");
inline const QString kAccountsPath = QStringLiteral("/crmRestApi/resources/11.13.18.05/accounts");
inline const QString kCrmRoot = QStringLiteral("/crmRestApi/resources/11.13.18.05");
inline const QString kArPath =
    QStringLiteral("/fscmRestApi/resources/11.13.18.05/receivablesCustomerAccountActivities");

// Generous: the machine has two loaded cores.
constexpr int kTimeoutMs = 60000;

using Headers = QList<std::pair<QByteArray, QByteArray>>;
using QueryItems = QList<std::pair<QString, QString>>;

struct Response
{
    bool finished = false; // false: no answer within the timeout
    int status = 0;        // 0: no HTTP status (connection dropped, refused, ...)
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorString;
    QByteArray body;
    QHash<QByteArray, QByteArray> headers; // lower-case names
    qint64 elapsedMs = 0;

    bool hasHeader(const QByteArray& name) const { return headers.contains(name.toLower()); }
    QByteArray header(const QByteArray& name) const { return headers.value(name.toLower()); }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    bool isJsonObject() const
    {
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
        return err.error == QJsonParseError::NoError && doc.isObject();
    }
    QString describe() const
    {
        if (!finished)
            return QStringLiteral("no answer within %1 ms").arg(kTimeoutMs);
        QString text = QStringLiteral("HTTP %1").arg(status);
        if (error != QNetworkReply::NoError)
            text += QStringLiteral(" (network error %1: %2)").arg(int(error)).arg(errorString);
        return text + QStringLiteral(", body: ") + QString::fromUtf8(body.left(600));
    }
};

inline QByteArray toJson(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

inline QByteArray toJson(const QJsonArray& a)
{
    return QJsonDocument(a).toJson(QJsonDocument::Compact);
}

inline QByteArray formBody(const QueryItems& items)
{
    QByteArray out;
    for (const auto& [key, value] : items) {
        if (!out.isEmpty())
            out += '&';
        out += QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value);
    }
    return out;
}

inline QByteArray basicAuth(const QString& user, const QString& password)
{
    return "Basic " + (user + QLatin1Char(':') + password).toUtf8().toBase64();
}

class Client
{
public:
    explicit Client(const QUrl& base = {})
        : m_base(base)
    {
        m_nam.setRedirectPolicy(QNetworkRequest::ManualRedirectPolicy);
    }

    void setBase(const QUrl& base) { m_base = base; }
    QUrl base() const { return m_base; }

    // `path` may carry a literal query ("/x?a=b,c"); `query` items are added the way a Qt client would
    // (QUrlQuery), so spaces, quotes and % in an Oracle q= are encoded.
    QUrl url(const QString& path, const QueryItems& query = {}) const
    {
        QUrl u = m_base.resolved(QUrl(path));
        if (!query.isEmpty()) {
            QUrlQuery q(u);
            for (const auto& [key, value] : query)
                q.addQueryItem(key, value);
            u.setQuery(q);
        }
        return u;
    }

    QNetworkReply* start(const QByteArray& method,
                         const QUrl& target,
                         const QByteArray& body = {},
                         const Headers& headers = {},
                         QNetworkAccessManager* nam = nullptr)
    {
        QNetworkRequest request(target);
        request.setTransferTimeout(kTimeoutMs);
        bool hasContentType = false;
        for (const auto& [name, value] : headers) {
            request.setRawHeader(name, value);
            hasContentType = hasContentType || name.compare("content-type", Qt::CaseInsensitive) == 0;
        }
        if (!body.isEmpty() && !hasContentType)
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkAccessManager* manager = nam ? nam : &m_nam;
        return manager->sendCustomRequest(request, method, body);
    }

    static Response collect(QNetworkReply* reply, const QElapsedTimer& timer)
    {
        Response r;
        if (!reply->isFinished()) {
            QSignalSpy spy(reply, &QNetworkReply::finished);
            spy.wait(kTimeoutMs + 5000);
        }
        r.finished = reply->isFinished();
        r.elapsedMs = timer.elapsed();
        r.error = reply->error();
        r.errorString = reply->errorString();
        const QVariant status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
        r.status = status.isValid() ? status.toInt() : 0;
        r.body = reply->readAll();
        for (const auto& pair : reply->rawHeaderPairs())
            r.headers.insert(pair.first.toLower(), pair.second);
        if (!r.finished)
            reply->abort();
        reply->deleteLater();
        return r;
    }

    Response send(const QByteArray& method,
                  const QString& path,
                  const QueryItems& query = {},
                  const QByteArray& body = {},
                  const Headers& headers = {})
    {
        QElapsedTimer timer;
        timer.start();
        return collect(start(method, url(path, query), body, headers), timer);
    }

    Response get(const QString& path, const Headers& headers = {}, const QueryItems& query = {})
    {
        return send("GET", path, query, {}, headers);
    }

    // Control API (/_sim/...): JSON, no auth.
    Response control(const QByteArray& method, const QString& path, const QJsonObject& body = {})
    {
        return send(method, path, {}, body.isEmpty() && method != "POST" ? QByteArray() : toJson(body));
    }

    Response reset(const QJsonObject& body) { return control("POST", QStringLiteral("/_sim/reset"), body); }

    Response advanceClock(int seconds)
    {
        return control("POST", QStringLiteral("/_sim/clock"), QJsonObject{{QStringLiteral("advance_s"), seconds}});
    }

    Response zohoTokenRequest(const QueryItems& form, const QString& path = QStringLiteral("/oauth/v2/token"))
    {
        return send("POST", path, {}, formBody(form), {{"Content-Type", "application/x-www-form-urlencoded"}});
    }

    // A Zoho access token from the refresh grant; empty on failure (*why says why). Moves the clock past the
    // refresh throttle window once if the throttle answers, so tests do not depend on each other's refreshes.
    QString zohoAccessToken(const QString& refreshToken = kZohoRefreshToken, QString* why = nullptr)
    {
        const QueryItems form{{QStringLiteral("grant_type"), QStringLiteral("refresh_token")},
                              {QStringLiteral("refresh_token"), refreshToken},
                              {QStringLiteral("client_id"), kZohoClientId},
                              {QStringLiteral("client_secret"), kZohoClientSecret}};
        for (int attempt = 0; attempt < 2; ++attempt) {
            const Response r = zohoTokenRequest(form);
            const QString token = r.json().value(QStringLiteral("access_token")).toString();
            if (!token.isEmpty())
                return token;
            if (why)
                *why = r.describe();
            if (r.json().value(QStringLiteral("error")).toString() != QLatin1String("Access Denied"))
                break;
            advanceClock(601);
        }
        return {};
    }

    QNetworkAccessManager& nam() { return m_nam; }

private:
    QUrl m_base;
    QNetworkAccessManager m_nam;
};

// Waits for an async result in a test; product code never does this.
template <typename T>
struct Waiter
{
    std::optional<Core::Result<T>> result;
    std::function<void(Core::Result<T>)> callback()
    {
        return [this](Core::Result<T> r) { result = std::move(r); };
    }
    bool wait(int ms = SimTest::kTimeoutMs)
    {
        QElapsedTimer timer;
        timer.start();
        while (!result && timer.elapsed() < ms)
            QTest::qWait(10);
        return result.has_value();
    }
    const Core::Result<T>& operator*() const { return *result; }
    const Core::Result<T>* operator->() const { return &*result; }
};

// QVERIFY2 evaluates its message even when the check passes, so this must not assume an error.
template <typename T>
QString problem(const Core::Result<T>& r)
{
    return r.ok() ? QString() : r.error().message;
}

inline QByteArray zohoAuth(const QString& token)
{
    return "Zoho-oauthtoken " + token.toUtf8();
}

// Starts a simulator with `args`; returns its base URL, or an invalid URL with *why set.
inline QUrl startSimulator(Core::SimulatorLauncher& launcher, const QStringList& args, QString* why)
{
    launcher.setArguments(args);
    launcher.setStartTimeoutMs(kTimeoutMs);
    QUrl base;
    QEventLoop loop;
    const auto onReady = QObject::connect(&launcher, &Core::SimulatorLauncher::ready, &loop, [&](const QUrl& url) {
        base = url;
        loop.quit();
    });
    const auto onFailed =
        QObject::connect(&launcher, &Core::SimulatorLauncher::failed, &loop, [&](const Core::Error& error) {
            *why = error.message;
            loop.quit();
        });
    QTimer::singleShot(kTimeoutMs + 5000, &loop, &QEventLoop::quit);
    launcher.start();
    loop.exec();
    QObject::disconnect(onReady);
    QObject::disconnect(onFailed);
    if (!base.isValid() && why->isEmpty())
        *why = QStringLiteral("the simulator did not report ready");
    return base;
}

// Zoho top-level error envelope {code, details, message, status:"error"}; empty when `r` matches.
inline QString zohoErrorMismatch(const Response& r, int status, const QString& code)
{
    if (r.status != status)
        return QStringLiteral("expected HTTP %1 %2, got %3").arg(status).arg(code, r.describe());
    if (!r.isJsonObject())
        return QStringLiteral("expected a JSON error envelope, got %1").arg(r.describe());
    const QJsonObject o = r.json();
    if (o.value(QStringLiteral("code")).toString() != code)
        return QStringLiteral("expected code %1, got %2").arg(code, r.describe());
    if (o.value(QStringLiteral("status")).toString() != QLatin1String("error"))
        return QStringLiteral("expected status \"error\", got %1").arg(r.describe());
    if (!o.value(QStringLiteral("message")).isString() || o.value(QStringLiteral("message")).toString().isEmpty())
        return QStringLiteral("expected a message string, got %1").arg(r.describe());
    if (!o.value(QStringLiteral("details")).isObject())
        return QStringLiteral("expected a details object, got %1").arg(r.describe());
    return {};
}

// The first value found under `key` anywhere in `v` (depth first); for control-API answers whose exact
// nesting the README leaves open.
inline QJsonValue findKey(const QJsonValue& v, const QString& key)
{
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        if (o.contains(key))
            return o.value(key);
        for (auto it = o.begin(); it != o.end(); ++it) {
            const QJsonValue found = findKey(it.value(), key);
            if (!found.isUndefined())
                return found;
        }
    } else if (v.isArray()) {
        for (const QJsonValue& item : v.toArray()) {
            const QJsonValue found = findKey(item, key);
            if (!found.isUndefined())
                return found;
        }
    }
    return QJsonValue(QJsonValue::Undefined);
}

// The records of a control-API list answer: a bare array, or an object holding one array under a known key.
inline QJsonArray listOf(const Response& r)
{
    const QJsonDocument doc = QJsonDocument::fromJson(r.body);
    if (doc.isArray())
        return doc.array();
    const QJsonObject o = doc.object();
    for (const char* key : {"data", "items", "records", "accounts", "callbacks", "channels", "deliveries"}) {
        if (o.value(QLatin1String(key)).isArray())
            return o.value(QLatin1String(key)).toArray();
    }
    return {};
}

// Zoho ids are digit strings: compare by length, then text.
inline bool zohoIdLess(const QString& a, const QString& b)
{
    return a.size() != b.size() ? a.size() < b.size() : a < b;
}

inline bool isDigits(const QString& s)
{
    static const QRegularExpression re(QStringLiteral("^[0-9]+$"));
    return re.match(s).hasMatch();
}

// ISO-8601 with an explicit offset (or Z), as Zoho and Oracle send timestamps.
inline bool isIsoWithOffset(const QString& s)
{
    static const QRegularExpression re(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$"));
    return re.match(s).hasMatch() && QDateTime::fromString(s, Qt::ISODateWithMs).isValid();
}

inline QDateTime parseIso(const QString& s)
{
    return QDateTime::fromString(s, Qt::ISODateWithMs);
}

// Receives notification callbacks on 127.0.0.1:<free port>/hooks/<name>.
class CallbackReceiver
{
public:
    struct Hit
    {
        QString name; // the <name> of /hooks/<name>
        QByteArray method;
        QUrlQuery query;
        QByteArray body;
        QJsonObject json;
        bool jsonOk = false;
    };

    CallbackReceiver()
    {
        m_server.route(QStringLiteral("/hooks/<arg>"), [this](const QString& name, const QHttpServerRequest& req) {
            Hit hit;
            hit.name = name;
            hit.method = req.method() == QHttpServerRequest::Method::Post ? QByteArrayLiteral("POST")
                                                                          : QByteArrayLiteral("OTHER");
            hit.query = req.query();
            hit.body = req.body();
            QJsonParseError err;
            const QJsonDocument doc = QJsonDocument::fromJson(hit.body, &err);
            hit.jsonOk = err.error == QJsonParseError::NoError && doc.isObject();
            hit.json = doc.object();
            hits.push_back(hit);
            return QHttpServerResponse(QHttpServerResponder::StatusCode::Ok);
        });
        m_port = m_server.listen(QHostAddress::LocalHost, 0);
    }

    bool listening() const { return m_port != 0; }

    QString url(const QString& name, const QString& query = {}) const
    {
        QString u = QStringLiteral("http://127.0.0.1:%1/hooks/%2").arg(m_port).arg(name);
        if (!query.isEmpty())
            u += QLatin1Char('?') + query;
        return u;
    }

    int count(const QString& name) const
    {
        int n = 0;
        for (const Hit& h : hits)
            n += h.name == name ? 1 : 0;
        return n;
    }

    QList<Hit> of(const QString& name) const
    {
        QList<Hit> out;
        for (const Hit& h : hits) {
            if (h.name == name)
                out.push_back(h);
        }
        return out;
    }

    std::vector<Hit> hits;

private:
    QHttpServer m_server;
    quint16 m_port = 0;
};

} // namespace SimTest

// QVERIFY2 with the response in the message; `resp` is evaluated once (it is often the request itself).
#define SIM_VERIFY_STATUS(resp, code)                                                                        \
    do {                                                                                                     \
        const SimTest::Response& simResp_ = (resp);                                                          \
        QVERIFY2(simResp_.status == (code),                                                                  \
                 qPrintable(QStringLiteral("expected HTTP %1, got %2").arg(code).arg(simResp_.describe()))); \
    } while (false)

#define SIM_VERIFY_ZOHO_ERROR(resp, httpStatus, zohoCode)                                                   \
    do {                                                                                                    \
        const QString simWhy_ = SimTest::zohoErrorMismatch((resp), (httpStatus), QStringLiteral(zohoCode)); \
        QVERIFY2(simWhy_.isEmpty(), qPrintable(simWhy_));                                                   \
    } while (false)
