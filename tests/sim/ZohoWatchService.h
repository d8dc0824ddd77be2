#pragma once

#include "HttpTypes.h"
#include "ZohoRecordStore.h"

#include <QMap>
#include <QSet>

namespace Sim {

struct SimContext;
class CallbackDispatcher;

struct ZohoChannel
{
    QString channelId;
    QStringList events; // "Contacts.all", "Accounts.edit", ... (canonical module name)
    QString notifyUrl;
    QJsonValue token; // string or null
    qint64 expiresAtMs = 0;
    qint64 createdMs = 0;
    bool notifyOnRelatedAction = true;
    bool returnAffectedFieldValues = false;
    QJsonArray notificationCondition; // stored and echoed, not evaluated
    int callbacks = 0;
};

// /crm/v8/actions/watch (enable, list, replace, patch, disable) and the callbacks a record change
// triggers on every live channel subscribed to that module and operation.
class ZohoWatchService final
{
public:
    ZohoWatchService(SimContext& ctx, ZohoRecordStore& records, CallbackDispatcher& dispatcher);

    // Called after ZohoCrmService has authenticated the request.
    SimResponse handle(const SimRequest& request);
    void onChange(const ZohoChange& change);

    QJsonArray channelsJson() const; // for /_sim/channels, expired ones included
    QStringList secrets() const;     // channel tokens
    int liveChannelCount() const;

private:
    enum class Mode { Enable, Replace, Patch };

    SimResponse enable(const SimRequest& request, Mode mode);
    SimResponse list(const SimRequest& request);
    SimResponse disable(const SimRequest& request);
    // Validates one watch item into channel (existing values kept for Patch); error item on failure.
    bool parseItem(const QJsonObject& item,
                   int index,
                   Mode mode,
                   ZohoChannel& channel,
                   bool& deleteEvents,
                   QJsonObject& error) const;
    QJsonArray eventEntries(const ZohoChannel& c) const;
    bool isLive(const ZohoChannel& c) const;
    QString resourceUri(ZohoModule m, const QString& version) const;

    SimContext& m_ctx;
    ZohoRecordStore& m_records;
    CallbackDispatcher& m_dispatcher;
    QMap<QString, ZohoChannel> m_channels;
};

} // namespace Sim
