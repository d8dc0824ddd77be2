#include "RetryAfter.h"

#include <QLocale>
#include <QTimeZone>

namespace Core::RetryAfter {

namespace {
// Far beyond any sensible server wish; keeps arithmetic clear of overflow.
constexpr qint64 kMaxSeconds = 7LL * 24 * 3600;

std::optional<QDateTime> parseHttpDate(const QString& text)
{
    // The weekday is redundant and would make a two-digit RFC 850 year ambiguous: drop it.
    QString rest = text.simplified();
    const int comma = rest.indexOf(QLatin1Char(','));
    if (comma > 0)
        rest = rest.mid(comma + 1).trimmed();
    else if (rest.indexOf(QLatin1Char(' ')) == 3)
        rest = rest.mid(4); // asctime: "Sun Nov  6 08:49:37 1994"
    const QLocale c = QLocale::c();
    // IMF-fixdate, then the two obsolete forms HTTP/1.1 still requires recipients to accept.
    static const char* const formats[] = {"dd MMM yyyy HH:mm:ss 'GMT'", "dd-MMM-yy HH:mm:ss 'GMT'",
                                          "MMM d HH:mm:ss yyyy"};
    for (const char* format : formats) {
        QDateTime parsed = c.toDateTime(rest, QString::fromLatin1(format));
        if (!parsed.isValid())
            continue;
        if (parsed.date().year() < 1970) // RFC 850's two-digit years mean this century
            parsed = parsed.addYears(100);
        parsed.setTimeZone(QTimeZone::utc());
        return parsed;
    }
    return std::nullopt;
}
} // namespace

std::optional<qint64> parseMs(const QByteArray& value, const QDateTime& now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    bool isNumber = true;
    for (char ch : trimmed)
        isNumber = isNumber && ch >= '0' && ch <= '9';
    if (isNumber) {
        if (trimmed.size() > 9)
            return kMaxSeconds * 1000;
        return qMin(trimmed.toLongLong(), kMaxSeconds) * 1000;
    }
    const auto date = parseHttpDate(QString::fromLatin1(trimmed));
    if (!date)
        return std::nullopt;
    const qint64 ms = now.msecsTo(*date);
    return qBound<qint64>(0, ms, kMaxSeconds * 1000);
}

} // namespace Core::RetryAfter
