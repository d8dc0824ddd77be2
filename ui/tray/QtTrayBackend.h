#pragma once

#include "tray/TrayBackend.h"

#include <QIcon>

class QSystemTrayIcon;

namespace Gui {

// TrayBackend over QSystemTrayIcon. Icons are pixmap-backed (KDE shows blank scalable icons).
class QtTrayBackend final : public TrayBackend
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(QtTrayBackend)

public:
    explicit QtTrayBackend(QObject* parent = nullptr);
    ~QtTrayBackend() override;

    bool isAvailable() const override;
    void show() override;
    void hide() override;
    void setIcon(TrayState state) override;
    void setToolTip(const QString& toolTip) override;
    void setMenu(QMenu* menu) override;
    void showMessage(const QString& title, const QString& text, TraySeverity severity) override;

    static QString iconPath(TrayState state);
    // A QIcon holding rendered pixmaps of the SVG at the usual tray sizes.
    static QIcon pixmapIcon(const QString& svgPath);

private:
    QSystemTrayIcon* m_icon;
};

} // namespace Gui
