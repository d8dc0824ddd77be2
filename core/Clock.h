#pragma once

#include <QDateTime>

namespace Core {

// Wall-clock time, injectable so tests can move it.
class Clock
{
public:
    virtual ~Clock() = default;
    virtual QDateTime now() const = 0;
};

class SystemClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::currentDateTimeUtc(); }
    static const Clock* instance(); // a stateless default, not shared mutable state
};

} // namespace Core
