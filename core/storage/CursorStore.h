#pragma once

#include "Result.h"

#include <QString>

#include <optional>

namespace Core {

class Clock;
class Database;

// Named poll watermarks (poll_cursor), e.g. "Accounts.modified_since" -> an ISO time or a page token.
class CursorStore
{
public:
    explicit CursorStore(Database& db, const Clock* clock = nullptr);

    Result<std::optional<QString>> get(const QString& name) const;
    Result<Ok> set(const QString& name, const QString& value);
    Result<bool> remove(const QString& name); // false: there was none

private:
    Database& m_db;
    const Clock* m_clock;
};

} // namespace Core
