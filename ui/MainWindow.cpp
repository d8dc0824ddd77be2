#include "MainWindow.h"

#include "dashboard/ConnectionCard.h"

#include <QAction>
#include <QApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenuBar>
#include <QStatusBar>
#include <QToolBar>
#include <QVBoxLayout>

namespace Gui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_zohoCard(new ConnectionCard(tr("Zoho CRM"), QStringLiteral(":/icons/zoho.svg")))
    , m_oracleCard(new ConnectionCard(tr("Oracle Fusion Cloud ERP"), QStringLiteral(":/icons/oracle.svg")))
    , m_modeLabel(new QLabel)
    , m_testConnections(
          new QAction(QIcon(QStringLiteral(":/icons/test-connection.svg")), tr("&Test connections"), this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("ml-connector"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/ml-connector.svg")));
    m_zohoCard->setObjectName(QStringLiteral("zohoCard"));
    m_oracleCard->setObjectName(QStringLiteral("oracleCard"));

    m_testConnections->setObjectName(QStringLiteral("actionTestConnections"));
    m_testConnections->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    connect(m_testConnections, &QAction::triggered, this, &MainWindow::testConnectionsRequested);

    auto* quit = new QAction(tr("&Quit"), this);
    quit->setObjectName(QStringLiteral("actionQuit"));
    quit->setShortcut(QKeySequence::Quit);
    connect(quit, &QAction::triggered, qApp, &QApplication::quit);

    QMenu* fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(m_testConnections);
    fileMenu->addSeparator();
    fileMenu->addAction(quit);

    QToolBar* toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addAction(m_testConnections);

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
    layout->addStretch(1);
    setCentralWidget(central);

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

void MainWindow::setModeText(const QString& text)
{
    m_modeLabel->setText(text);
}

} // namespace Gui
