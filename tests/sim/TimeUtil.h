#pragma once

#include <QString>

#include <optional>

namespace Sim {

// 2026-03-26T00:01:56+00:00 (Zoho: second precision, explicit offset)
QString zohoTime(qint64 ms, int utcOffsetMin = 0);
// 2026-03-01T10:15:30.123+00:00 (Oracle ADF datetime)
QString oracleTime(qint64 ms);
// yyyy-MM-dd in UTC
QString isoDate(qint64 ms);
// ISO-8601 (offset or Z; no offset = UTC; date-only = midnight UTC) or an RFC 2822 HTTP date.
std::optional<qint64> parseTime(const QString& text);

} // namespace Sim
