#include "HttpTypes.h"

#include <QJsonDocument>
#include <QObject>

namespace Core {

QByteArray headerValue(const HeaderList& headers, const QByteArray& name)
{
    for (const auto& header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0)
            return header.second;
    }
    return {};
}

bool HttpRequest::isIdempotent() const
{
    return method == "GET" || method == "HEAD" || method == "PUT" || method == "DELETE" || method == "OPTIONS";
}

void HttpRequest::setHeader(const QByteArray& name, const QByteArray& value)
{
    for (auto& header : headers) {
        if (header.first.compare(name, Qt::CaseInsensitive) == 0) {
            header.second = value;
            return;
        }
    }
    headers.append({name, value});
}

HttpOutcome classifyStatus(int status)
{
    if ((status >= 200 && status < 300) || status == 304)
        return HttpOutcome::Success;
    switch (status) {
    case 401:
        return HttpOutcome::Unauthorized;
    case 403:
        return HttpOutcome::Forbidden;
    case 404:
    case 410:
        return HttpOutcome::NotFound;
    case 409:
    case 412:
        return HttpOutcome::Conflict;
    case 429:
        return HttpOutcome::Throttled;
    default:
        break;
    }
    if (status >= 500)
        return HttpOutcome::ServerError;
    return HttpOutcome::ClientError;
}

Error::Kind errorKindForStatus(int status)
{
    switch (classifyStatus(status)) {
    case HttpOutcome::Unauthorized:
        return Error::Kind::Auth;
    case HttpOutcome::Forbidden:
        return Error::Kind::Forbidden;
    case HttpOutcome::NotFound:
        return Error::Kind::NotFound;
    case HttpOutcome::Conflict:
        return Error::Kind::Conflict;
    case HttpOutcome::Throttled:
        return Error::Kind::Throttled;
    case HttpOutcome::ServerError:
        return Error::Kind::Server;
    case HttpOutcome::ClientError:
        return Error::Kind::InvalidInput;
    default:
        break;
    }
    return Error::Kind::BadResponse;
}

Result<QJsonObject> jsonObjectOf(const HttpResponse& response, const QString& what, const QString& system)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(response.body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return Error{Error::Kind::BadResponse,
                     QObject::tr("%1: %2 answered HTTP %3 with a body that is not JSON (%4 at byte %5)")
                         .arg(what, system)
                         .arg(response.status)
                         .arg(error.errorString())
                         .arg(error.offset),
                     response.status, QStringLiteral("bad_json")};
    return doc.object();
}

QString outcomeName(HttpOutcome outcome)
{
    switch (outcome) {
    case HttpOutcome::Success:
        return QStringLiteral("success");
    case HttpOutcome::NetworkError:
        return QStringLiteral("network error");
    case HttpOutcome::Timeout:
        return QStringLiteral("timeout");
    case HttpOutcome::Unauthorized:
        return QStringLiteral("unauthorized");
    case HttpOutcome::Forbidden:
        return QStringLiteral("forbidden");
    case HttpOutcome::NotFound:
        return QStringLiteral("not found");
    case HttpOutcome::Conflict:
        return QStringLiteral("conflict");
    case HttpOutcome::Throttled:
        return QStringLiteral("throttled");
    case HttpOutcome::ServerError:
        return QStringLiteral("server error");
    case HttpOutcome::ClientError:
        return QStringLiteral("client error");
    }
    return {};
}

} // namespace Core
