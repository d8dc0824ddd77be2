#include "DemoProfile.h"

#include "oracle/OracleAuth.h"
#include "zoho/ZohoTokenManager.h"

namespace Core {

DemoProfile DemoProfile::forSimulator(const QUrl& simulatorBaseUrl)
{
    const QString base = simulatorBaseUrl.toString(QUrl::StripTrailingSlash);
    DemoProfile profile;
    profile.zoho.dataCentre = QStringLiteral("custom");
    profile.zoho.accountsUrl = base;
    profile.zoho.apiUrl = base;
    profile.zoho.clientId = QStringLiteral("sim-zoho-client-id");
    profile.oracle.podUrl = base;
    profile.oracle.auth = OracleConnection::Auth::Basic;
    profile.oracle.username = QStringLiteral("integration.user");
    profile.oracle.tokenUrl = base + QStringLiteral("/oauth2/v1/token");
    profile.oracle.clientId = QStringLiteral("sim-oracle-client-id");
    profile.secrets = {
        {QString::fromLatin1(ZohoTokenManager::kClientSecretKey), QStringLiteral("sim-zoho-client-secret")},
        {QString::fromLatin1(ZohoTokenManager::kRefreshTokenKey), QStringLiteral("1000.sim-refresh-token")},
        {QString::fromLatin1(OracleBasicAuth::kPasswordKey), QStringLiteral("sim-oracle-password")},
        {QString::fromLatin1(OracleIdcsTokenManager::kClientSecretKey), QStringLiteral("sim-oracle-client-secret")},
    };
    return profile;
}

QList<QPair<QString, QString>> DemoProfile::settings() const
{
    return {
        {QStringLiteral("zoho.dc"), zoho.dataCentre},
        {QStringLiteral("zoho.accounts_url"), zoho.accountsUrl},
        {QStringLiteral("zoho.api_url"), zoho.apiUrl},
        {QStringLiteral("zoho.client_id"), zoho.clientId},
        {QStringLiteral("oracle.pod_url"), oracle.podUrl},
        {QStringLiteral("oracle.username"), oracle.username},
        {QStringLiteral("oracle.token_url"), oracle.tokenUrl},
        {QStringLiteral("oracle.client_id"), oracle.clientId},
        // Any free port: a fixed one could clash with a real instance on the same machine.
        {QStringLiteral("webhook.listen"), QStringLiteral("127.0.0.1:0")},
    };
}

} // namespace Core
