#pragma once

#include <QString>

namespace Core {

// Where each side lives and who we are there. Holds no secrets: those come from a credential store.
struct ZohoConnection
{
    QString dataCentre = QStringLiteral("us"); // us, eu, in, au, cn, jp, ca, sa, or custom
    QString accountsUrl;                       // only for "custom": e.g. a proxy or the simulator
    QString apiUrl;                            // only for "custom"; replaced by the token answer's api_domain
    QString clientId;
    int concurrency = 10; // in-flight calls the CRM edition allows (5/10/15/20/25)
};

struct OracleConnection
{
    enum class Auth { Basic, OAuthClientCredentials };

    QString podUrl; // e.g. https://acme.fa.us2.oraclecloud.com; or pod + region
    QString pod;
    QString region;
    Auth auth = Auth::Basic;
    QString username;
    QString tokenUrl; // the IAM identity domain's /oauth2/v1/token
    QString clientId;
    QString scope;
    QString sourceSystem = QStringLiteral("ZOHOCRM");
};

} // namespace Core
