#pragma once

#include <QByteArray>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

class QHttpServerRequest;

namespace Sim {

// A copy of one HTTP request, detached from QtHttpServer: 6.4 reuses its request object per
// connection, so anything answered later (latency injection) must not hold on to it.
struct SimRequest
{
    QByteArray method; // "GET", "POST", ...
    QString path;      // decoded path, no query
    QByteArray rawQuery;
    QList<QPair<QString, QString>> queryItems; // decoded, '+' read as space (servlet rules)
    QHash<QByteArray, QByteArray> headers;     // lower-case names
    QByteArray body;

    static SimRequest fromQt(const QHttpServerRequest& request);
    static QList<QPair<QString, QString>> parseForm(const QByteArray& encoded);

    QByteArray header(const QByteArray& lowerName) const { return headers.value(lowerName); }
    bool hasHeader(const QByteArray& lowerName) const { return headers.contains(lowerName); }
    bool hasQuery(const QString& key) const;
    QString query(const QString& key) const;
    // "GET /crm/v8/Contacts", the string scripted faults match against (plus "?query" when present).
    QString methodAndPath() const;
};

// One answer. drop = close the connection without answering.
struct SimResponse
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    bool drop = false;

    void setHeader(const QByteArray& name, const QByteArray& value);
    QByteArray headerValue(const QByteArray& name) const;

    static SimResponse json(int status, const QJsonObject& object);
    static SimResponse json(int status, const QJsonArray& array);
    static SimResponse bytes(int status, const QByteArray& body, const QByteArray& contentType);
    static SimResponse empty(int status);
    static SimResponse dropped();
};

} // namespace Sim
