#include "OracleClient.h"

#include "net/ApiClient.h"
#include "oracle/OracleEndpoint.h"

#include <QJsonDocument>
#include <QUrlQuery>

namespace Core {

namespace {
// A collection answer as its items and whether more follow.
QPair<QList<QJsonObject>, bool> page(const QJsonObject& body)
{
    QList<QJsonObject> items;
    for (const auto& item : body.value(QStringLiteral("items")).toArray())
        items << item.toObject();
    return qMakePair(items, body.value(QStringLiteral("hasMore")).toBool());
}

// q literals are single-quoted; refuse quotes rather than guess Oracle's escaping rules.
bool isSafeLiteral(const QString& value)
{
    return !value.contains(QLatin1Char('\'')) && !value.contains(QLatin1Char('"'));
}
} // namespace

OracleClient::OracleClient(ApiClient* api, QUrl pod, QString sourceSystem, QObject* parent)
    : QObject(parent)
    , m_api(api)
    , m_pod(std::move(pod))
    , m_sourceSystem(std::move(sourceSystem))
{ }

QString OracleClient::formatTime(const QDateTime& time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss.zzz")) + QStringLiteral("+00:00");
}

Error OracleClient::errorFrom(const HttpResponse& response, const QString& what)
{
    // Try JSON (o:errorDetails[].detail, then detail, then title), then plain text, then the status.
    QStringList details;
    QString code;
    const QJsonDocument doc = QJsonDocument::fromJson(response.body);
    if (doc.isObject()) {
        const QJsonObject body = doc.object();
        for (const auto& d : body.value(QStringLiteral("o:errorDetails")).toArray()) {
            const QJsonObject detail = d.toObject();
            QString text = detail.value(QStringLiteral("detail")).toString();
            const QString path = detail.value(QStringLiteral("o:errorPath")).toString();
            if (!path.isEmpty())
                text += QStringLiteral(" [%1]").arg(path);
            if (code.isEmpty())
                code = detail.value(QStringLiteral("o:errorCode")).toVariant().toString();
            if (!text.isEmpty())
                details << text;
        }
        if (details.isEmpty() && body.contains(QStringLiteral("detail")))
            details << body.value(QStringLiteral("detail")).toString();
        if (details.isEmpty() && body.contains(QStringLiteral("title")))
            details << body.value(QStringLiteral("title")).toString();
    } else {
        const QString text = QString::fromUtf8(response.body).trimmed();
        if (!text.isEmpty())
            details << (text.size() > 300 ? text.left(300) + QStringLiteral("…") : text);
    }
    QString message = QObject::tr("%1: Oracle answered HTTP %2").arg(what).arg(response.status);
    if (response.status == 412)
        message += QObject::tr(" (the account changed in Oracle since it was read)");
    if (!details.isEmpty())
        message += QStringLiteral(": ") + details.join(QStringLiteral("; "));
    if (response.attempts > 1)
        message += QObject::tr(" after %1 attempts").arg(response.attempts);
    return Error{errorKindForStatus(response.status), message, response.status, code};
}

QUrl OracleClient::accountsUrl(const QString& suffix) const
{
    return OracleEndpoint::crmResource(m_pod, QStringLiteral("accounts") + suffix);
}

HttpRequest OracleClient::request(const QByteArray& method, const QUrl& url, const QString& label) const
{
    HttpRequest r;
    r.method = method;
    r.url = url;
    r.label = label;
    r.setHeader("Accept", "application/json");
    r.setHeader("REST-Framework-Version", QByteArray::number(m_frameworkVersion));
    return r;
}

void OracleClient::query(const QUrl& url, const QString& what, QObject* context, Callback<QJsonObject> callback)
{
    m_api->call(request("GET", url, QStringLiteral("oracle.accounts.query")), context,
                [callback, what](Result<HttpResponse> answer) {
                    if (!answer)
                        return callback(answer.error());
                    if (answer.value().status != 200)
                        return callback(errorFrom(answer.value(), what));
                    callback(jsonObjectOf(answer.value(), what, QStringLiteral("Oracle")));
                });
}

void OracleClient::findBySourceReference(const QString& reference,
                                         QObject* context,
                                         Callback<QList<OracleAccount>> callback)
{
    if (!isSafeLiteral(reference) || !isSafeLiteral(m_sourceSystem)) {
        callback(Error{Error::Kind::InvalidInput,
                       tr("Cannot search Oracle for the reference \"%1\": it contains a quote").arg(reference),
                       0,
                       {}});
        return;
    }
    QUrl url = accountsUrl();
    QUrlQuery q;
    q.addQueryItem(
        QStringLiteral("q"),
        QStringLiteral("SourceSystem='%1' and SourceSystemReferenceValue='%2'").arg(m_sourceSystem, reference));
    // Not onlyData: the links carry each item's changeIndicator, the ETag the next PATCH must match.
    q.addQueryItem(QStringLiteral("limit"), QStringLiteral("25"));
    url.setQuery(q);
    const QString what = tr("Looking up the Oracle account of %1 %2").arg(m_sourceSystem, reference);
    query(url, what, context, [callback](Result<QJsonObject> body) {
        if (!body)
            return callback(body.error());
        QList<OracleAccount> accounts;
        for (const auto& item : body.value().value(QStringLiteral("items")).toArray()) {
            QByteArray etag;
            for (const auto& link : item.toObject().value(QStringLiteral("links")).toArray()) {
                const QJsonObject properties = link.toObject().value(QStringLiteral("properties")).toObject();
                if (etag.isEmpty())
                    etag = properties.value(QStringLiteral("changeIndicator")).toString().toUtf8();
            }
            accounts << OracleAccount{item.toObject(), etag};
        }
        callback(accounts);
    });
}

void OracleClient::findByPartyNumber(const QString& partyNumber,
                                     QObject* context,
                                     Callback<std::optional<OracleAccount>> callback)
{
    const QString what = tr("Reading Oracle account %1").arg(partyNumber);
    m_api->call(request("GET", accountsUrl(QLatin1Char('/') + QString::fromUtf8(QUrl::toPercentEncoding(partyNumber))),
                        QStringLiteral("oracle.accounts.get")),
                context, [callback, what](Result<HttpResponse> answer) {
                    if (!answer)
                        return callback(answer.error());
                    const HttpResponse& r = answer.value();
                    if (r.status == 404)
                        return callback(std::optional<OracleAccount>());
                    if (r.status != 200)
                        return callback(errorFrom(r, what));
                    auto body = jsonObjectOf(r, what, QStringLiteral("Oracle"));
                    if (!body)
                        return callback(body.error());
                    callback(std::optional<OracleAccount>(OracleAccount{body.value(), r.header("ETag")}));
                });
}

void OracleClient::createAccount(QJsonObject payload, QObject* context, Callback<OracleAccount> callback)
{
    payload.insert(QStringLiteral("SourceSystem"), m_sourceSystem);
    HttpRequest r = request("POST", accountsUrl(), QStringLiteral("oracle.accounts.create"));
    r.setHeader("Content-Type", "application/vnd.oracle.adf.resourceitem+json");
    r.body = QJsonDocument(payload).toJson(QJsonDocument::Compact);
    const QString what =
        tr("Creating the Oracle account for %1 %2")
            .arg(m_sourceSystem, payload.value(QStringLiteral("SourceSystemReferenceValue")).toString());
    m_api->call(r, context, [callback, what](Result<HttpResponse> answer) {
        if (!answer)
            return callback(answer.error());
        const HttpResponse& response = answer.value();
        if (response.status != 201 && response.status != 200)
            return callback(errorFrom(response, what));
        auto body = jsonObjectOf(response, what, QStringLiteral("Oracle"));
        if (!body)
            return callback(body.error());
        callback(OracleAccount{body.value(), response.header("ETag")});
    });
}

void OracleClient::updateAccount(const QString& partyNumber,
                                 const QJsonObject& changes,
                                 const QByteArray& etag,
                                 QObject* context,
                                 Callback<OracleAccount> callback)
{
    HttpRequest r =
        request("PATCH", accountsUrl(QLatin1Char('/') + QString::fromUtf8(QUrl::toPercentEncoding(partyNumber))),
                QStringLiteral("oracle.accounts.patch"));
    r.setHeader("Content-Type", "application/vnd.oracle.adf.resourceitem+json");
    if (!etag.isEmpty())
        r.setHeader("If-Match", etag);
    // A PATCH sets fields to given values, so sending it twice gives the same account.
    r.retryUnsafe = true;
    r.body = QJsonDocument(changes).toJson(QJsonDocument::Compact);
    const QString what = tr("Updating Oracle account %1").arg(partyNumber);
    m_api->call(r, context, [callback, what](Result<HttpResponse> answer) {
        if (!answer)
            return callback(answer.error());
        const HttpResponse& response = answer.value();
        if (response.status != 200)
            return callback(errorFrom(response, what));
        auto body = jsonObjectOf(response, what, QStringLiteral("Oracle"));
        if (!body)
            return callback(body.error());
        callback(OracleAccount{body.value(), response.header("ETag")});
    });
}

void OracleClient::accountsChangedSince(
    const QDateTime& since, int offset, int limit, QObject* context, Callback<QPair<QList<QJsonObject>, bool>> callback)
{
    QUrl url = accountsUrl();
    QUrlQuery q;
    if (since.isValid())
        q.addQueryItem(QStringLiteral("q"), QStringLiteral("LastUpdateDate>'%1'").arg(formatTime(since)));
    q.addQueryItem(QStringLiteral("orderBy"), QStringLiteral("LastUpdateDate:asc"));
    q.addQueryItem(QStringLiteral("onlyData"), QStringLiteral("true"));
    q.addQueryItem(QStringLiteral("offset"), QString::number(offset));
    q.addQueryItem(QStringLiteral("limit"), QString::number(qBound(1, limit, 499)));
    url.setQuery(q);
    query(url, tr("Listing Oracle accounts changed since %1").arg(formatTime(since)), context,
          [callback](Result<QJsonObject> body) {
              if (!body)
                  return callback(body.error());
              callback(page(body.value()));
          });
}

void OracleClient::listOurAccounts(int offset,
                                   int limit,
                                   QObject* context,
                                   Callback<QPair<QList<QJsonObject>, bool>> callback)
{
    QUrl url = accountsUrl();
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("q"), QStringLiteral("SourceSystem='%1'").arg(m_sourceSystem));
    q.addQueryItem(QStringLiteral("fields"), QStringLiteral("PartyNumber,SourceSystemReferenceValue"));
    q.addQueryItem(QStringLiteral("onlyData"), QStringLiteral("true"));
    q.addQueryItem(QStringLiteral("orderBy"), QStringLiteral("PartyNumber:asc"));
    q.addQueryItem(QStringLiteral("offset"), QString::number(offset));
    q.addQueryItem(QStringLiteral("limit"), QString::number(qBound(1, limit, 499)));
    url.setQuery(q);
    query(url, tr("Listing Oracle accounts from %1").arg(m_sourceSystem), context,
          [callback](Result<QJsonObject> body) {
              if (!body)
                  return callback(body.error());
              callback(page(body.value()));
          });
}

void OracleClient::receivablesActivity(const QString& accountNumber,
                                       QObject* context,
                                       Callback<std::optional<QJsonObject>> callback)
{
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("finder"),
                   QStringLiteral("CustomerAccountActivitiesFinder;AccountNumber=%1").arg(accountNumber));
    firstReceivables(q, tr("Reading receivables of Oracle customer account %1").arg(accountNumber), context,
                     std::move(callback));
}

void OracleClient::receivablesActivityForParty(const QString& partyId,
                                               QObject* context,
                                               Callback<std::optional<QJsonObject>> callback)
{
    bool numeric = false;
    partyId.toLongLong(&numeric);
    if (!numeric) {
        callback(Error(Error::Kind::InvalidInput, tr("\"%1\" is not an Oracle party id").arg(partyId)));
        return;
    }
    QUrlQuery q;
    q.addQueryItem(QStringLiteral("q"), QStringLiteral("CustomerId=%1").arg(partyId));
    firstReceivables(q, tr("Reading receivables of Oracle party %1").arg(partyId), context, std::move(callback));
}

void OracleClient::firstReceivables(const QUrlQuery& query,
                                    const QString& what,
                                    QObject* context,
                                    Callback<std::optional<QJsonObject>> callback)
{
    QUrl url = OracleEndpoint::fscmResource(m_pod, QStringLiteral("receivablesCustomerAccountActivities"));
    QUrlQuery q = query;
    q.addQueryItem(QStringLiteral("onlyData"), QStringLiteral("true"));
    url.setQuery(q);
    m_api->call(request("GET", url, QStringLiteral("oracle.ar.query")), context,
                [callback, what](Result<HttpResponse> answer) {
                    if (!answer)
                        return callback(answer.error());
                    if (answer.value().status != 200)
                        return callback(errorFrom(answer.value(), what));
                    auto body = jsonObjectOf(answer.value(), what, QStringLiteral("Oracle"));
                    if (!body)
                        return callback(body.error());
                    const QJsonArray items = body.value().value(QStringLiteral("items")).toArray();
                    if (items.isEmpty())
                        return callback(std::optional<QJsonObject>());
                    callback(std::optional<QJsonObject>(items.first().toObject()));
                });
}

void OracleClient::batch(const QJsonArray& parts, QObject* context, Callback<QJsonArray> callback)
{
    HttpRequest r = request("POST", OracleEndpoint::crmRoot(m_pod), QStringLiteral("oracle.batch"));
    r.setHeader("Content-Type", "application/vnd.oracle.adf.batch+json");
    r.body = QJsonDocument(QJsonObject{{QStringLiteral("parts"), parts}}).toJson(QJsonDocument::Compact);
    const QString what = tr("Sending a batch of %1 parts to Oracle").arg(parts.size());
    m_api->call(r, context, [callback, what](Result<HttpResponse> answer) {
        if (!answer)
            return callback(answer.error());
        const HttpResponse& response = answer.value();
        if (response.status != 200) {
            // A failed batch lists only the failing part, with its error in the payload.
            Error error = errorFrom(response, what);
            const QJsonObject body = QJsonDocument::fromJson(response.body).object();
            for (const auto& part : body.value(QStringLiteral("parts")).toArray()) {
                const QJsonObject p = part.toObject();
                HttpResponse inner = response;
                inner.body = QJsonDocument(p.value(QStringLiteral("payload")).toObject()).toJson();
                error.message =
                    tr("%1: part %2 failed: %3")
                        .arg(what, p.value(QStringLiteral("id")).toString(), errorFrom(inner, tr("part")).message);
            }
            return callback(error);
        }
        auto body = jsonObjectOf(response, what, QStringLiteral("Oracle"));
        if (!body)
            return callback(body.error());
        callback(body.value().value(QStringLiteral("parts")).toArray());
    });
}

} // namespace Core
