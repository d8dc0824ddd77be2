#include "OracleEndpoint.h"

#include "net/UrlPolicy.h"

#include <QObject>
#include <QRegularExpression>

namespace Core::OracleEndpoint {

namespace {
const QString kVersion = QStringLiteral("11.13.18.05");

QUrl withPath(const QUrl& base, const QString& path)
{
    QUrl url = base;
    url.setPath(base.path() + path);
    return url;
}
} // namespace

Result<QUrl> fromPodUrl(const QString& podUrl)
{
    auto url = UrlPolicy::checkServiceUrl(podUrl, QStringLiteral("oracle.pod_url"));
    if (!url)
        return url;
    // People paste REST URLs; the pod is the origin, so cut a pasted REST path back to it.
    QUrl pod = url.value();
    static const QRegularExpression restPath(QStringLiteral("/(crmRestApi|fscmRestApi|hcmRestApi)(/.*)?$"));
    pod.setPath(pod.path().remove(restPath));
    if (!pod.path().isEmpty())
        return Error{Error::Kind::Config,
                     QObject::tr("oracle.pod_url: \"%1\" has a path; give the pod URL only, e.g. "
                                 "https://acme.fa.us2.oraclecloud.com")
                         .arg(podUrl),
                     0,
                     {}};
    return pod;
}

Result<QUrl> fromPodAndRegion(const QString& pod, const QString& region)
{
    static const QRegularExpression podName(QStringLiteral("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"));
    static const QRegularExpression regionName(QStringLiteral("^[a-z]{2,4}[0-9]{0,2}$"));
    const QString p = pod.trimmed().toLower();
    const QString r = region.trimmed().toLower();
    if (!podName.match(p).hasMatch())
        return Error{
            Error::Kind::Config,
            QObject::tr("oracle.pod: \"%1\" is not a pod name (letters, digits and dashes, e.g. acme-test)").arg(pod),
            0,
            {}};
    if (!regionName.match(r).hasMatch())
        return Error{Error::Kind::Config,
                     QObject::tr("oracle.region: \"%1\" is not a region code (e.g. us2, em2, ocs)").arg(region),
                     0,
                     {}};
    return fromPodUrl(QStringLiteral("https://%1.fa.%2.oraclecloud.com").arg(p, r));
}

QUrl crmRoot(const QUrl& pod)
{
    return withPath(pod, QStringLiteral("/crmRestApi/resources/") + kVersion);
}

QUrl crmResource(const QUrl& pod, const QString& resource)
{
    return withPath(pod, QStringLiteral("/crmRestApi/resources/") + kVersion + QLatin1Char('/') + resource);
}

QUrl fscmResource(const QUrl& pod, const QString& resource)
{
    return withPath(pod, QStringLiteral("/fscmRestApi/resources/") + kVersion + QLatin1Char('/') + resource);
}

} // namespace Core::OracleEndpoint
