#pragma once

#include <QHostAddress>
#include <QString>
#include <QStringList>

namespace Sim {

// Everything the command line can set. Defaults follow tests/sim/README.md; where the API
// references say UNCONFIRMED, the behaviour is a field here.
struct SimConfig
{
    QHostAddress host = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;
    quint32 seed = 1;
    bool demo = false;
    int contacts = 0;
    int accounts = 0;
    int oracleAccounts = 0;
    int latencyMs = 0;
    int tokenTtlS = 3600;

    QString zohoEdition = QStringLiteral("enterprise");
    qint64 zohoDailyCredits = 0;
    int zohoNoChangeStatus = 304;
    int zohoThrottleStatus = 200;
    QString zohoCallbackUriVersion = QStringLiteral("v2");
    QString zohoHomeDc = QStringLiteral("us");
    int zohoPageTokenTtlS = 86400;
    int zohoUtcOffsetMin = 0;
    int callbackTimeoutMs = 10000;

    int oracleLimitCap = 499;
    QStringList oracleSourceSystems = {QStringLiteral("ZOHOCRM")};
    QString oracleUpsertMatch = QStringLiteral("partynumber");

    QString zohoClientId = QStringLiteral("sim-zoho-client-id");
    QString zohoClientSecret = QStringLiteral("sim-zoho-client-secret");
    QString zohoRefreshToken = QStringLiteral("1000.sim-refresh-token");
    QString oracleUser = QStringLiteral("integration.user");
    QString oraclePassword = QStringLiteral("sim-oracle-password");
    QString oracleClientId = QStringLiteral("sim-oracle-client-id");
    QString oracleClientSecret = QStringLiteral("sim-oracle-client-secret");

    // Concurrency limit of the configured edition (Free 5 ... Ultimate 25); -1 for an unknown edition.
    int zohoConcurrency() const;
    // Empty when valid, else a message for the command line.
    QString validate() const;
};

} // namespace Sim
