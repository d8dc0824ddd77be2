#pragma once

#include <QMetaType>
#include <QString>

namespace Core {

enum class Service { Zoho, Oracle };

struct ConnectionStatus
{
    enum class State { Unknown, Checking, Connected, Failed };

    State state = State::Unknown;
    QString summary; // one line for the dashboard
    QString detail;  // what was checked, or what is wrong and where, in plain words
};

} // namespace Core

Q_DECLARE_METATYPE(Core::ConnectionStatus)
Q_DECLARE_METATYPE(Core::Service)
