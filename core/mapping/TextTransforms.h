#pragma once

#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>

namespace Core {

// The text-only transforms of a mapping rule: pure functions, no state.
class TextTransforms
{
public:
    struct StreetLines
    {
        QStringList lines;
        int overflow = 0; // how many lines beyond maxLines were joined into the last one
    };

    // "müller gmbh & co. kg" → "Müller Gmbh & Co. Kg": a letter after a space or punctuation starts a word.
    static QString title(const QString& text);
    // A pragmatic check (one '@', no spaces, a dotted domain), not RFC 5322.
    static bool isValidEmail(const QString& text);
    // Exact key first, then case-insensitively; unmatched → otherwise, or the input unchanged.
    static QString
    mapValue(const QString& value, const QMap<QString, QString>& map, const std::optional<QString>& otherwise);
    // Splits a CRM street field into address lines: on newlines, and on ", " only inside a line longer than
    // maxLineLength (packing the parts back up to that length). Lines are trimmed, empty ones dropped; more
    // than maxLines → the rest is joined into the last line with ", ".
    static StreetLines splitStreet(const QString& street, int maxLines = 4, int maxLineLength = 240);
};

} // namespace Core
