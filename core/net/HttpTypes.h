#pragma once

#include "Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>

namespace Core {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

// Case-insensitive header lookup; HTTP header names are not case-sensitive.
QByteArray headerValue(const HeaderList& headers, const QByteArray& name);

struct HttpRequest
{
    QByteArray method = QByteArrayLiteral("GET");
    QUrl url;
    HeaderList headers;
    QByteArray body; // always a byte array, so a request can be replayed after a retry or a refresh
    int timeoutMs = 30000;
    // A POST or PATCH may be retried only when the caller guards it (dedupe key, re-query first).
    bool retryUnsafe = false;
    QString label; // names the call in logs, e.g. "zoho.records.get"

    bool isIdempotent() const;
    void setHeader(const QByteArray& name, const QByteArray& value);
    QByteArray header(const QByteArray& name) const { return headerValue(headers, name); }
};

struct HttpResponse
{
    int status = 0;
    HeaderList headers;
    QByteArray body;
    qint64 elapsedMs = 0;
    int attempts = 1; // how many times the call was sent, retries included

    QByteArray header(const QByteArray& name) const { return headerValue(headers, name); }
};

// What kind of answer a call got, independent of which API it was.
enum class HttpOutcome {
    Success,      // 2xx and 304
    NetworkError, // no HTTP answer: refused, reset, DNS, TLS
    Timeout,      // no answer within the transfer timeout
    Unauthorized, // 401
    Forbidden,    // 403
    NotFound,     // 404 and 410
    Conflict,     // 409 and 412
    Throttled,    // 429
    ServerError,  // 5xx
    ClientError,  // any other 4xx
};

HttpOutcome classifyStatus(int status);
// The Error kind an HTTP error status stands for, the same for both APIs.
Error::Kind errorKindForStatus(int status);
QString outcomeName(HttpOutcome outcome);
// The answer's body as a JSON object, or an error naming the call, the system and the parse failure.
Result<QJsonObject> jsonObjectOf(const HttpResponse& response, const QString& what, const QString& system);

} // namespace Core
