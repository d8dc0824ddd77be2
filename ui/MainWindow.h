#pragma once

#include "net/ConnectionStatus.h"

#include <QMainWindow>

class QAction;
class QLabel;

namespace Gui {

class ConnectionCard;

// The dashboard window. It shows state and forwards the user's requests; it owns no business logic.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    explicit MainWindow(QWidget* parent = nullptr);

    void setZohoEndpoint(const QString& endpoint);
    void setOracleEndpoint(const QString& endpoint);
    void setConnectionStatus(Core::Service service, const Core::ConnectionStatus& status);
    void setModeText(const QString& text);

    ConnectionCard* zohoCard() const { return m_zohoCard; }
    ConnectionCard* oracleCard() const { return m_oracleCard; }

signals:
    void testConnectionsRequested();

private:
    ConnectionCard* m_zohoCard;
    ConnectionCard* m_oracleCard;
    QLabel* m_modeLabel;
    QAction* m_testConnections;
};

} // namespace Gui
