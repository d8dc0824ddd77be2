#pragma once

#include <QByteArray>
#include <QDateTime>

#include <optional>

namespace Core::RetryAfter {

// Parses a Retry-After value, given as delta-seconds or as an HTTP date (IMF-fixdate, RFC 850 or
// asctime), into milliseconds from now. A date in the past means "now" (0). Garbage gives nullopt.
std::optional<qint64> parseMs(const QByteArray& value, const QDateTime& now);

} // namespace Core::RetryAfter
