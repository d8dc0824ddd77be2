#pragma once

#include "HttpTypes.h"
#include "OracleQuery.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>

namespace Sim {

struct OracleErrorDetail
{
    QString detail;
    QString code;
    QString path;
};

// Outcome of one Oracle operation, before it becomes HTTP (or a batch part).
struct OracleResult
{
    int status = 200;
    QJsonValue body; // item / collection object, or undefined for an empty body
    QList<OracleErrorDetail> errors;
    QList<QPair<QByteArray, QByteArray>> headers; // ETag, Location
    QByteArray contentType = "application/vnd.oracle.adf.resourceitem+json";

    bool isError() const { return status >= 400; }
    static OracleResult
    error(int status, const QString& detail, const QString& code = QString(), const QString& path = QString());
    static OracleResult failure(int status, const QList<OracleErrorDetail>& details);
};

// How an item is shown: framework version, onlyData, fields selection.
struct OracleRenderOptions
{
    int version = 1;
    bool onlyData = false;
    bool hasFields = false;
    QStringList fields;
};

// Collection parameters shared by every ADF collection (q, finder, fields, onlyData, limit,
// offset, orderBy, totalResults, expand).
struct OracleCollectionParams
{
    OracleQuery query;
    OracleRenderOptions render;
    int limit = 25;
    int offset = 0;
    bool totalResults = false;
    QList<QPair<QString, bool>> orderBy; // attr, descending
    QStringList expand;
};

// A finder: name -> variable -> attribute.
using OracleFinders = QHash<QString, QHash<QString, QString>>;

namespace OracleFormat {

// REST-Framework-Version: 1 when absent; false for anything outside 1..9.
bool frameworkVersion(const SimRequest& request, int& version);
SimResponse toResponse(const OracleResult& result, int version);
QJsonObject errorJson(const OracleResult& result);
QString statusTitle(int status);
// 18-digit ids: JSON numbers, strings from framework version 9.
QJsonValue bigId(qint64 id, int version);
QString etagFor(qint64 key, int objectVersion);
bool etagMatches(const QByteArray& header, const QString& etag);

// Links-aware rendering: links go to the item (or under @context from version 6).
QJsonObject renderItem(const QJsonObject& attrs,
                       const QJsonArray& links,
                       const QString& key,
                       const QString& etag,
                       const OracleRenderOptions& options);
QJsonObject link(const QString& rel,
                 const QString& href,
                 const QString& name,
                 const QString& kind,
                 const QString& changeIndicator = QString());

// Parses the collection query parameters; an error result on invalid input.
bool parseCollectionParams(const SimRequest& request,
                           int version,
                           const OracleAttrTypes& attrs,
                           const OracleFinders& finders,
                           int limitCap,
                           OracleCollectionParams& params,
                           OracleResult& error);
// Validates ?fields= for an item request.
bool parseItemParams(const SimRequest& request,
                     int version,
                     const OracleAttrTypes& attrs,
                     OracleRenderOptions& options,
                     OracleResult& error);

// Filters, orders and pages `items`; render turns one matching item into its JSON.
QJsonObject collection(const QVector<QJsonObject>& items,
                       const OracleCollectionParams& params,
                       const OracleAttrTypes& attrs,
                       const QString& selfHref,
                       const QString& name,
                       const std::function<QJsonObject(const QJsonObject&)>& render);

} // namespace OracleFormat
} // namespace Sim
