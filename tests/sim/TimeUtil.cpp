#include "TimeUtil.h"

#include <QDateTime>
#include <QRegularExpression>
#include <QTimeZone>

namespace Sim {

namespace {
QString offsetSuffix(int minutes)
{
    const QChar sign = minutes < 0 ? QLatin1Char('-') : QLatin1Char('+');
    const int abs = minutes < 0 ? -minutes : minutes;
    return sign + QStringLiteral("%1:%2").arg(abs / 60, 2, 10, QLatin1Char('0')).arg(abs % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

QString zohoTime(qint64 ms, int utcOffsetMin)
{
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).addSecs(qint64(utcOffsetMin) * 60);
    return dt.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss")) + offsetSuffix(utcOffsetMin);
}

QString oracleTime(qint64 ms)
{
    const QDateTime dt = QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC);
    return dt.toString(QStringLiteral("yyyy-MM-ddTHH:mm:ss.zzz")) + QStringLiteral("+00:00");
}

QString isoDate(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).date().toString(Qt::ISODate);
}

std::optional<qint64> parseTime(const QString& input)
{
    const QString text = input.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    static const QRegularExpression dateOnly(QStringLiteral("^\\d{4}-\\d{2}-\\d{2}$"));
    if (dateOnly.match(text).hasMatch()) {
        const QDate d = QDate::fromString(text, Qt::ISODate);
        if (!d.isValid())
            return std::nullopt;
        return QDateTime(d, QTime(0, 0), Qt::UTC).toMSecsSinceEpoch();
    }
    static const QRegularExpression iso(
        QStringLiteral("^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:?\\d{2})?$"));
    if (iso.match(text).hasMatch()) {
        QString t = text;
        t.replace(QLatin1Char(' '), QLatin1Char('T'));
        QDateTime dt = QDateTime::fromString(t, Qt::ISODateWithMs);
        if (!dt.isValid())
            dt = QDateTime::fromString(t, Qt::ISODate);
        if (!dt.isValid())
            return std::nullopt;
        if (dt.timeSpec() == Qt::LocalTime)
            dt.setTimeSpec(Qt::UTC); // no offset given: read as UTC, not as the machine's zone
        return dt.toMSecsSinceEpoch();
    }
    const QDateTime rfc = QDateTime::fromString(text, Qt::RFC2822Date);
    if (rfc.isValid())
        return rfc.toMSecsSinceEpoch();
    return std::nullopt;
}

} // namespace Sim
