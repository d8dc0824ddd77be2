#include "ConnectionTester.h"

#include "Logging.h"
#include "net/Connections.h"
#include "net/TokenSource.h"
#include "oracle/OracleClient.h"
#include "zoho/ZohoClient.h"
#include "zoho/ZohoTokenManager.h"

namespace Core {

namespace {
QString summaryFor(const Error& error)
{
    switch (error.kind) {
    case Error::Kind::Network:
    case Error::Kind::Timeout:
        return QObject::tr("Not reachable");
    case Error::Kind::Auth:
        return QObject::tr("Sign-in rejected");
    case Error::Kind::Forbidden:
        return QObject::tr("Missing privilege");
    case Error::Kind::Throttled:
        return QObject::tr("Throttled");
    case Error::Kind::Config:
        return QObject::tr("Settings incomplete");
    case Error::Kind::NotFound:
        return QObject::tr("Not found");
    case Error::Kind::Unavailable:
        return QObject::tr("Credentials unavailable");
    default:
        break;
    }
    return QObject::tr("Failed");
}
} // namespace

ConnectionTester::ConnectionTester(Connections* connections, QObject* parent)
    : QObject(parent)
    , m_connections(connections)
{
    qRegisterMetaType<Core::ConnectionStatus>();
    qRegisterMetaType<Core::Service>();
}

void ConnectionTester::report(Service service,
                              ConnectionStatus::State state,
                              const QString& summary,
                              const QString& detail)
{
    if (state == ConnectionStatus::State::Failed)
        qCWarning(service == Service::Zoho ? lcZoho() : lcOracle()).noquote() << summary << "-" << detail;
    emit statusChanged(service, ConnectionStatus{state, summary, detail});
}

void ConnectionTester::fail(Service service, const Error& error)
{
    qCWarning(service == Service::Zoho ? lcZoho() : lcOracle()).noquote() << summaryFor(error) << "-" << error.message;
    emit statusChanged(service,
                       ConnectionStatus{ConnectionStatus::State::Failed, summaryFor(error), error.message, error.kind});
}

void ConnectionTester::testZoho()
{
    if (const auto& problem = m_connections->zohoProblem())
        return fail(Service::Zoho, *problem);
    report(Service::Zoho, ConnectionStatus::State::Checking, tr("Checking…"), {});
    m_connections->zohoTokens()->token(this, [this](Result<AccessToken> token) {
        if (!token)
            return fail(Service::Zoho, token.error());
        zohoSignedIn();
    });
}

void ConnectionTester::zohoSignedIn()
{
    m_connections->zoho()->firstPage(
        QStringLiteral("Contacts"), {QStringLiteral("id")}, 1, this, [this](Result<QList<QJsonObject>> page) {
            if (!page) {
                Error error = page.error();
                if (error.code == QLatin1String("OAUTH_SCOPE_MISMATCH"))
                    error.message = tr("token scope missing ZohoCRM.modules.ALL: sign in again and grant it");
                return fail(Service::Zoho, error);
            }
            zohoRecordsRead();
        });
}

void ConnectionTester::zohoRecordsRead()
{
    // Notification channels need their own scope; without it only polling works.
    m_connections->zoho()->channels(this, [this](Result<QList<ZohoChannelInfo>> channels) {
        if (!channels) {
            Error error = channels.error();
            if (error.code == QLatin1String("OAUTH_SCOPE_MISMATCH"))
                error.message = tr("token scope missing ZohoCRM.notifications.ALL: sign in again and grant it, or "
                                   "rely on polling only");
            return fail(Service::Zoho, error);
        }
        report(Service::Zoho, ConnectionStatus::State::Connected, tr("Connected"),
               tr("Signed in at %1 (data centre %2); the Zoho CRM API at %3 reads records and notification channels")
                   .arg(m_connections->zohoAccountsUrl().toDisplayString(), m_connections->zohoDataCentreLabel(),
                        m_connections->zoho()->apiDomain().toDisplayString()));
    });
}

void ConnectionTester::testOracle()
{
    if (const auto& problem = m_connections->oracleProblem())
        return fail(Service::Oracle, *problem);
    report(Service::Oracle, ConnectionStatus::State::Checking, tr("Checking…"), {});
    const QString pod = m_connections->oraclePod().toDisplayString();
    m_connections->oracle()->findBySourceReference(
        QStringLiteral("connection-test"), this, [this, pod](Result<QList<OracleAccount>> found) {
            if (found) {
                report(
                    Service::Oracle, ConnectionStatus::State::Connected, tr("Connected"),
                    tr("Oracle Fusion accounts resource at %1 answered a query by source system reference").arg(pod));
                return;
            }
            Error error = found.error();
            switch (error.kind) {
            case Error::Kind::Network:
            case Error::Kind::Timeout:
                error.message = tr("Oracle pod URL does not answer: %1").arg(error.message);
                break;
            case Error::Kind::Forbidden:
                error.message = tr("The Oracle user may not read accounts (403): grant the Sales account management "
                                   "and Receivables inquiry roles");
                break;
            case Error::Kind::NotFound:
                error.message = tr("No accounts resource at %1 (404): is this the Fusion pod URL?").arg(pod);
                break;
            default:
                break;
            }
            fail(Service::Oracle, error);
        });
}

} // namespace Core
