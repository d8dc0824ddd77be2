#pragma once

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QRandomGenerator>
#include <QString>

#include <optional>

namespace Sim {

// Parses a JSON object body; nullopt when the body is not a JSON object.
std::optional<QJsonObject> parseJsonObject(const QByteArray& body);
QByteArray toCompactJson(const QJsonObject& object);
QJsonArray toJsonArray(const QStringList& list);
QStringList toStringList(const QJsonValue& value); // strings of an array, or a comma list string

// Random lower-case hex string of n characters from the seeded generator.
QString randomHex(QRandomGenerator& rng, int n);
// Random integer in [lo, hi] (inclusive).
qint64 randomBetween(QRandomGenerator& rng, qint64 lo, qint64 hi);
// true with probability p (no draw at all when p <= 0, so unused faults do not shift the sequence).
bool randomChance(QRandomGenerator& rng, double p);

} // namespace Sim
