#pragma once

#include "Result.h"
#include "config/ConnectionSettings.h"
#include "net/RetryPolicy.h"

#include <QObject>
#include <QUrl>

#include <optional>

class QNetworkAccessManager;

namespace Core {

class ApiClient;
class Clock;
class CredentialStore;
class HttpClient;
class OracleClient;
class TokenSource;
class ZohoClient;
class ZohoTokenManager;

// Both sides' clients built from settings: the HTTP client with Zoho's concurrency limit, the
// token sources, the authorised API clients and the typed clients. Settings that cannot work
// (an unknown data centre, plain http to a remote pod) leave that side unconfigured, with the
// reason in zohoProblem()/oracleProblem().
class Connections final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Connections)

public:
    Connections(QNetworkAccessManager* network,
                CredentialStore* secrets,
                const ZohoConnection& zoho,
                const OracleConnection& oracle,
                const RetryPolicy& retry = {},
                const Clock* clock = nullptr,
                QObject* parent = nullptr);

    HttpClient* http() const { return m_http; }
    ZohoTokenManager* zohoTokens() const { return m_zohoTokens; }
    ZohoClient* zoho() const { return m_zoho; }
    ApiClient* zohoApi() const { return m_zohoApi; } // every Zoho CRM call (the credit meter watches it)
    TokenSource* oracleAuth() const { return m_oracleAuth; }
    OracleClient* oracle() const { return m_oracle; }

    const std::optional<Error>& zohoProblem() const { return m_zohoProblem; }
    const std::optional<Error>& oracleProblem() const { return m_oracleProblem; }
    QString zohoDataCentreLabel() const { return m_zohoDcLabel; }
    QUrl zohoAccountsUrl() const { return m_zohoAccountsUrl; }
    QUrl oraclePod() const { return m_oraclePod; }

private:
    HttpClient* m_http;
    ZohoTokenManager* m_zohoTokens = nullptr;
    ApiClient* m_zohoApi = nullptr;
    ZohoClient* m_zoho = nullptr;
    TokenSource* m_oracleAuth = nullptr;
    ApiClient* m_oracleApi = nullptr;
    OracleClient* m_oracle = nullptr;
    std::optional<Error> m_zohoProblem;
    std::optional<Error> m_oracleProblem;
    QString m_zohoDcLabel;
    QUrl m_zohoAccountsUrl;
    QUrl m_oraclePod;
};

} // namespace Core
