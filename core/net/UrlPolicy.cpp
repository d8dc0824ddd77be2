#include "UrlPolicy.h"

#include <QHostAddress>
#include <QObject>

namespace Core::UrlPolicy {

bool isLoopbackHost(const QString& host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

Result<QUrl> checkServiceUrl(const QString& text, const QString& setting)
{
    const auto fail = [&setting](const QString& why) {
        return Error{Error::Kind::Config, QObject::tr("%1: %2").arg(setting, why), 0, {}};
    };
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return fail(QObject::tr("no URL given"));
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid() || url.host().isEmpty())
        return fail(QObject::tr("\"%1\" is not a valid URL with a host").arg(trimmed));
    const QString scheme = url.scheme().toLower();
    if (scheme == QLatin1String("http")) {
        if (!isLoopbackHost(url.host()))
            return fail(QObject::tr("plain http:// is refused for %1; use https:// (http is allowed only for this "
                                    "machine, e.g. the simulator)")
                            .arg(url.host()));
    } else if (scheme != QLatin1String("https")) {
        return fail(QObject::tr("\"%1\" must start with https://").arg(trimmed));
    }
    if (!url.userInfo().isEmpty())
        return fail(QObject::tr("the URL must not carry a user name or password; credentials go to the keychain"));
    if (url.hasQuery() || url.hasFragment())
        return fail(QObject::tr("the URL must not have a query or fragment"));
    QUrl clean = url.adjusted(QUrl::StripTrailingSlash | QUrl::NormalizePathSegments);
    if (clean.path() == QLatin1String("/"))
        clean.setPath(QString());
    return clean;
}

} // namespace Core::UrlPolicy
