#pragma once

#include "Result.h"

#include <QUrl>

namespace Core::OracleEndpoint {

// The pod base URL, e.g. https://acme-test.fa.us2.oraclecloud.com, as given by the customer.
// Oracle has no enumerable list of data centres, so any https host is accepted.
Result<QUrl> fromPodUrl(const QString& podUrl);
// https://{pod}.fa.{region}.oraclecloud.com
Result<QUrl> fromPodAndRegion(const QString& pod, const QString& region);

// REST roots under a pod.
QUrl crmResource(const QUrl& pod, const QString& resource); // /crmRestApi/resources/11.13.18.05/<resource>
QUrl fscmResource(const QUrl& pod, const QString& resource);
QUrl crmRoot(const QUrl& pod);

} // namespace Core::OracleEndpoint
