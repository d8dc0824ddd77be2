#pragma once

#include "net/HttpTypes.h"

#include <QByteArray>
#include <QString>

namespace Core {

// Masks credentials before anything is logged or written to the audit trail.
namespace Redact {

inline constexpr char kMask[] = "***";

// Authorization, Cookie and similar header values become "<scheme> ***".
QByteArray headerValue(const QByteArray& name, const QByteArray& value);
HeaderList headers(const HeaderList& headers);
// access_token, refresh_token, client_secret, code, password, token … in query strings, form bodies and JSON.
QUrl url(const QUrl& url);
QByteArray body(const QByteArray& body);
bool isSecretName(const QString& name);

} // namespace Redact
} // namespace Core
