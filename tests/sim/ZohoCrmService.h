#pragma once

#include "HttpTypes.h"
#include "ZohoRecordStore.h"

#include <QHash>

namespace Sim {

struct SimContext;
class FaultInjector;
class ZohoTokenStore;
class ZohoLimits;
class ZohoWatchService;

// Zoho CRM /crm/v8: authentication, scopes, credits, then the records API (list with page and
// page_token paging, get, create/update/upsert/delete). /actions/watch is passed to the watch
// service after the same checks.
class ZohoCrmService final
{
public:
    ZohoCrmService(SimContext& ctx,
                   ZohoTokenStore& tokens,
                   ZohoRecordStore& records,
                   ZohoLimits& limits,
                   FaultInjector& faults,
                   ZohoWatchService& watch);

    SimResponse handle(const SimRequest& request);

    static SimResponse
    error(int status, const QString& code, const QString& message, const QJsonObject& details = QJsonObject());
    static SimResponse tooManyRequests();

private:
    struct PageToken
    {
        ZohoModule module = ZohoModule::Contacts;
        QString binding;
        int offset = 0;
        qint64 expiresAtMs = 0;
    };

    SimResponse authenticate(const SimRequest& request, QStringList& scopes);
    SimResponse list(const SimRequest& request, ZohoModule m);
    SimResponse get(const SimRequest& request, ZohoModule m, const QString& idText);
    SimResponse write(const SimRequest& request, ZohoModule m, const QString& idText, bool upsert);
    SimResponse remove(const SimRequest& request, ZohoModule m, const QString& idText);
    // Parses and checks ?fields=; error response when invalid.
    bool
    parseFields(const SimRequest& request, ZohoModule m, bool required, QStringList& fields, SimResponse& err) const;
    QString issuePageToken(ZohoModule m, const QString& binding, int offset, qint64& expiresAtMs);
    SimResponse
    writeStatus(const QJsonArray& results, int successes, int failures, bool anyInserted, bool anyUpdated) const;

    SimContext& m_ctx;
    ZohoTokenStore& m_tokens;
    ZohoRecordStore& m_records;
    ZohoLimits& m_limits;
    FaultInjector& m_faults;
    ZohoWatchService& m_watch;
    QHash<QString, PageToken> m_pageTokens;
};

} // namespace Sim
