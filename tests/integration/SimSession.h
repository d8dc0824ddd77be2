#pragma once

// A real SyncSession on a throw-away profile, pointed at a running ml-connector-sim: for tests that
// drive the engine, the full sync and the dashboard against the simulator over loopback.

#include "SimTestClient.h"
#include "config/Profile.h"
#include "secrets/MemoryCredentialStore.h"
#include "storage/Database.h"
#include "sync/SyncSession.h"

#include <QNetworkAccessManager>
#include <QTemporaryDir>

#include <memory>

namespace SimTest {

struct SimSession
{
    QTemporaryDir dir;
    QNetworkAccessManager network;
    Core::MemoryCredentialStore secrets;
    std::unique_ptr<Core::SyncSession> session;
    std::unique_ptr<Core::ReadConnection> reader;

    // Empty on success, else what went wrong.
    QString open(const QUrl& base, const QList<QPair<QString, QString>>& extraSettings = {})
    {
        if (!dir.isValid())
            return QStringLiteral("no temporary directory");
        auto profile = Core::Profile::open(dir.path());
        if (!profile)
            return profile.error().message;
        const QString url = base.toString(QUrl::StripTrailingSlash);
        const QList<QPair<QString, QString>> settings{
            {QStringLiteral("zoho.dc"), QStringLiteral("custom")},
            {QStringLiteral("zoho.accounts_url"), url},
            {QStringLiteral("zoho.api_url"), url},
            {QStringLiteral("zoho.client_id"), kZohoClientId},
            {QStringLiteral("oracle.pod_url"), url},
            {QStringLiteral("oracle.username"), kOracleUser},
            {QStringLiteral("webhook.listen"), QStringLiteral("127.0.0.1:0")}};
        for (const auto& [key, value] : settings + extraSettings) {
            if (auto set = profile.value().set(key, value); !set)
                return set.error().message;
        }
        for (const auto& [key, value] :
             QList<QPair<QString, QString>>{{QStringLiteral("zoho/client_secret"), kZohoClientSecret},
                                            {QStringLiteral("zoho/refresh_token"), kZohoRefreshToken},
                                            {QStringLiteral("oracle/password"), kOraclePassword}}) {
            Waiter<Core::Ok> written;
            secrets.write(key, value, &network, written.callback());
            if (!written.wait() || !written->ok())
                return QStringLiteral("cannot store %1").arg(key);
        }
        auto opened = Core::SyncSession::open(profile.value(), {}, &network, &secrets);
        if (!opened)
            return opened.error().message;
        session = std::move(opened.value());
        auto read = session->database().openReadConnection();
        if (!read)
            return read.error().message;
        reader = std::make_unique<Core::ReadConnection>(std::move(read.value()));
        return {};
    }

    ~SimSession()
    {
        reader.reset();
        session.reset();
    }
};

// Zoho ids of every record of both synced modules in the simulator.
inline QStringList zohoIds(Client& control)
{
    QStringList ids;
    for (const QString& module : {QStringLiteral("Contacts"), QStringLiteral("Accounts")}) {
        for (const auto& r : listOf(control.get(QStringLiteral("/_sim/zoho/") + module)))
            ids << r.toObject().value(QStringLiteral("id")).toString();
    }
    return ids;
}

// How many Oracle accounts carry each Zoho id as their source reference.
inline QHash<QString, int> oracleReferences(Client& control)
{
    QHash<QString, int> count;
    for (const auto& a : listOf(control.get(QStringLiteral("/_sim/oracle/accounts")))) {
        const QString reference = a.toObject().value(QStringLiteral("SourceSystemReferenceValue")).toString();
        if (!reference.isEmpty())
            ++count[reference];
    }
    return count;
}

} // namespace SimTest
