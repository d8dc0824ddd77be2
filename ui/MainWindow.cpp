#include "MainWindow.h"

#include "dashboard/ConnectionCard.h"

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
    , m_zohoCard(new ConnectionCard(tr("Zoho CRM"), QStringLiteral(":/icons/zoho.svg")))
    , m_oracleCard(new ConnectionCard(tr("Oracle Fusion Cloud ERP"), QStringLiteral(":/icons/oracle.svg")))
    , m_modeLabel(new QLabel)
    , m_syncSummary(new QLabel)
    , m_testConnections(
          new QAction(QIcon(QStringLiteral(":/icons/test-connection.svg")), tr("&Test connections"), this))
    , m_syncNow(new QAction(QIcon(QStringLiteral(":/icons/status-syncing.svg")), tr("&Sync now"), this))
    , m_pages(new QTabWidget)
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("ml-connector"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/ml-connector.svg")));
    m_zohoCard->setObjectName(QStringLiteral("zohoCard"));
    m_oracleCard->setObjectName(QStringLiteral("oracleCard"));

    m_testConnections->setObjectName(QStringLiteral("actionTestConnections"));
    m_testConnections->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    connect(m_testConnections, &QAction::triggered, this, &MainWindow::testConnectionsRequested);

    m_syncNow->setObjectName(QStringLiteral("actionSyncNow"));
    m_syncNow->setShortcut(QKeySequence(Qt::Key_F5));
    m_syncNow->setEnabled(false);
    connect(m_syncNow, &QAction::triggered, this, &MainWindow::syncNowRequested);

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

    auto* heading = new QLabel(tr("<h2>Connections</h2>"));
    auto* flow = new QLabel(tr("Zoho CRM contacts and accounts become Oracle Fusion accounts; billing, AR balance and "
                               "credit status flow back to Zoho."));
    flow->setWordWrap(true);

    auto* cards = new QHBoxLayout;
    cards->addWidget(m_zohoCard, 1);
    cards->addWidget(m_oracleCard, 1);

    auto* central = new QWidget;
    auto* layout = new QVBoxLayout(central);
    layout->addWidget(heading);
    layout->addWidget(flow);
    layout->addLayout(cards);
    m_syncSummary->setObjectName(QStringLiteral("syncSummaryLabel"));
    m_syncSummary->setWordWrap(true);
    layout->addWidget(new QLabel(tr("<h3>Sync</h3>")));
    layout->addWidget(m_syncSummary);
    layout->addStretch(1);
    m_pages->setObjectName(QStringLiteral("pages"));
    central->setObjectName(QStringLiteral("dashboardPage"));
    m_pages->addTab(central, tr("Dashboard"));
    setCentralWidget(m_pages);

    m_modeLabel->setObjectName(QStringLiteral("modeLabel"));
    statusBar()->addPermanentWidget(m_modeLabel);
    resize(960, 540);
}

void MainWindow::setZohoEndpoint(const QString& endpoint)
{
    m_zohoCard->setEndpoint(endpoint);
}

void MainWindow::setOracleEndpoint(const QString& endpoint)
{
    m_oracleCard->setEndpoint(endpoint);
}

void MainWindow::setConnectionStatus(Core::Service service, const Core::ConnectionStatus& status)
{
    (service == Core::Service::Zoho ? m_zohoCard : m_oracleCard)->setStatus(status);
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
    m_syncSummary->setText(text);
}

void MainWindow::setSyncEnabled(bool enabled)
{
    m_syncNow->setEnabled(enabled);
}

void MainWindow::setModeText(const QString& text)
{
    m_modeLabel->setText(text);
}

} // namespace Gui
