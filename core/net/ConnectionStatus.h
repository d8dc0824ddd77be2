#pragma once

#include "Result.h"

#include <QMetaType>
#include <QString>

namespace Core {

enum class Service { Zoho, Oracle };

struct ConnectionStatus
{
    enum class State { Unknown, Checking, Connected, Failed };

    State state = State::Unknown;
    QString summary;                             // one line for the dashboard
    QString detail;                              // what was checked, or what is wrong and where, in plain words
    Error::Kind failure = Error::Kind::Internal; // what kind of failure, when Failed
};

} // namespace Core

Q_DECLARE_METATYPE(Core::ConnectionStatus)
Q_DECLARE_METATYPE(Core::Service)
