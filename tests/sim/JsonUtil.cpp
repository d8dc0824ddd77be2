#include "JsonUtil.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace Sim {

std::optional<QJsonObject> parseJsonObject(const QByteArray& body)
{
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError || !doc.isObject())
        return std::nullopt;
    return doc.object();
}

QByteArray toCompactJson(const QJsonObject& object)
{
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

QJsonArray toJsonArray(const QStringList& list)
{
    QJsonArray a;
    for (const QString& s : list)
        a.append(s);
    return a;
}

QStringList toStringList(const QJsonValue& value)
{
    QStringList out;
    if (value.isArray()) {
        const QJsonArray a = value.toArray();
        for (const QJsonValue& v : a) {
            if (v.isString())
                out.append(v.toString());
        }
    } else if (value.isString()) {
        const QStringList parts = value.toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (const QString& p : parts)
            out.append(p.trimmed());
    }
    return out;
}

QString randomHex(QRandomGenerator& rng, int n)
{
    static const char digits[] = "0123456789abcdef";
    QString s;
    s.reserve(n);
    for (int i = 0; i < n; ++i)
        s.append(QLatin1Char(digits[rng.bounded(16)]));
    return s;
}

qint64 randomBetween(QRandomGenerator& rng, qint64 lo, qint64 hi)
{
    if (hi <= lo)
        return lo;
    return lo + static_cast<qint64>(rng.bounded(static_cast<quint64>(hi - lo + 1)));
}

bool randomChance(QRandomGenerator& rng, double p)
{
    if (p <= 0.0)
        return false;
    if (p >= 1.0)
        return true;
    return rng.generateDouble() < p;
}

} // namespace Sim
