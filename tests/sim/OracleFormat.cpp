#include "OracleFormat.h"

#include "TimeUtil.h"

#include <algorithm>

namespace Sim {

OracleResult OracleResult::error(int status, const QString& detail, const QString& code, const QString& path)
{
    return failure(status, {OracleErrorDetail{detail, code, path}});
}

OracleResult OracleResult::failure(int status, const QList<OracleErrorDetail>& details)
{
    OracleResult r;
    r.status = status;
    r.errors = details;
    return r;
}

namespace OracleFormat {

namespace {
// A serialized java.util.ArrayList, like Fusion's change indicators.
const char kEtagPrefix[] =
    "ACED0005737200136A6176612E7574696C2E41727261794C6973747881D21D99C7619D03000149000473697A65787"
    "000000001770400000001737200116A6176612E6C616E672E496E746567657212E2A0A4F7818738020001490005"
    "76616C7565787200106A6176612E6C616E672E4E756D62657286AC951D0B94E08B0200007870";

QString valueSortText(const QJsonValue& v)
{
    if (v.isString())
        return v.toString();
    return QString();
}
} // namespace

bool frameworkVersion(const SimRequest& request, int& version)
{
    version = 1;
    if (!request.hasHeader("rest-framework-version"))
        return true;
    bool ok = false;
    version = QString::fromLatin1(request.header("rest-framework-version")).trimmed().toInt(&ok);
    return ok && version >= 1 && version <= 9;
}

QString statusTitle(int status)
{
    switch (status) {
    case 400:
        return QStringLiteral("Bad Request");
    case 401:
        return QStringLiteral("Unauthorized");
    case 403:
        return QStringLiteral("Forbidden");
    case 404:
        return QStringLiteral("Not Found");
    case 405:
        return QStringLiteral("Method Not Allowed");
    case 406:
        return QStringLiteral("Not Acceptable");
    case 412:
        return QStringLiteral("Precondition Failed");
    case 415:
        return QStringLiteral("Unsupported Media Type");
    case 500:
        return QStringLiteral("Internal Server Error");
    default:
        return QStringLiteral("Error");
    }
}

QJsonObject errorJson(const OracleResult& result)
{
    QJsonArray details;
    for (const OracleErrorDetail& d : result.errors) {
        QJsonObject o{{QStringLiteral("detail"), d.detail}};
        if (!d.code.isEmpty())
            o.insert(QStringLiteral("o:errorCode"), d.code);
        if (!d.path.isEmpty())
            o.insert(QStringLiteral("o:errorPath"), d.path);
        details.append(o);
    }
    QJsonObject o{{QStringLiteral("title"), statusTitle(result.status)},
                  {QStringLiteral("status"), QString::number(result.status)}};
    if (!details.isEmpty())
        o.insert(QStringLiteral("o:errorDetails"), details);
    return o;
}

SimResponse toResponse(const OracleResult& result, int version)
{
    SimResponse r;
    if (result.isError() && !result.errors.isEmpty()) {
        if (version >= 4) {
            r = SimResponse::bytes(result.status, QJsonDocument(errorJson(result)).toJson(QJsonDocument::Compact),
                                   "application/vnd.oracle.adf.error+json");
        } else {
            QStringList lines;
            for (const OracleErrorDetail& d : result.errors)
                lines.append(d.detail);
            r = SimResponse::bytes(result.status, lines.join(QLatin1Char('\n')).toUtf8(), "text/plain;charset=UTF-8");
        }
    } else if (result.body.isObject()) {
        r = SimResponse::bytes(result.status, QJsonDocument(result.body.toObject()).toJson(QJsonDocument::Compact),
                               result.contentType);
    } else {
        r = SimResponse::empty(result.status);
    }
    for (const auto& h : result.headers)
        r.setHeader(h.first, h.second);
    r.setHeader("REST-Framework-Version", QByteArray::number(version));
    return r;
}

QJsonValue bigId(qint64 id, int version)
{
    if (version >= 9)
        return QString::number(id);
    return QJsonValue(id);
}

QString etagFor(qint64 key, int objectVersion)
{
    return QString::fromLatin1(kEtagPrefix) +
           QStringLiteral("%1").arg(quint32(key & 0xffffff), 6, 16, QLatin1Char('0')).toUpper() +
           QStringLiteral("%1").arg(objectVersion, 8, 16, QLatin1Char('0')).toUpper() + QStringLiteral("78");
}

bool etagMatches(const QByteArray& header, const QString& etag)
{
    const QList<QByteArray> candidates = header.split(',');
    for (QByteArray c : candidates) {
        c = c.trimmed();
        if (c == "*")
            return true;
        if (c.startsWith("W/"))
            c = c.mid(2);
        if (c.size() >= 2 && c.startsWith('"') && c.endsWith('"'))
            c = c.mid(1, c.size() - 2);
        if (QString::fromLatin1(c) == etag)
            return true;
    }
    return false;
}

QJsonObject
link(const QString& rel, const QString& href, const QString& name, const QString& kind, const QString& changeIndicator)
{
    QJsonObject o{{QStringLiteral("rel"), rel},
                  {QStringLiteral("href"), href},
                  {QStringLiteral("name"), name},
                  {QStringLiteral("kind"), kind}};
    if (!changeIndicator.isEmpty())
        o.insert(QStringLiteral("properties"), QJsonObject{{QStringLiteral("changeIndicator"), changeIndicator}});
    return o;
}

QJsonObject renderItem(const QJsonObject& attrs,
                       const QJsonArray& links,
                       const QString& key,
                       const QString& etag,
                       const OracleRenderOptions& options)
{
    QJsonObject out;
    if (options.hasFields) {
        for (const QString& f : options.fields)
            out.insert(f, attrs.value(f).isUndefined() ? QJsonValue() : attrs.value(f));
    } else {
        out = attrs;
    }
    if (options.version >= 6) {
        QJsonObject context{{QStringLiteral("key"), key},
                            {QStringLiteral("headers"), QJsonObject{{QStringLiteral("ETag"), etag}}}};
        if (!options.onlyData)
            context.insert(QStringLiteral("links"), links);
        out.insert(QStringLiteral("@context"), context);
    } else if (!options.onlyData) {
        out.insert(QStringLiteral("links"), links);
    }
    return out;
}

namespace {
bool parseFieldsParam(const SimRequest& request,
                      const OracleAttrTypes& attrs,
                      OracleRenderOptions& options,
                      OracleResult& error)
{
    if (!request.hasQuery(QStringLiteral("fields")))
        return true;
    options.hasFields = true;
    const QStringList parts = request.query(QStringLiteral("fields")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (const QString& p : parts) {
        const QString f = p.trimmed();
        if (f.isEmpty())
            continue;
        if (!attrs.contains(f)) {
            error = OracleResult::error(400, QStringLiteral("The field %1 in the fields parameter isn't valid.").arg(f),
                                        QStringLiteral("27022"), QStringLiteral("fields"));
            return false;
        }
        if (!options.fields.contains(f))
            options.fields.append(f);
    }
    return true;
}
} // namespace

bool parseItemParams(const SimRequest& request,
                     int version,
                     const OracleAttrTypes& attrs,
                     OracleRenderOptions& options,
                     OracleResult& error)
{
    options.version = version;
    options.onlyData =
        request.query(QStringLiteral("onlyData")).compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
    return parseFieldsParam(request, attrs, options, error);
}

bool parseCollectionParams(const SimRequest& request,
                           int version,
                           const OracleAttrTypes& attrs,
                           const OracleFinders& finders,
                           int limitCap,
                           OracleCollectionParams& params,
                           OracleResult& error)
{
    if (!parseItemParams(request, version, attrs, params.render, error))
        return false;
    if (request.hasQuery(QStringLiteral("limit"))) {
        bool ok = false;
        params.limit = request.query(QStringLiteral("limit")).trimmed().toInt(&ok);
        if (!ok || params.limit < 0) {
            error = OracleResult::error(400, QStringLiteral("The limit parameter value isn't valid."));
            return false;
        }
    }
    params.limit = qMin(params.limit, limitCap); // silently capped, like Fusion's 499
    if (request.hasQuery(QStringLiteral("offset"))) {
        bool ok = false;
        params.offset = request.query(QStringLiteral("offset")).trimmed().toInt(&ok);
        if (!ok || params.offset < 0) {
            error = OracleResult::error(400, QStringLiteral("The offset parameter value isn't valid."));
            return false;
        }
    }
    params.totalResults =
        request.query(QStringLiteral("totalResults")).compare(QLatin1String("true"), Qt::CaseInsensitive) == 0;
    if (request.hasQuery(QStringLiteral("orderBy"))) {
        const QStringList parts = request.query(QStringLiteral("orderBy")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString& p : parts) {
            const QStringList kv = p.trimmed().split(QLatin1Char(':'));
            const QString attr = kv.value(0).trimmed();
            const QString dir = kv.value(1, QStringLiteral("asc")).trimmed().toLower();
            if (!attrs.contains(attr) || (dir != QLatin1String("asc") && dir != QLatin1String("desc")) ||
                kv.size() > 2) {
                error =
                    OracleResult::error(400, QStringLiteral("The orderBy parameter %1 isn't valid.").arg(p.trimmed()));
                return false;
            }
            params.orderBy.append({attr, dir == QLatin1String("desc")});
        }
    }
    if (request.hasQuery(QStringLiteral("expand"))) {
        params.expand = request.query(QStringLiteral("expand")).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString& e : params.expand)
            e = e.trimmed();
    }
    QString message;
    if (request.hasQuery(QStringLiteral("q")) &&
        !params.query.parse(request.query(QStringLiteral("q")), version, attrs, message)) {
        error = OracleResult::error(400, QStringLiteral("The query parameter q isn't valid: %1").arg(message),
                                    QStringLiteral("27023"), QStringLiteral("q"));
        return false;
    }
    if (request.hasQuery(QStringLiteral("finder"))) {
        const QString finder = request.query(QStringLiteral("finder"));
        const int semi = finder.indexOf(QLatin1Char(';'));
        const QString name = (semi < 0 ? finder : finder.left(semi)).trimmed();
        const auto spec = finders.find(name);
        if (spec == finders.constEnd()) {
            error = OracleResult::error(400, QStringLiteral("The finder %1 isn't valid for this resource.").arg(name));
            return false;
        }
        const QStringList vars =
            semi < 0 ? QStringList() : finder.mid(semi + 1).split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString& v : vars) {
            const int eq = v.indexOf(QLatin1Char('='));
            const QString var = v.left(eq).trimmed();
            QString value = eq < 0 ? QString() : v.mid(eq + 1).trimmed();
            if (value.size() >= 2 && value.startsWith(QLatin1Char('\'')) && value.endsWith(QLatin1Char('\'')))
                value = value.mid(1, value.size() - 2);
            if (eq < 0 || !spec->contains(var)) {
                error = OracleResult::error(
                    400, QStringLiteral("The finder variable %1 isn't valid for the finder %2.").arg(var, name));
                return false;
            }
            const QString attr = spec->value(var);
            if (attr.isEmpty())
                continue; // accepted but not filtering (e.g. TransactionLimitByDays)
            if (!params.query.addEquality(attr, value, attrs, message)) {
                error = OracleResult::error(400, message);
                return false;
            }
        }
    }
    return true;
}

QJsonObject collection(const QVector<QJsonObject>& items,
                       const OracleCollectionParams& params,
                       const OracleAttrTypes& attrs,
                       const QString& selfHref,
                       const QString& name,
                       const std::function<QJsonObject(const QJsonObject&)>& render)
{
    QVector<int> matching;
    matching.reserve(items.size());
    for (int i = 0; i < items.size(); ++i) {
        if (params.query.matches(items.at(i)))
            matching.append(i);
    }
    if (!params.orderBy.isEmpty()) {
        std::stable_sort(matching.begin(), matching.end(), [&](int a, int b) {
            for (const auto& ob : params.orderBy) {
                const QJsonValue va = items.at(a).value(ob.first);
                const QJsonValue vb = items.at(b).value(ob.first);
                int c = 0;
                const OracleAttrType type = attrs.value(ob.first);
                if (type == OracleAttrType::Number) {
                    const double da = va.toDouble();
                    const double db = vb.toDouble();
                    c = da < db ? -1 : (da > db ? 1 : 0);
                    if (va.isString() || vb.isString())
                        c = QString::compare(va.toString(), vb.toString());
                } else if (type == OracleAttrType::DateTime || type == OracleAttrType::Date) {
                    const qint64 ta = parseTime(va.toString()).value_or(0);
                    const qint64 tb = parseTime(vb.toString()).value_or(0);
                    c = ta < tb ? -1 : (ta > tb ? 1 : 0);
                } else {
                    c = valueSortText(va).compare(valueSortText(vb), Qt::CaseInsensitive);
                }
                if (c != 0)
                    return ob.second ? c > 0 : c < 0;
            }
            return false;
        });
    }
    const int total = matching.size();
    const int start = qMin(params.offset, total);
    const int end = qMin(total, start + params.limit);
    QJsonArray out;
    for (int i = start; i < end; ++i)
        out.append(render(items.at(matching.at(i))));
    QJsonObject o{{QStringLiteral("items"), out},
                  {QStringLiteral("count"), out.size()},
                  {QStringLiteral("hasMore"), end < total},
                  {QStringLiteral("limit"), params.limit},
                  {QStringLiteral("offset"), params.offset}};
    if (params.totalResults)
        o.insert(QStringLiteral("totalResults"), total);
    if (!params.render.onlyData)
        o.insert(QStringLiteral("links"),
                 QJsonArray{link(QStringLiteral("self"), selfHref, name, QStringLiteral("collection"))});
    return o;
}

} // namespace OracleFormat
} // namespace Sim
