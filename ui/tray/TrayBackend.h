#pragma once

#include <QObject>
#include <QString>

class QMenu;

namespace Gui {

// What the tray icon shows; TrayController maps the sync state onto it.
enum class TrayState { Ok, Syncing, Attention, Paused };

enum class TraySeverity { Information, Warning, Critical };

// The seam between TrayController and the platform tray, so tests can run with a fake tray.
class TrayBackend : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayBackend)

public:
    explicit TrayBackend(QObject* parent = nullptr)
        : QObject(parent)
    { }
    ~TrayBackend() override = default;

    virtual bool isAvailable() const = 0;
    virtual void show() = 0;
    virtual void hide() = 0;
    virtual void setIcon(TrayState state) = 0;
    virtual void setToolTip(const QString& toolTip) = 0;
    // The menu stays owned by the caller; it is set once and its actions are updated in place.
    virtual void setMenu(QMenu* menu) = 0;
    virtual void showMessage(const QString& title, const QString& text, TraySeverity severity) = 0;

signals:
    // The icon itself was clicked (not the context menu).
    void activated();
};

} // namespace Gui
