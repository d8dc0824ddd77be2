#pragma once

#include "net/ConnectionStatus.h"

#include <QMainWindow>

class QAction;
class QLabel;
class QSettings;
class QTabWidget;

namespace Gui {

class ConnectionCard;
class DashboardWidget;

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

    ConnectionCard* zohoCard() const;
    ConnectionCard* oracleCard() const;
    // The first page; DashboardController feeds it and handles its requests.
    DashboardWidget* dashboard() const { return m_dashboard; }

signals:
    void closing();
    void testConnectionsRequested();
    // Sync now from the menu, F5 or the dashboard's button (one signal for all three).
    void syncNowRequested();

protected:
    void closeEvent(QCloseEvent* event) override;

private:
    DashboardWidget* m_dashboard;
    QLabel* m_modeLabel;
    QAction* m_testConnections;
    QAction* m_syncNow;
    QTabWidget* m_pages;
    QString m_pendingPage; // restored before the page exists
};

} // namespace Gui
