#include "tray/QtTrayBackend.h"

#include <QMenu>
#include <QPixmap>
#include <QSystemTrayIcon>

namespace Gui {

QtTrayBackend::QtTrayBackend(QObject* parent)
    : TrayBackend(parent)
    , m_icon(new QSystemTrayIcon(this))
{
    m_icon->setIcon(pixmapIcon(iconPath(TrayState::Ok)));
    connect(m_icon, &QSystemTrayIcon::activated, this, [this](QSystemTrayIcon::ActivationReason reason) {
        if (reason == QSystemTrayIcon::Trigger || reason == QSystemTrayIcon::DoubleClick) {
            emit activated();
        }
    });
}

QtTrayBackend::~QtTrayBackend() = default;

bool QtTrayBackend::isAvailable() const
{
    return QSystemTrayIcon::isSystemTrayAvailable();
}

void QtTrayBackend::show()
{
    m_icon->show();
}

void QtTrayBackend::hide()
{
    m_icon->hide();
}

void QtTrayBackend::setIcon(TrayState state)
{
    m_icon->setIcon(pixmapIcon(iconPath(state)));
}

void QtTrayBackend::setToolTip(const QString& toolTip)
{
    m_icon->setToolTip(toolTip);
}

void QtTrayBackend::setMenu(QMenu* menu)
{
    m_icon->setContextMenu(menu);
}

void QtTrayBackend::showMessage(const QString& title, const QString& text, TraySeverity severity)
{
    auto icon = QSystemTrayIcon::Information;
    if (severity == TraySeverity::Warning) {
        icon = QSystemTrayIcon::Warning;
    } else if (severity == TraySeverity::Critical) {
        icon = QSystemTrayIcon::Critical;
    }
    m_icon->showMessage(title, text, icon);
}

QString QtTrayBackend::iconPath(TrayState state)
{
    switch (state) {
    case TrayState::Ok:
        return QStringLiteral(":/icons/status-ok.svg");
    case TrayState::Syncing:
        return QStringLiteral(":/icons/status-syncing.svg");
    case TrayState::Attention:
        return QStringLiteral(":/icons/status-attention.svg");
    case TrayState::Paused:
        return QStringLiteral(":/icons/status-paused.svg");
    }
    return QStringLiteral(":/icons/status-ok.svg");
}

QIcon QtTrayBackend::pixmapIcon(const QString& svgPath)
{
    const QIcon scalable(svgPath);
    QIcon icon;
    for (const int size : {16, 22, 24, 32, 48, 64}) {
        icon.addPixmap(scalable.pixmap(QSize(size, size)));
    }
    return icon;
}

} // namespace Gui
