#pragma once

#include "Result.h"

#include <QList>
#include <QString>
#include <QUrl>

namespace Core {

// Zoho's data centres: each has its own accounts (OAuth) server and API domain. A client id is
// registered in one of them only, and the wrong accounts server answers "invalid_client".
struct ZohoDataCentre
{
    QString id;    // us, eu, in, au, cn, jp, ca, sa
    QString label; // for people
    QUrl accountsUrl;
    QUrl apiUrl;
    QUrl sandboxApiUrl;
    QUrl developerApiUrl;

    static const QList<ZohoDataCentre>& all();
    static const ZohoDataCentre* find(const QString& id);
};

enum class ZohoEnvironment { Production, Sandbox, Developer };

struct ZohoEndpoints
{
    QString dataCentre; // id, or "custom"
    QUrl accountsUrl;
    QUrl apiUrl;
};

// The endpoints for a data centre and environment, or for custom URLs (for a proxy or the
// simulator). Custom URLs must be https unless they point at this machine.
Result<ZohoEndpoints> resolveZohoEndpoints(const QString& dataCentre,
                                           ZohoEnvironment environment = ZohoEnvironment::Production,
                                           const QString& customAccountsUrl = {},
                                           const QString& customApiUrl = {});

} // namespace Core
