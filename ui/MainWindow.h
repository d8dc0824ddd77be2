#pragma once

#include "net/ConnectionStatus.h"

#include <QMainWindow>

class QAction;
class QLabel;
class QSettings;
class QTabWidget;

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
    // Adds a page (mapping editor, audit browser) beside the dashboard.
    void addPage(QWidget* page, const QString& title, const QString& objectName);
    void setSyncSummary(const QString& text);
    void setSyncEnabled(bool enabled);
    QTabWidget* pages() const { return m_pages; }
    // Window geometry and the page last shown, kept between runs.
    void saveLayout(QSettings& settings) const;
    void restoreLayout(const QSettings& settings);

    ConnectionCard* zohoCard() const { return m_zohoCard; }
    ConnectionCard* oracleCard() const { return m_oracleCard; }

signals:
    void closing();
    void testConnectionsRequested();
    void syncNowRequested();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    ConnectionCard* m_zohoCard;
    ConnectionCard* m_oracleCard;
    QLabel* m_modeLabel;
    QLabel* m_syncSummary;
    QAction* m_testConnections;
    QAction* m_syncNow;
    QTabWidget* m_pages;
    QString m_pendingPage; // restored before the page exists
};

} // namespace Gui
