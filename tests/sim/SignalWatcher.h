#pragma once

#include <QObject>

class QSocketNotifier;

namespace Sim {

// Turns SIGINT/SIGTERM into a Qt signal through a self-pipe (a socket pair), so the handler
// itself only writes one byte, which is async-signal-safe.
class SignalWatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SignalWatcher)

public:
    explicit SignalWatcher(QObject* parent = nullptr);
    ~SignalWatcher() override;

    bool isValid() const { return m_notifier != nullptr; }

signals:
    void terminationRequested(int signal);

private:
    static void handle(int signal);

    QSocketNotifier* m_notifier = nullptr;
};

} // namespace Sim
