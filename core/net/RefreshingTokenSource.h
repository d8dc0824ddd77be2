#pragma once

#include "net/TokenSource.h"

#include <QPointer>

#include <vector>

namespace Core {

class Clock;

// The single-flight machinery shared by the OAuth token managers: one refresh at a time, every
// waiter served from it, a generation counter so a late 401 for an old token cannot throw away
// a new one.
class RefreshingTokenSource : public TokenSource
{
    Q_OBJECT

public:
    explicit RefreshingTokenSource(const Clock* clock, QObject* parent = nullptr);

    std::optional<AccessToken> validToken() const override;
    void token(QObject* context, Callback callback) override;
    void invalidate(quint64 generation) override;

    void setExpirySkewMs(qint64 ms) { m_skewMs = ms; }
    quint64 generation() const { return m_current.generation; }
    int refreshCount() const { return m_refreshCount; }

protected:
    struct Fetched
    {
        QByteArray authorization;
        qint64 expiresInS = 3600;
    };
    // Ask the token endpoint once; report through done(), exactly once.
    virtual void fetch(std::function<void(Result<Fetched>)> done) = 0;
    const Clock* clock() const { return m_clock; }

private:
    struct Waiter
    {
        QPointer<QObject> context;
        Callback callback;
    };
    void startRefresh();
    void attemptFetch(int retry);
    void deliver(const Result<AccessToken>& result);

    const Clock* m_clock;
    AccessToken m_current;
    quint64 m_nextGeneration = 1;
    qint64 m_skewMs = 5000;
    bool m_refreshing = false;
    int m_refreshCount = 0;
    std::vector<Waiter> m_waiters;
};

} // namespace Core
