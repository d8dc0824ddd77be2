#pragma once

#include "tray/TrayBackend.h"

#include <QObject>
#include <QPointer>
#include <QString>

#include <array>
#include <chrono>
#include <memory>

class QAction;
class QMenu;
class QTimer;
class QWidget;

namespace Gui {

// The only class that touches the tray. Without a tray (offscreen, bare Xvfb, GNOME without the
// AppIndicator extension) the app stays fully usable: it quits on last window close, never hides
// its window, and sends notifications to the window (inWindowNotice) instead.
class TrayController final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TrayController)

public:
    // Takes ownership of the backend.
    explicit TrayController(TrayBackend* backend, QObject* parent = nullptr);
    ~TrayController() override;

    // The main window, shown by start() and by Open; not owned.
    void setWindow(QWidget* window);
    // Tray availability retries at start (KeePassXC: 5 x 5 s).
    void setRetryPolicy(int attempts, std::chrono::milliseconds interval);
    // A burst of notifications of one kind within this interval gives one message.
    void setNotificationInterval(std::chrono::milliseconds interval);

    // Decides quitOnLastWindowClosed, shows the tray if there is one, and shows the window
    // unless startMinimized and a tray exists.
    void start(bool startMinimized);

    bool trayAvailable() const { return m_trayShown; }
    TrayState state() const { return m_state; }
    QString toolTip() const;
    bool isPaused() const;
    QMenu* menu() const { return m_menu.get(); }
    QAction* openAction() const { return m_open; }
    QAction* syncNowAction() const { return m_syncNow; }
    QAction* pauseAction() const { return m_pause; }
    QAction* quitAction() const { return m_quit; }

    void setState(TrayState state);
    // Reflects a pause started elsewhere; does not emit pauseToggled.
    void setPaused(bool paused);

    void notifyFailure(const QString& text);
    void notifyChannelProblem(const QString& text);
    void notifyReauthorisation(const QString& service);

signals:
    void openRequested();
    void syncNowRequested();
    void pauseToggled(bool paused);
    void quitRequested();
    // A notification for the window, used when there is no tray.
    void inWindowNotice(const QString& text);
    void trayAvailabilityChanged(bool available);

private:
    enum Kind { Failure, ChannelProblem, Reauthorisation, KindCount };
    struct Limiter
    {
        QTimer* timer = nullptr;
        int suppressed = 0;
    };

    void buildMenu();
    void updatePauseText();
    void attachTray();
    void retryTray();
    void openWindow();
    void notify(Kind kind, const QString& title, const QString& text, TraySeverity severity);
    void flush(Kind kind);
    void deliver(const QString& title, const QString& text, TraySeverity severity);

    TrayBackend* m_backend;
    std::unique_ptr<QMenu> m_menu;
    QAction* m_open = nullptr;
    QAction* m_syncNow = nullptr;
    QAction* m_pause = nullptr;
    QAction* m_quit = nullptr;
    QPointer<QWidget> m_window;
    QTimer* m_retryTimer;
    int m_retriesLeft = 0;
    int m_retryAttempts = 5;
    std::chrono::milliseconds m_notificationInterval{60000};
    std::array<Limiter, KindCount> m_limiters;
    TrayState m_state = TrayState::Ok;
    bool m_trayShown = false;
};

} // namespace Gui
