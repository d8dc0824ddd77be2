#pragma once

#include "Result.h"
#include "zoho/ZohoTypes.h"

#include <QObject>
#include <QUrl>

#include <functional>
#include <optional>

namespace Core {

class ApiClient;
struct HttpResponse;

// Typed Zoho CRM v8 calls over an authorised ApiClient.
class ZohoClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ZohoClient)

public:
    template <typename T>
    using Callback = std::function<void(Result<T>)>;
    using PageCallback = std::function<void(const QList<QJsonObject>& records)>;

    ZohoClient(ApiClient* api, QUrl apiDomain, QObject* parent = nullptr);

    void setApiDomain(const QUrl& apiDomain) { m_apiDomain = apiDomain; }
    QUrl apiDomain() const { return m_apiDomain; }

    static constexpr int kMaxIdsPerCall = 100;
    static constexpr int kMaxFields = 50;
    static constexpr int kPageLimit = 2000; // beyond this, `page` is refused and page_token is needed

    // One record; nullopt when Zoho has no such record (204).
    void getRecord(const QString& module,
                   const QString& id,
                   const QStringList& fields,
                   QObject* context,
                   Callback<std::optional<QJsonObject>> callback);
    // Many records by id; split into calls of at most 100 ids, answered together in one list.
    void getRecords(const QString& module,
                    const QStringList& ids,
                    const QStringList& fields,
                    QObject* context,
                    Callback<QList<QJsonObject>> callback);
    // Every record modified at or after `since` (all records when invalid), oldest first, page by
    // page: `page` for the first 2,000, then `page_token`.
    void listChanged(const QString& module,
                     const QStringList& fields,
                     const QDateTime& since,
                     QObject* context,
                     PageCallback onPage,
                     Callback<ZohoListSummary> onDone,
                     int perPage = 200);
    // The first page of a module, newest first: a cheap "can I read this?" check.
    void firstPage(const QString& module,
                   const QStringList& fields,
                   int perPage,
                   QObject* context,
                   Callback<QList<QJsonObject>> callback);
    void updateRecords(const QString& module,
                       const QList<QJsonObject>& records,
                       QObject* context,
                       Callback<QList<ZohoWriteResult>> callback);

    void enableChannel(const ZohoChannelSpec& spec, QObject* context, Callback<QList<ZohoChannelInfo>> callback);
    void channels(QObject* context, Callback<QList<ZohoChannelInfo>> callback);
    // Moves the expiry: PATCH changes only what is sent (Zoho's update call); PUT replaces the details.
    enum class RenewMethod { Patch, Put };
    void renewChannel(const ZohoChannelSpec& spec,
                      RenewMethod method,
                      QObject* context,
                      Callback<QList<ZohoChannelInfo>> callback);
    void disableChannels(const QStringList& channelIds, QObject* context, Callback<Ok> callback);

    // Zoho's error envelope {code, message, details} as an Error naming what was attempted.
    static Error errorFrom(const HttpResponse& response, const QString& what);
    static QString formatTime(const QDateTime& time);

private:
    struct ListState;
    void listNext(const std::shared_ptr<ListState>& state);
    void writeChannel(const QByteArray& method,
                      const ZohoChannelSpec& spec,
                      QObject* context,
                      Callback<QList<ZohoChannelInfo>> callback);
    QUrl url(const QString& path) const;

    ApiClient* m_api;
    QUrl m_apiDomain;
};

} // namespace Core
