#include "ZohoDataCentre.h"

#include "net/UrlPolicy.h"

#include <QObject>

namespace Core {

namespace {
ZohoDataCentre make(const char* id, const char* label, const char* accounts, const char* api, const char* tld)
{
    const QString t = QString::fromLatin1(tld);
    return ZohoDataCentre{QString::fromLatin1(id),
                          QString::fromLatin1(label),
                          QUrl(QString::fromLatin1(accounts)),
                          QUrl(QString::fromLatin1(api)),
                          QUrl(QStringLiteral("https://sandbox.zohoapis.") + t),
                          QUrl(QStringLiteral("https://developer.zohoapis.") + t)};
}
} // namespace

const QList<ZohoDataCentre>& ZohoDataCentre::all()
{
    // Accounts and API hosts as in Zoho's official SDK data-centre classes. Canada's accounts host
    // is zohocloud.ca, not zoho.ca, so no "accounts.zoho.<tld>" template would be right.
    static const QList<ZohoDataCentre> table = {
        make("us", "United States", "https://accounts.zoho.com", "https://www.zohoapis.com", "com"),
        make("eu", "Europe", "https://accounts.zoho.eu", "https://www.zohoapis.eu", "eu"),
        make("in", "India", "https://accounts.zoho.in", "https://www.zohoapis.in", "in"),
        make("au", "Australia", "https://accounts.zoho.com.au", "https://www.zohoapis.com.au", "com.au"),
        make("cn", "China", "https://accounts.zoho.com.cn", "https://www.zohoapis.com.cn", "com.cn"),
        make("jp", "Japan", "https://accounts.zoho.jp", "https://www.zohoapis.jp", "jp"),
        make("ca", "Canada", "https://accounts.zohocloud.ca", "https://www.zohoapis.ca", "ca"),
        make("sa", "Saudi Arabia", "https://accounts.zoho.sa", "https://www.zohoapis.sa", "sa"),
    };
    return table;
}

const ZohoDataCentre* ZohoDataCentre::find(const QString& id)
{
    for (const auto& dc : all()) {
        if (dc.id.compare(id, Qt::CaseInsensitive) == 0)
            return &dc;
    }
    return nullptr;
}

Result<ZohoEndpoints> resolveZohoEndpoints(const QString& dataCentre,
                                           ZohoEnvironment environment,
                                           const QString& customAccountsUrl,
                                           const QString& customApiUrl)
{
    if (dataCentre.compare(QLatin1String("custom"), Qt::CaseInsensitive) == 0) {
        auto accounts = UrlPolicy::checkServiceUrl(customAccountsUrl, QStringLiteral("zoho.accounts_url"));
        if (!accounts)
            return accounts.error();
        auto api = UrlPolicy::checkServiceUrl(customApiUrl, QStringLiteral("zoho.api_url"));
        if (!api)
            return api.error();
        return ZohoEndpoints{QStringLiteral("custom"), accounts.value(), api.value()};
    }
    const ZohoDataCentre* dc = ZohoDataCentre::find(dataCentre);
    if (!dc) {
        QStringList ids;
        for (const auto& known : ZohoDataCentre::all())
            ids << known.id;
        return Error{Error::Kind::Config,
                     QObject::tr("Unknown Zoho data centre \"%1\" (zoho.dc): use one of %2, or custom")
                         .arg(dataCentre, ids.join(QStringLiteral(", "))),
                     0,
                     {}};
    }
    QUrl api = dc->apiUrl;
    if (environment == ZohoEnvironment::Sandbox)
        api = dc->sandboxApiUrl;
    else if (environment == ZohoEnvironment::Developer)
        api = dc->developerApiUrl;
    return ZohoEndpoints{dc->id, dc->accountsUrl, api};
}

} // namespace Core
