#pragma once

#include <QMetaType>
#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace Core {

// What went wrong, as a value: async code reports it through callbacks, never by throwing.
struct Error
{
    enum class Kind {
        Network,
        Timeout,
        Auth,
        Forbidden,
        NotFound,
        Conflict,
        Throttled,
        Server,
        BadResponse,
        InvalidInput,
        Config,
        Storage,
        Unavailable,
        Internal,
    };

    Error() = default;
    Error(Kind k, QString text, int status = 0, QString errorCode = {})
        : kind(k)
        , message(std::move(text))
        , httpStatus(status)
        , code(std::move(errorCode))
    { }

    Kind kind = Kind::Internal;
    QString message; // for people: says what is wrong and where; never carries a secret
    int httpStatus = 0;
    QString code; // the remote system's error code, e.g. INVALID_TOKEN
};

template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    { }
    Result(Error error)
        : m_value(std::move(error))
    { }

    bool ok() const { return std::holds_alternative<T>(m_value); }
    explicit operator bool() const { return ok(); }
    const T& value() const { return std::get<T>(m_value); }
    T& value() { return std::get<T>(m_value); }
    const Error& error() const { return std::get<Error>(m_value); }

private:
    std::variant<T, Error> m_value;
};

struct Ok
{ };

} // namespace Core

Q_DECLARE_METATYPE(Core::Error)
