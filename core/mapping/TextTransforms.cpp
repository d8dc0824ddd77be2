#include "TextTransforms.h"

#include <QRegularExpression>

namespace Core {

QString TextTransforms::title(const QString& text)
{
    QString out = text.toLower();
    bool wordStart = true;
    for (QChar& c : out) {
        if (c.isLetterOrNumber()) {
            if (wordStart)
                c = c.toTitleCase();
            wordStart = false;
        } else if (c != QLatin1Char('\'') && c != QChar(0x2019)) {
            // An apostrophe stays inside its word ("don't", not "Don'T"); "3rd" stays "3rd".
            wordStart = true;
        }
    }
    return out;
}

bool TextTransforms::isValidEmail(const QString& text)
{
    static const QRegularExpression pattern(
        QStringLiteral("^[^\\s@\"(),:;<>\\[\\]\\\\]+@[^\\s@\"(),:;<>\\[\\]\\\\.]+(\\.[^\\s@\"(),:;<>\\[\\]\\\\.]+)+$"));
    if (!pattern.match(text).hasMatch())
        return false;
    const QString local = text.section(QLatin1Char('@'), 0, 0);
    return !local.startsWith(QLatin1Char('.')) && !local.endsWith(QLatin1Char('.')) &&
           !local.contains(QLatin1String("..")) && local.size() <= 64;
}

QString TextTransforms::mapValue(const QString& value,
                                 const QMap<QString, QString>& map,
                                 const std::optional<QString>& otherwise)
{
    const auto exact = map.constFind(value);
    if (exact != map.constEnd())
        return *exact;
    for (auto it = map.constBegin(); it != map.constEnd(); ++it) {
        if (it.key().compare(value, Qt::CaseInsensitive) == 0)
            return it.value();
    }
    return otherwise.value_or(value);
}

TextTransforms::StreetLines TextTransforms::splitStreet(const QString& street, int maxLines, int maxLineLength)
{
    static const QRegularExpression lineBreak(QStringLiteral("\\r\\n|[\\r\\n\\x{2028}\\x{2029}]"));
    const QString separator = QStringLiteral(", ");
    QStringList lines;
    for (const QString& raw : street.split(lineBreak)) {
        const QString line = raw.trimmed();
        if (line.isEmpty())
            continue;
        if (line.size() <= maxLineLength) {
            lines.append(line);
            continue;
        }
        // Too long for one Oracle line: break at ", " and pack the parts greedily. A part longer than a line
        // stays as it is; the length check reports it rather than cutting it silently.
        QString current;
        for (const QString& rawPart : line.split(separator)) {
            const QString part = rawPart.trimmed();
            if (part.isEmpty())
                continue;
            if (current.isEmpty())
                current = part;
            else if (current.size() + separator.size() + part.size() <= maxLineLength)
                current += separator + part;
            else {
                lines.append(current);
                current = part;
            }
        }
        if (!current.isEmpty())
            lines.append(current);
    }

    StreetLines result;
    if (maxLines > 0 && lines.size() > maxLines) {
        result.overflow = static_cast<int>(lines.size()) - maxLines;
        const QString rest = lines.mid(maxLines - 1).join(separator);
        lines = lines.mid(0, maxLines - 1);
        lines.append(rest);
    }
    result.lines = lines;
    return result;
}

} // namespace Core
