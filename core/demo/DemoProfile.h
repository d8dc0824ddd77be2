#pragma once

#include "config/ConnectionSettings.h"

#include <QList>
#include <QPair>
#include <QUrl>

namespace Core {

// The settings and secrets that the bundled simulator accepts by default
// (tests/sim/README.md, "Credentials it accepts"). They open nothing outside this machine.
struct DemoProfile
{
    ZohoConnection zoho;
    OracleConnection oracle;
    QList<QPair<QString, QString>> secrets; // credential-store key, value

    static DemoProfile forSimulator(const QUrl& simulatorBaseUrl);
    // The same connections as Profile settings (key, value), for a throw-away demo profile.
    QList<QPair<QString, QString>> settings() const;
};

} // namespace Core
