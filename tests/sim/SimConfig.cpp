#include "SimConfig.h"

namespace Sim {

int SimConfig::zohoConcurrency() const
{
    const QString e = zohoEdition.toLower();
    if (e == QLatin1String("free"))
        return 5;
    if (e == QLatin1String("standard") || e == QLatin1String("starter"))
        return 10;
    if (e == QLatin1String("professional"))
        return 15;
    if (e == QLatin1String("enterprise"))
        return 20;
    if (e == QLatin1String("ultimate"))
        return 25;
    return -1;
}

QString SimConfig::validate() const
{
    if (!host.isLoopback())
        return QStringLiteral("--host must be a loopback address (127.0.0.1 or ::1); the simulator never listens "
                              "on other interfaces");
    if (zohoConcurrency() < 0)
        return QStringLiteral("--zoho-edition must be free, standard, professional, enterprise or ultimate");
    if (zohoNoChangeStatus != 204 && zohoNoChangeStatus != 304)
        return QStringLiteral("--zoho-no-change-status must be 204 or 304");
    if (zohoThrottleStatus < 200 || zohoThrottleStatus > 599)
        return QStringLiteral("--zoho-throttle-status must be an HTTP status (200-599)");
    if (zohoCallbackUriVersion != QLatin1String("v2") && zohoCallbackUriVersion != QLatin1String("v8"))
        return QStringLiteral("--zoho-callback-uri-version must be v2 or v8");
    if (oracleUpsertMatch != QLatin1String("partynumber") && oracleUpsertMatch != QLatin1String("partynumber+source"))
        return QStringLiteral("--oracle-upsert-match must be partynumber or partynumber+source");
    if (oracleLimitCap < 1)
        return QStringLiteral("--oracle-limit-cap must be at least 1");
    if (tokenTtlS < 1)
        return QStringLiteral("--token-ttl must be at least 1 second");
    if (latencyMs < 0 || contacts < 0 || accounts < 0 || oracleAccounts < 0 || zohoDailyCredits < 0)
        return QStringLiteral("numeric options must not be negative");
    if (zohoPageTokenTtlS < 1)
        return QStringLiteral("--zoho-page-token-ttl must be at least 1 second");
    if (zohoUtcOffsetMin < -14 * 60 || zohoUtcOffsetMin > 14 * 60)
        return QStringLiteral("--zoho-utc-offset-min must be within -840..840");
    return {};
}

} // namespace Sim
