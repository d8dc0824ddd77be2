#include "HttpTypes.h"

#include <QHttpServerRequest>
#include <QUrl>

namespace Sim {

namespace {
QByteArray methodName(QHttpServerRequest::Method m)
{
    switch (m) {
    case QHttpServerRequest::Method::Get:
        return "GET";
    case QHttpServerRequest::Method::Put:
        return "PUT";
    case QHttpServerRequest::Method::Delete:
        return "DELETE";
    case QHttpServerRequest::Method::Post:
        return "POST";
    case QHttpServerRequest::Method::Head:
        return "HEAD";
    case QHttpServerRequest::Method::Options:
        return "OPTIONS";
    case QHttpServerRequest::Method::Patch:
        return "PATCH";
    case QHttpServerRequest::Method::Connect:
        return "CONNECT";
    case QHttpServerRequest::Method::Trace:
        return "TRACE";
    default:
        return "UNKNOWN";
    }
}

QString decodeComponent(QByteArray part)
{
    part.replace('+', ' ');
    return QUrl::fromPercentEncoding(part);
}
} // namespace

QList<QPair<QString, QString>> SimRequest::parseForm(const QByteArray& encoded)
{
    QList<QPair<QString, QString>> items;
    const QList<QByteArray> parts = encoded.split('&');
    for (const QByteArray& part : parts) {
        if (part.isEmpty())
            continue;
        const int eq = part.indexOf('=');
        if (eq < 0)
            items.append({decodeComponent(part), QString()});
        else
            items.append({decodeComponent(part.left(eq)), decodeComponent(part.mid(eq + 1))});
    }
    return items;
}

SimRequest SimRequest::fromQt(const QHttpServerRequest& request)
{
    SimRequest r;
    r.method = methodName(request.method());
    const QUrl url = request.url();
    r.path = url.path(QUrl::FullyDecoded);
    r.rawQuery = url.query(QUrl::FullyEncoded).toUtf8();
    r.queryItems = parseForm(r.rawQuery);
    const auto headers = request.headers();
    for (const auto& h : headers)
        r.headers.insert(h.first.toLower(), h.second.trimmed());
    r.body = request.body();
    return r;
}

bool SimRequest::hasQuery(const QString& key) const
{
    for (const auto& item : queryItems) {
        if (item.first == key)
            return true;
    }
    return false;
}

QString SimRequest::query(const QString& key) const
{
    for (const auto& item : queryItems) {
        if (item.first == key)
            return item.second;
    }
    return {};
}

QString SimRequest::methodAndPath() const
{
    QString s = QString::fromLatin1(method) + QLatin1Char(' ') + path;
    if (!rawQuery.isEmpty())
        s += QLatin1Char('?') + QString::fromUtf8(rawQuery);
    return s;
}

void SimResponse::setHeader(const QByteArray& name, const QByteArray& value)
{
    for (auto& h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0) {
            h.second = value;
            return;
        }
    }
    headers.append({name, value});
}

QByteArray SimResponse::headerValue(const QByteArray& name) const
{
    for (const auto& h : headers) {
        if (h.first.compare(name, Qt::CaseInsensitive) == 0)
            return h.second;
    }
    return {};
}

SimResponse SimResponse::json(int status, const QJsonObject& object)
{
    return bytes(status, QJsonDocument(object).toJson(QJsonDocument::Compact), "application/json;charset=UTF-8");
}

SimResponse SimResponse::json(int status, const QJsonArray& array)
{
    return bytes(status, QJsonDocument(array).toJson(QJsonDocument::Compact), "application/json;charset=UTF-8");
}

SimResponse SimResponse::bytes(int status, const QByteArray& body, const QByteArray& contentType)
{
    SimResponse r;
    r.status = status;
    r.body = body;
    if (!contentType.isEmpty())
        r.headers.append({"Content-Type", contentType});
    return r;
}

SimResponse SimResponse::empty(int status)
{
    SimResponse r;
    r.status = status;
    return r;
}

SimResponse SimResponse::dropped()
{
    SimResponse r;
    r.drop = true;
    return r;
}

} // namespace Sim
