#include "ZohoClient.h"

#include "Logging.h"
#include "net/ApiClient.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QSet>
#include <QUrlQuery>

#include <memory>

namespace Core {

namespace {
constexpr char kVersionPath[] = "/crm/v8";

HttpRequest jsonRequest(const QByteArray& method, const QUrl& url, const QString& label)
{
    HttpRequest request;
    request.method = method;
    request.url = url;
    request.label = label;
    request.setHeader("Accept", "application/json");
    return request;
}

QList<ZohoChannelInfo> parseChannels(const QJsonArray& entries)
{
    QList<ZohoChannelInfo> out;
    for (const auto& value : entries) {
        const QJsonObject o = value.toObject();
        ZohoChannelInfo info;
        info.channelId = o.value(QStringLiteral("channel_id")).toVariant().toString();
        info.module = o.value(QStringLiteral("resource_name")).toString();
        for (const auto& event : o.value(QStringLiteral("events")).toArray())
            info.events << event.toString();
        info.expiry = QDateTime::fromString(o.value(QStringLiteral("channel_expiry")).toString(), Qt::ISODate);
        info.notifyUrl = QUrl(o.value(QStringLiteral("notify_url")).toString());
        out << info;
    }
    return out;
}
} // namespace

struct ZohoClient::ListState
{
    QString module;
    QStringList fields;
    QDateTime since;
    int perPage = 200;
    int page = 1;
    QString pageToken;
    QSet<QString> seenAtSince; // "id|Modified_Time" already delivered at since's second
    QPointer<QObject> context;
    PageCallback onPage;
    Callback<ZohoListSummary> onDone;
    ZohoListSummary summary;
};

ZohoClient::ZohoClient(ApiClient* api, QUrl apiDomain, QObject* parent)
    : QObject(parent)
    , m_api(api)
    , m_apiDomain(std::move(apiDomain))
{ }

QUrl ZohoClient::url(const QString& path) const
{
    QUrl u = m_apiDomain;
    u.setPath(m_apiDomain.path() + QLatin1String(kVersionPath) + path);
    return u;
}

QString ZohoClient::formatTime(const QDateTime& time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd'T'HH:mm:ss")) + QStringLiteral("+00:00");
}

Error ZohoClient::errorFrom(const HttpResponse& response, const QString& what)
{
    const QJsonObject body = QJsonDocument::fromJson(response.body).object();
    const QString code = body.value(QStringLiteral("code")).toString();
    const QString message = body.value(QStringLiteral("message")).toString();
    QString text = QObject::tr("%1: Zoho CRM answered HTTP %2").arg(what).arg(response.status);
    if (!code.isEmpty())
        text += QStringLiteral(" %1").arg(code);
    if (!message.isEmpty())
        text += QStringLiteral(" (%1)").arg(message);
    if (response.attempts > 1)
        text += QObject::tr(" after %1 attempts").arg(response.attempts);
    return Error{errorKindForStatus(response.status), text, response.status, code};
}

void ZohoClient::getRecord(const QString& module,
                           const QString& id,
                           const QStringList& fields,
                           QObject* context,
                           Callback<std::optional<QJsonObject>> callback)
{
    QUrl u = url(QLatin1Char('/') + module + QLatin1Char('/') + id);
    if (!fields.isEmpty())
        u.setQuery(QStringLiteral("fields=") + fields.join(QLatin1Char(',')));
    const QString what = tr("Reading %1 record %2").arg(module, id);
    m_api->call(jsonRequest("GET", u, QStringLiteral("zoho.records.get")), context,
                [callback, what](Result<HttpResponse> answer) {
                    if (!answer)
                        return callback(answer.error());
                    const HttpResponse& r = answer.value();
                    if (r.status == 204)
                        return callback(std::optional<QJsonObject>());
                    if (r.status != 200)
                        return callback(errorFrom(r, what));
                    auto body = jsonObjectOf(r, what, QStringLiteral("Zoho"));
                    if (!body)
                        return callback(body.error());
                    const QJsonArray data = body.value().value(QStringLiteral("data")).toArray();
                    if (data.isEmpty())
                        return callback(std::optional<QJsonObject>());
                    callback(std::optional<QJsonObject>(data.first().toObject()));
                });
}

void ZohoClient::getRecords(const QString& module,
                            const QStringList& ids,
                            const QStringList& fields,
                            QObject* context,
                            Callback<QList<QJsonObject>> callback)
{
    if (fields.isEmpty() || fields.size() > kMaxFields) {
        callback(Error{Error::Kind::InvalidInput,
                       tr("Reading %1 records: Zoho needs between 1 and %2 fields, not %3")
                           .arg(module)
                           .arg(kMaxFields)
                           .arg(fields.size()),
                       0,
                       {}});
        return;
    }
    if (ids.isEmpty()) {
        callback(QList<QJsonObject>());
        return;
    }
    struct Gather
    {
        int pending = 0;
        bool failed = false;
        QList<QJsonObject> records;
    };
    auto gather = std::make_shared<Gather>();
    for (int from = 0; from < ids.size(); from += kMaxIdsPerCall) {
        const QStringList chunk = ids.mid(from, kMaxIdsPerCall);
        QUrl u = url(QLatin1Char('/') + module);
        QUrlQuery query;
        query.addQueryItem(QStringLiteral("ids"), chunk.join(QLatin1Char(',')));
        query.addQueryItem(QStringLiteral("fields"), fields.join(QLatin1Char(',')));
        query.addQueryItem(QStringLiteral("per_page"), QString::number(kMaxIdsPerCall));
        u.setQuery(query);
        ++gather->pending;
        const QString what = tr("Reading %1 %2 records by id").arg(chunk.size()).arg(module);
        m_api->call(jsonRequest("GET", u, QStringLiteral("zoho.records.list")), context,
                    [gather, callback, what](Result<HttpResponse> answer) {
                        --gather->pending;
                        if (gather->failed)
                            return;
                        Result<QJsonObject> body = answer ? Result<QJsonObject>(QJsonObject()) : answer.error();
                        if (answer && answer.value().status == 200)
                            body = jsonObjectOf(answer.value(), what, QStringLiteral("Zoho"));
                        else if (answer && answer.value().status != 204 && answer.value().status != 304)
                            body = errorFrom(answer.value(), what);
                        if (!body) {
                            gather->failed = true;
                            return callback(body.error());
                        }
                        for (const auto& v : body.value().value(QStringLiteral("data")).toArray())
                            gather->records << v.toObject();
                        if (gather->pending == 0)
                            callback(gather->records);
                    });
    }
}

void ZohoClient::listChanged(const QString& module,
                             const QStringList& fields,
                             const QDateTime& since,
                             QObject* context,
                             PageCallback onPage,
                             Callback<ZohoListSummary> onDone,
                             int perPage)
{
    if (fields.isEmpty() || fields.size() > kMaxFields) {
        onDone(Error{
            Error::Kind::InvalidInput,
            tr("Listing %1: Zoho needs between 1 and %2 fields, not %3").arg(module).arg(kMaxFields).arg(fields.size()),
            0,
            {}});
        return;
    }
    auto state = std::make_shared<ListState>();
    state->module = module;
    state->fields = fields;
    state->since = since;
    state->perPage = qBound(1, perPage, 200);
    state->context = context;
    state->onPage = std::move(onPage);
    state->onDone = std::move(onDone);
    listNext(state);
}

void ZohoClient::listNext(const std::shared_ptr<ListState>& s)
{
    QUrl u = url(QLatin1Char('/') + s->module);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("fields"), s->fields.join(QLatin1Char(',')));
    query.addQueryItem(QStringLiteral("per_page"), QString::number(s->perPage));
    query.addQueryItem(QStringLiteral("sort_by"), QStringLiteral("Modified_Time"));
    query.addQueryItem(QStringLiteral("sort_order"), QStringLiteral("asc"));
    if (s->pageToken.isEmpty())
        query.addQueryItem(QStringLiteral("page"), QString::number(s->page));
    else
        query.addQueryItem(QStringLiteral("page_token"), s->pageToken);
    u.setQuery(query);
    HttpRequest request = jsonRequest("GET", u, QStringLiteral("zoho.records.list"));
    if (s->since.isValid())
        request.setHeader("If-Modified-Since", formatTime(s->since).toLatin1());
    const QString what = tr("Listing changed %1 (page %2)").arg(s->module).arg(s->summary.pages + 1);
    m_api->call(request, s->context, [this, s, what](Result<HttpResponse> answer) {
        if (!answer)
            return s->onDone(answer.error());
        const HttpResponse& r = answer.value();
        if (r.status == 204 || r.status == 304) {
            s->summary.notModified = s->summary.pages == 0;
            return s->onDone(s->summary);
        }
        if (r.status != 200)
            return s->onDone(errorFrom(r, what));
        auto body = jsonObjectOf(r, what, QStringLiteral("Zoho"));
        if (!body)
            return s->onDone(body.error());
        QList<QJsonObject> records;
        QDateTime pageMax;
        QStringList atPageMax;
        for (const auto& v : body.value().value(QStringLiteral("data")).toArray()) {
            const QJsonObject record = v.toObject();
            const QString modifiedText = record.value(QStringLiteral("Modified_Time")).toString();
            const QDateTime modified = QDateTime::fromString(modifiedText, Qt::ISODate);
            const QString key = record.value(QStringLiteral("id")).toString() + QLatin1Char('|') + modifiedText;
            if (modified.isValid()) {
                if (!pageMax.isValid() || modified > pageMax) {
                    pageMax = modified;
                    atPageMax.clear();
                }
                if (modified == pageMax)
                    atPageMax << key;
            }
            if (s->seenAtSince.contains(key))
                continue; // listed again because If-Modified-Since is inclusive
            if (modified.isValid() && (!s->summary.maxModifiedTime.isValid() || modified > s->summary.maxModifiedTime))
                s->summary.maxModifiedTime = modified;
            records << record;
        }
        ++s->summary.pages;
        s->summary.records += records.size();
        if (!records.isEmpty())
            s->onPage(records);
        if (!s->context)
            return;
        const QJsonObject info = body.value().value(QStringLiteral("info")).toObject();
        if (!info.value(QStringLiteral("more_records")).toBool())
            return s->onDone(s->summary);
        // Zoho's page and page_token are offsets into a live list: a record edited during the walk
        // jumps to the end and shifts the unread ones back, so the next offset would skip them.
        // Asking again from the page's newest Modified_Time is immune to that; offsets remain only
        // for a page that lies entirely within one second.
        if (pageMax.isValid() && (!s->since.isValid() || pageMax.toSecsSinceEpoch() > s->since.toSecsSinceEpoch())) {
            s->since = pageMax;
            s->page = 1;
            s->pageToken.clear();
            s->seenAtSince = QSet<QString>(atPageMax.cbegin(), atPageMax.cend());
            return listNext(s);
        }
        for (const QString& key : std::as_const(atPageMax))
            s->seenAtSince.insert(key);
        // Zoho serves `page` only within the first 2,000 records; past that only page_token works.
        const int nextPage = s->page + 1;
        if (s->pageToken.isEmpty() && nextPage * s->perPage <= kPageLimit) {
            s->page = nextPage;
        } else {
            const QString token = info.value(QStringLiteral("next_page_token")).toString();
            if (token.isEmpty())
                return s->onDone(Error{Error::Kind::BadResponse,
                                       tr("%1: Zoho said more records follow but gave no next_page_token").arg(what),
                                       r.status,
                                       {}});
            s->pageToken = token;
        }
        listNext(s);
    });
}

void ZohoClient::firstPage(const QString& module,
                           const QStringList& fields,
                           int perPage,
                           QObject* context,
                           Callback<QList<QJsonObject>> callback)
{
    QUrl u = url(QLatin1Char('/') + module);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("fields"), fields.join(QLatin1Char(',')));
    query.addQueryItem(QStringLiteral("per_page"), QString::number(qBound(1, perPage, 200)));
    u.setQuery(query);
    const QString what = tr("Reading %1").arg(module);
    m_api->call(jsonRequest("GET", u, QStringLiteral("zoho.records.list")), context,
                [callback, what](Result<HttpResponse> answer) {
                    if (!answer)
                        return callback(answer.error());
                    const HttpResponse& r = answer.value();
                    if (r.status == 204)
                        return callback(QList<QJsonObject>());
                    if (r.status != 200)
                        return callback(errorFrom(r, what));
                    auto body = jsonObjectOf(r, what, QStringLiteral("Zoho"));
                    if (!body)
                        return callback(body.error());
                    QList<QJsonObject> records;
                    for (const auto& v : body.value().value(QStringLiteral("data")).toArray())
                        records << v.toObject();
                    callback(records);
                });
}

void ZohoClient::updateRecords(const QString& module,
                               const QList<QJsonObject>& records,
                               QObject* context,
                               Callback<QList<ZohoWriteResult>> callback)
{
    if (records.isEmpty() || records.size() > kMaxIdsPerCall) {
        callback(Error{Error::Kind::InvalidInput,
                       tr("Updating %1: Zoho takes 1 to %2 records per call, not %3")
                           .arg(module)
                           .arg(kMaxIdsPerCall)
                           .arg(records.size()),
                       0,
                       {}});
        return;
    }
    QJsonArray data;
    for (const auto& record : records)
        data.append(record);
    HttpRequest request = jsonRequest("PUT", url(QLatin1Char('/') + module), QStringLiteral("zoho.records.write"));
    request.setHeader("Content-Type", "application/json");
    // Workflows stay off: a write-back must not start the customer's automations.
    request.body = QJsonDocument(QJsonObject{{QStringLiteral("data"), data}, {QStringLiteral("trigger"), QJsonArray()}})
                       .toJson(QJsonDocument::Compact);
    const QString what = tr("Updating %1 %2 records").arg(records.size()).arg(module);
    m_api->call(request, context, [callback, what](Result<HttpResponse> answer) {
        if (!answer)
            return callback(answer.error());
        const HttpResponse& r = answer.value();
        if (r.status != 200 && r.status != 201 && r.status != 207 && r.status != 400)
            return callback(errorFrom(r, what));
        auto body = jsonObjectOf(r, what, QStringLiteral("Zoho"));
        if (!body)
            return callback(body.error());
        const QJsonValue dataValue = body.value().value(QStringLiteral("data"));
        if (!dataValue.isArray())
            return callback(errorFrom(r, what)); // a top-level error, not per record
        QList<ZohoWriteResult> results;
        for (const auto& v : dataValue.toArray()) {
            const QJsonObject item = v.toObject();
            const QJsonObject details = item.value(QStringLiteral("details")).toObject();
            ZohoWriteResult result;
            result.code = item.value(QStringLiteral("code")).toString();
            result.ok = result.code == QLatin1String("SUCCESS");
            result.message = item.value(QStringLiteral("message")).toString();
            result.id = details.value(QStringLiteral("id")).toString();
            result.field = details.value(QStringLiteral("api_name")).toString();
            result.modifiedTime =
                QDateTime::fromString(details.value(QStringLiteral("Modified_Time")).toString(), Qt::ISODate);
            results << result;
        }
        callback(results);
    });
}

void ZohoClient::enableChannel(const ZohoChannelSpec& spec, QObject* context, Callback<QList<ZohoChannelInfo>> callback)
{
    writeChannel("POST", spec, context, std::move(callback));
}

void ZohoClient::renewChannel(const ZohoChannelSpec& spec,
                              RenewMethod method,
                              QObject* context,
                              Callback<QList<ZohoChannelInfo>> callback)
{
    writeChannel(method == RenewMethod::Patch ? "PATCH" : "PUT", spec, context, std::move(callback));
}

void ZohoClient::writeChannel(const QByteArray& method,
                              const ZohoChannelSpec& spec,
                              QObject* context,
                              Callback<QList<ZohoChannelInfo>> callback)
{
    if (spec.token.size() > 50) {
        callback(Error{Error::Kind::InvalidInput, tr("The channel token may have at most 50 characters"), 0, {}});
        return;
    }
    QJsonObject watch{{QStringLiteral("channel_id"), spec.channelId.toLongLong()}};
    if (method != "PATCH" || !spec.events.isEmpty())
        watch.insert(QStringLiteral("events"), QJsonArray::fromStringList(spec.events));
    if (method != "PATCH" || spec.notifyUrl.isValid())
        watch.insert(QStringLiteral("notify_url"), spec.notifyUrl.toString(QUrl::FullyEncoded));
    if (!spec.token.isEmpty() && method != "PATCH")
        watch.insert(QStringLiteral("token"), spec.token);
    if (spec.expiry.isValid())
        watch.insert(QStringLiteral("channel_expiry"), formatTime(spec.expiry));
    HttpRequest request =
        jsonRequest(method, url(QStringLiteral("/actions/watch")),
                    method == "POST" ? QStringLiteral("zoho.watch.enable") : QStringLiteral("zoho.watch.renew"));
    request.setHeader("Content-Type", "application/json");
    request.body =
        QJsonDocument(QJsonObject{{QStringLiteral("watch"), QJsonArray{watch}}}).toJson(QJsonDocument::Compact);
    // Enabling the same channel id twice is harmless at Zoho (it replaces it), so retries are safe.
    request.retryUnsafe = true;
    const QString what = tr("Setting up notification channel %1").arg(spec.channelId);
    m_api->call(request, context, [callback, what](Result<HttpResponse> answer) {
        if (!answer)
            return callback(answer.error());
        const HttpResponse& r = answer.value();
        if (r.status != 200 && r.status != 201)
            return callback(errorFrom(r, what));
        auto body = jsonObjectOf(r, what, QStringLiteral("Zoho"));
        if (!body)
            return callback(body.error());
        QJsonArray events;
        for (const auto& item : body.value().value(QStringLiteral("watch")).toArray()) {
            const QJsonObject o = item.toObject();
            if (o.value(QStringLiteral("status")).toString() != QLatin1String("success"))
                return callback(Error{Error::Kind::InvalidInput,
                                      tr("%1: Zoho answered %2 (%3)")
                                          .arg(what, o.value(QStringLiteral("code")).toString(),
                                               o.value(QStringLiteral("message")).toString()),
                                      r.status, o.value(QStringLiteral("code")).toString()});
            for (const auto& e :
                 o.value(QStringLiteral("details")).toObject().value(QStringLiteral("events")).toArray())
                events.append(e);
        }
        callback(parseChannels(events));
    });
}

void ZohoClient::channels(QObject* context, Callback<QList<ZohoChannelInfo>> callback)
{
    const QString what = tr("Listing notification channels");
    m_api->call(jsonRequest("GET", url(QStringLiteral("/actions/watch")), QStringLiteral("zoho.watch.get")), context,
                [callback, what](Result<HttpResponse> answer) {
                    if (!answer)
                        return callback(answer.error());
                    const HttpResponse& r = answer.value();
                    if (r.status == 204)
                        return callback(QList<ZohoChannelInfo>());
                    if (r.status != 200)
                        return callback(errorFrom(r, what));
                    auto body = jsonObjectOf(r, what, QStringLiteral("Zoho"));
                    if (!body)
                        return callback(body.error());
                    callback(parseChannels(body.value().value(QStringLiteral("watch")).toArray()));
                });
}

void ZohoClient::disableChannels(const QStringList& channelIds, QObject* context, Callback<Ok> callback)
{
    QUrl u = url(QStringLiteral("/actions/watch"));
    u.setQuery(QStringLiteral("channel_ids=") + channelIds.join(QLatin1Char(',')));
    const QString what = tr("Disabling notification channels %1").arg(channelIds.join(QStringLiteral(", ")));
    m_api->call(jsonRequest("DELETE", u, QStringLiteral("zoho.watch.disable")), context,
                [callback, what](Result<HttpResponse> answer) {
                    if (!answer)
                        return callback(answer.error());
                    if (answer.value().status != 200 && answer.value().status != 204)
                        return callback(errorFrom(answer.value(), what));
                    callback(Ok{});
                });
}

} // namespace Core
