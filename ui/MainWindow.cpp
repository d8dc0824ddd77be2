#include "MainWindow.h"

#include "dashboard/ConnectionCard.h"
#include "dashboard/DashboardWidget.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace Gui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_dashboard(new DashboardWidget)
    , m_modeLabel(new QLabel)
    , m_testConnections(
          new QAction(QIcon(QStringLiteral(":/icons/test-connection.svg")), tr("&Test connections"), this))
    , m_syncNow(new QAction(QIcon(QStringLiteral(":/icons/status-syncing.svg")), tr("&Sync now"), this))
    , m_pages(new QTabWidget)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("ml-connector"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/ml-connector.svg")));

    m_testConnections->setObjectName(QStringLiteral("actionTestConnections"));
    m_testConnections->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    connect(m_testConnections, &QAction::triggered, this, &MainWindow::testConnectionsRequested);

    m_syncNow->setObjectName(QStringLiteral("actionSyncNow"));
    m_syncNow->setShortcut(QKeySequence(Qt::Key_F5));
    m_syncNow->setEnabled(false);
    // The action goes through the dashboard, so menu, F5 and button are one request path.
    connect(m_syncNow, &QAction::triggered, m_dashboard, &DashboardWidget::requestSyncNow);
    connect(m_dashboard, &DashboardWidget::syncNowRequested, this, &MainWindow::syncNowRequested);

    auto* quit = new QAction(tr("&Quit"), this);
    quit->setObjectName(QStringLiteral("actionQuit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, qApp, &QApplication::quit);

    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(m_testConnections);
    fileMenu->addAction(m_syncNow);
    fileMenu->addSeparator();
    fileMenu->addAction(quit);

    QToolBar* toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addAction(m_testConnections);
    toolBar->addAction(m_syncNow);

    m_pages->setObjectName(QStringLiteral("pages"));
    m_dashboard->setObjectName(QStringLiteral("dashboardPage"));
    m_pages->addTab(m_dashboard, tr("&Dashboard"));
    setCentralWidget(m_pages);

    m_modeLabel->setObjectName(QStringLiteral("modeLabel"));
    statusBar()->addPermanentWidget(m_modeLabel);
    resize(1100, 760);
}

ConnectionCard* MainWindow::zohoCard() const
{
    return m_dashboard->zohoCard();
}

ConnectionCard* MainWindow::oracleCard() const
{
    return m_dashboard->oracleCard();
}

void MainWindow::setZohoEndpoint(const QString& endpoint)
{
    zohoCard()->setEndpoint(endpoint);
}

void MainWindow::setOracleEndpoint(const QString& endpoint)
{
    oracleCard()->setEndpoint(endpoint);
}

void MainWindow::setConnectionStatus(Core::Service service, const Core::ConnectionStatus& status)
{
    (service == Core::Service::Zoho ? zohoCard() : oracleCard())->setStatus(status);
}

void MainWindow::addPage(QWidget* page, const QString& title, const QString& objectName)
{
    page->setObjectName(objectName);
    m_pages->addTab(page, title);
    if (objectName == m_pendingPage)
        m_pages->setCurrentWidget(page);
}

void MainWindow::saveLayout(QSettings& settings) const
{
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    settings.setValue(QStringLiteral("window/page"), m_pages->currentWidget()->objectName());
}

void MainWindow::restoreLayout(const QSettings& settings)
{
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    // Pages arrive once the session is open; remember which one to show when it does.
    m_pendingPage = settings.value(QStringLiteral("window/page")).toString();
    for (int i = 0; i < m_pages->count(); ++i) {
        if (m_pages->widget(i)->objectName() == m_pendingPage)
            m_pages->setCurrentIndex(i);
    }
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    emit closing();
    QMainWindow::closeEvent(event);
}

void MainWindow::setSyncSummary(const QString& text)
{
    m_dashboard->setStatusText(text);
}

void MainWindow::setSyncEnabled(bool enabled)
{
    m_syncNow->setEnabled(enabled);
    m_dashboard->setSyncEnabled(enabled);
}

void MainWindow::setModeText(const QString& text)
{
    m_modeLabel->setText(text);
}

} // namespace Gui
