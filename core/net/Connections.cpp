#include "Connections.h"

#include "net/ApiClient.h"
#include "net/HttpClient.h"
#include "net/UrlPolicy.h"
#include "oracle/OracleAuth.h"
#include "oracle/OracleClient.h"
#include "oracle/OracleEndpoint.h"
#include "zoho/ZohoClient.h"
#include "zoho/ZohoDataCentre.h"
#include "zoho/ZohoTokenManager.h"

namespace Core {

Connections::Connections(QNetworkAccessManager* network,
                         CredentialStore* secrets,
                         const ZohoConnection& zoho,
                         const OracleConnection& oracle,
                         const RetryPolicy& retry,
                         const Clock* clock,
                         QObject* parent)
    : QObject(parent)
    , m_http(new HttpClient(network, this))
{
    // Zoho
    auto endpoints = resolveZohoEndpoints(zoho.dataCentre, ZohoEnvironment::Production, zoho.accountsUrl, zoho.apiUrl);
    if (!endpoints) {
        m_zohoProblem = endpoints.error();
    } else if (zoho.clientId.trimmed().isEmpty()) {
        m_zohoProblem = Error{Error::Kind::Config, tr("zoho.client_id: no client id is set"), 0, {}};
    } else {
        const ZohoEndpoints& e = endpoints.value();
        m_zohoAccountsUrl = e.accountsUrl;
        m_zohoDcLabel = e.dataCentre.toUpper();
        m_http->setHostConcurrency(HttpClient::hostKey(e.apiUrl), qBound(1, zoho.concurrency, 25));
        m_zohoTokens =
            new ZohoTokenManager({e.accountsUrl, zoho.clientId.trimmed(), m_zohoDcLabel}, m_http, secrets, clock, this);
        m_zohoApi = new ApiClient(m_http, m_zohoTokens, retry, clock, this);
        m_zoho = new ZohoClient(m_zohoApi, e.apiUrl, this);
        // Zoho names the org's API domain in every token answer; follow it.
        connect(m_zohoTokens, &ZohoTokenManager::apiDomainChanged, m_zoho, [this](const QUrl& apiDomain) {
            auto checked = UrlPolicy::checkServiceUrl(apiDomain.toString(), QStringLiteral("api_domain"));
            if (checked) {
                m_http->setHostConcurrency(HttpClient::hostKey(checked.value()),
                                           m_http->concurrencyLimit(HttpClient::hostKey(m_zoho->apiDomain())));
                m_zoho->setApiDomain(checked.value());
            }
        });
    }

    // Oracle
    auto pod = !oracle.podUrl.trimmed().isEmpty() || oracle.pod.trimmed().isEmpty()
                   ? OracleEndpoint::fromPodUrl(oracle.podUrl)
                   : OracleEndpoint::fromPodAndRegion(oracle.pod, oracle.region);
    if (!pod) {
        m_oracleProblem = pod.error();
        return;
    }
    m_oraclePod = pod.value();
    if (oracle.auth == OracleConnection::Auth::Basic) {
        if (oracle.username.trimmed().isEmpty()) {
            m_oracleProblem = Error{Error::Kind::Config, tr("oracle.username: no user name is set"), 0, {}};
            return;
        }
        m_oracleAuth = new OracleBasicAuth(oracle.username.trimmed(), secrets, this);
    } else {
        auto tokenUrl = UrlPolicy::checkServiceUrl(oracle.tokenUrl, QStringLiteral("oracle.token_url"));
        if (!tokenUrl) {
            m_oracleProblem = tokenUrl.error();
            return;
        }
        m_oracleAuth = new OracleIdcsTokenManager({tokenUrl.value(), oracle.clientId.trimmed(), oracle.scope}, m_http,
                                                  secrets, clock, this);
    }
    m_oracleApi = new ApiClient(m_http, m_oracleAuth, retry, clock, this);
    m_oracle = new OracleClient(m_oracleApi, m_oraclePod, oracle.sourceSystem, this);
}

} // namespace Core
