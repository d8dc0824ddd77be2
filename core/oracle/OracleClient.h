#pragma once

#include "Result.h"
#include "net/HttpTypes.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QUrl>
#include <QUrlQuery>

#include <functional>
#include <optional>

namespace Core {

class ApiClient;

struct OracleAccount
{
    QJsonObject item;
    QByteArray etag; // for If-Match on the next PATCH

    QString partyNumber() const { return item.value(QStringLiteral("PartyNumber")).toString(); }
};

// Typed Oracle Fusion REST calls over an authorised ApiClient. Every request pins
// REST-Framework-Version (4 or higher, for structured errors), and both error shapes (plain
// text below 4, o:errorDetails JSON from 4 on) become one Error.
class OracleClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OracleClient)

public:
    template <typename T>
    using Callback = std::function<void(Result<T>)>;

    OracleClient(ApiClient* api, QUrl pod, QString sourceSystem, QObject* parent = nullptr);

    void setFrameworkVersion(int version) { m_frameworkVersion = qMax(4, version); }
    int frameworkVersion() const { return m_frameworkVersion; }
    QString sourceSystem() const { return m_sourceSystem; }

    // Accounts carrying our SourceSystem and this reference (the Zoho id); normally zero or one.
    void findBySourceReference(const QString& reference, QObject* context, Callback<QList<OracleAccount>> callback);
    void
    findByPartyNumber(const QString& partyNumber, QObject* context, Callback<std::optional<OracleAccount>> callback);
    // Creates an account with SourceSystem set. Never retried after a timeout: the create may have
    // happened, and the caller must look it up by reference before trying again.
    void createAccount(QJsonObject payload, QObject* context, Callback<OracleAccount> callback);
    // A partial update; with an ETag, a concurrent change in Oracle gives a Conflict error (412).
    void updateAccount(const QString& partyNumber,
                       const QJsonObject& changes,
                       const QByteArray& etag,
                       QObject* context,
                       Callback<OracleAccount> callback);
    // One page of the accounts carrying our SourceSystem: PartyNumber and reference only.
    void listOurAccounts(int offset, int limit, QObject* context, Callback<QPair<QList<QJsonObject>, bool>> callback);
    // Accounts updated after `since`, oldest first, one page.
    void accountsChangedSince(const QDateTime& since,
                              int offset,
                              int limit,
                              QObject* context,
                              Callback<QPair<QList<QJsonObject>, bool>> callback);
    // Receivables activity (open balance and friends) of a customer account; nullopt when none.
    void
    receivablesActivity(const QString& accountNumber, QObject* context, Callback<std::optional<QJsonObject>> callback);
    // The same, found by the customer's party (CustomerId = PartyId) when the account number is unknown.
    void receivablesActivityForParty(const QString& partyId,
                                     QObject* context,
                                     Callback<std::optional<QJsonObject>> callback);
    // Oracle batch: all parts or none. The answer is the list of parts with their payloads.
    void batch(const QJsonArray& parts, QObject* context, Callback<QJsonArray> callback);

    static Error errorFrom(const HttpResponse& response, const QString& what);
    static QString formatTime(const QDateTime& time);

private:
    QUrl accountsUrl(const QString& suffix = {}) const;
    HttpRequest request(const QByteArray& method, const QUrl& url, const QString& label) const;
    void query(const QUrl& url, const QString& what, QObject* context, Callback<QJsonObject> callback);
    void firstReceivables(const QUrlQuery& query,
                          const QString& what,
                          QObject* context,
                          Callback<std::optional<QJsonObject>> callback);

    ApiClient* m_api;
    QUrl m_pod;
    QString m_sourceSystem;
    int m_frameworkVersion = 4;
};

} // namespace Core
