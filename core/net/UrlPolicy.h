#pragma once

#include "Result.h"

#include <QUrl>

namespace Core::UrlPolicy {

// True for 127.0.0.0/8, ::1 and localhost: the only hosts plain http may reach.
bool isLoopbackHost(const QString& host);

// Parses and checks the base URL of a remote service: https, or http to this machine only;
// a host; no user info, query or fragment. `setting` names the setting in the error message.
Result<QUrl> checkServiceUrl(const QString& text, const QString& setting);

} // namespace Core::UrlPolicy
