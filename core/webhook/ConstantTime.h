#pragma once

#include <QByteArray>

namespace Core {

// Compares two secrets in time that depends only on their lengths, never on where they first
// differ, so a caller cannot guess a channel token byte by byte from answer times.
bool constantTimeEquals(const QByteArray& a, const QByteArray& b);

} // namespace Core
