#include "tray/TrayController.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QSignalBlocker>
#include <QTimer>
#include <QWidget>

namespace Gui {

TrayController::TrayController(TrayBackend* backend, QObject* parent)
    : QObject(parent)
    , m_backend(backend)
    , m_retryTimer(new QTimer(this))
{
    m_backend->setParent(this);
    m_retryTimer->setInterval(std::chrono::seconds(5));
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &TrayController::retryTray);
    connect(m_backend, &TrayBackend::activated, this, &TrayController::openWindow);
    for (int kind = 0; kind < KindCount; ++kind) {
        auto* timer = new QTimer(this);
        timer->setSingleShot(true);
        timer->setInterval(m_notificationInterval);
        connect(timer, &QTimer::timeout, this, [this, kind] { flush(static_cast<Kind>(kind)); });
        m_limiters[static_cast<std::size_t>(kind)].timer = timer;
    }
    buildMenu();
}

TrayController::~TrayController()
{
    // The tray icon refers to the menu: remove the icon first.
    delete m_backend;
}

void TrayController::buildMenu()
{
    m_menu = std::make_unique<QMenu>();
    m_menu->setObjectName(QStringLiteral("trayMenu"));
    m_open = m_menu->addAction(tr("Open ml-connector"));
    m_open->setObjectName(QStringLiteral("trayOpenAction"));
    m_syncNow = m_menu->addAction(tr("Sync now"));
    m_syncNow->setObjectName(QStringLiteral("traySyncNowAction"));
    m_pause = m_menu->addAction(QString());
    m_pause->setObjectName(QStringLiteral("trayPauseAction"));
    m_pause->setCheckable(true);
    m_menu->addSeparator();
    m_quit = m_menu->addAction(tr("Quit"));
    m_quit->setObjectName(QStringLiteral("trayQuitAction"));
    updatePauseText();

    connect(m_open, &QAction::triggered, this, &TrayController::openWindow);
    connect(m_syncNow, &QAction::triggered, this, &TrayController::syncNowRequested);
    connect(m_pause, &QAction::toggled, this, [this](bool paused) {
        updatePauseText();
        emit pauseToggled(paused);
    });
    connect(m_quit, &QAction::triggered, this, &TrayController::quitRequested);
}

void TrayController::updatePauseText()
{
    m_pause->setText(m_pause->isChecked() ? tr("Resume syncing") : tr("Pause syncing"));
}

void TrayController::setWindow(QWidget* window)
{
    m_window = window;
}

void TrayController::setRetryPolicy(int attempts, std::chrono::milliseconds interval)
{
    m_retryAttempts = attempts;
    m_retryTimer->setInterval(interval);
}

void TrayController::setNotificationInterval(std::chrono::milliseconds interval)
{
    m_notificationInterval = interval;
    for (auto& limiter : m_limiters) {
        limiter.timer->setInterval(interval);
    }
}

void TrayController::start(bool startMinimized)
{
    if (m_backend->isAvailable()) {
        attachTray();
    } else {
        QApplication::setQuitOnLastWindowClosed(true);
        m_retriesLeft = m_retryAttempts;
        if (m_retriesLeft > 0) {
            m_retryTimer->start();
        }
    }
    // Never hide a window when there is no tray to bring it back from.
    if (m_window && (!startMinimized || !m_trayShown)) {
        m_window->show();
    }
}

void TrayController::attachTray()
{
    m_retryTimer->stop();
    m_retriesLeft = 0;
    m_backend->setIcon(m_state);
    m_backend->setToolTip(toolTip());
    m_backend->setMenu(m_menu.get());
    m_backend->show();
    m_trayShown = true;
    QApplication::setQuitOnLastWindowClosed(false);
    emit trayAvailabilityChanged(true);
}

void TrayController::retryTray()
{
    if (m_trayShown) {
        return;
    }
    if (m_backend->isAvailable()) {
        attachTray();
        return;
    }
    if (--m_retriesLeft > 0) {
        m_retryTimer->start();
    }
}

void TrayController::openWindow()
{
    if (m_window) {
        m_window->show();
        m_window->raise();
        m_window->activateWindow();
    }
    emit openRequested();
}

QString TrayController::toolTip() const
{
    switch (m_state) {
    case TrayState::Ok:
        return tr("ml-connector: in sync");
    case TrayState::Syncing:
        return tr("ml-connector: syncing");
    case TrayState::Attention:
        return tr("ml-connector: needs attention");
    case TrayState::Paused:
        return tr("ml-connector: paused");
    }
    return QString();
}

bool TrayController::isPaused() const
{
    return m_pause->isChecked();
}

void TrayController::setState(TrayState state)
{
    m_state = state;
    if (m_trayShown) {
        m_backend->setIcon(state);
        m_backend->setToolTip(toolTip());
    }
}

void TrayController::setPaused(bool paused)
{
    const QSignalBlocker blocker(m_pause);
    m_pause->setChecked(paused);
    updatePauseText();
}

void TrayController::notifyFailure(const QString& text)
{
    notify(Failure, tr("Sync failed"), text, TraySeverity::Warning);
}

void TrayController::notifyChannelProblem(const QString& text)
{
    notify(ChannelProblem, tr("Change notifications interrupted"), text, TraySeverity::Warning);
}

void TrayController::notifyReauthorisation(const QString& service)
{
    notify(Reauthorisation, tr("Sign-in needed"),
           tr("The credentials for %1 need to be authorised again.").arg(service), TraySeverity::Critical);
}

void TrayController::notify(Kind kind, const QString& title, const QString& text, TraySeverity severity)
{
    auto& limiter = m_limiters[static_cast<std::size_t>(kind)];
    if (limiter.timer->isActive()) {
        ++limiter.suppressed;
        return;
    }
    limiter.suppressed = 0;
    limiter.timer->start();
    deliver(title, text, severity);
}

void TrayController::flush(Kind kind)
{
    auto& limiter = m_limiters[static_cast<std::size_t>(kind)];
    if (limiter.suppressed == 0) {
        return;
    }
    const int count = limiter.suppressed;
    limiter.suppressed = 0;
    // The summary opens a new window, so a steady stream gives one message per interval.
    limiter.timer->start();
    QString title;
    QString text;
    if (kind == Failure) {
        title = tr("Sync failed");
        text = tr("%n more record(s) failed; see the audit trail.", nullptr, count);
    } else if (kind == ChannelProblem) {
        title = tr("Change notifications interrupted");
        text = tr("%n more channel problem(s).", nullptr, count);
    } else {
        title = tr("Sign-in needed");
        text = tr("%n more credential(s) need to be authorised again.", nullptr, count);
    }
    deliver(title, text, kind == Reauthorisation ? TraySeverity::Critical : TraySeverity::Warning);
}

void TrayController::deliver(const QString& title, const QString& text, TraySeverity severity)
{
    // supportsMessages() is true even offscreen, so route by tray presence alone.
    if (m_trayShown) {
        m_backend->showMessage(title, text, severity);
    } else {
        emit inWindowNotice(title + QStringLiteral(": ") + text);
    }
}

} // namespace Gui
