#pragma once

#include "net/ConnectionStatus.h"

#include <QFrame>

class QLabel;

namespace Gui {

// One connection on the dashboard: which system, where it lives, and whether it answers.
class ConnectionCard final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionCard)

public:
    ConnectionCard(const QString& title, const QString& iconPath, QWidget* parent = nullptr);

    void setEndpoint(const QString& endpoint);
    void setStatus(const Core::ConnectionStatus& status);

    Core::ConnectionStatus::State state() const { return m_state; }
    QString statusText() const;
    QString endpointText() const;

private:
    QLabel* m_endpoint;
    QLabel* m_badge;
    QLabel* m_status;
    QLabel* m_detail;
    Core::ConnectionStatus::State m_state = Core::ConnectionStatus::State::Unknown;
};

} // namespace Gui
