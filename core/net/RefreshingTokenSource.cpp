#include "RefreshingTokenSource.h"

#include "Clock.h"
#include "Logging.h"

#include <QTimer>

namespace Core {

RefreshingTokenSource::RefreshingTokenSource(const Clock* clock, QObject* parent)
    : TokenSource(parent)
    , m_clock(clock ? clock : SystemClock::instance())
{ }

std::optional<AccessToken> RefreshingTokenSource::validToken() const
{
    if (m_current.authorization.isEmpty())
        return std::nullopt;
    if (m_current.expiresAt.isValid() && m_clock->now().msecsTo(m_current.expiresAt) <= m_skewMs)
        return std::nullopt;
    return m_current;
}

void RefreshingTokenSource::token(QObject* context, Callback callback)
{
    if (auto current = validToken()) {
        QTimer::singleShot(0, context, [callback = std::move(callback), token = *current] { callback(token); });
        return;
    }
    m_waiters.push_back(Waiter{context, std::move(callback)});
    if (!m_refreshing)
        startRefresh();
}

void RefreshingTokenSource::invalidate(quint64 generation)
{
    if (generation == m_current.generation && !m_current.authorization.isEmpty()) {
        qCInfo(lcOAuth) << metaObject()->className() << "token generation" << generation << "rejected; will refresh";
        m_current.authorization.clear();
    }
}

void RefreshingTokenSource::startRefresh()
{
    m_refreshing = true;
    ++m_refreshCount;
    // Defer, so that every caller arriving in this event-loop turn joins the same refresh.
    QTimer::singleShot(0, this, [this] {
        fetch([this](Result<Fetched> fetched) {
            if (!fetched.ok()) {
                deliver(fetched.error());
                return;
            }
            m_current.authorization = fetched.value().authorization;
            m_current.generation = m_nextGeneration++;
            m_current.expiresAt = m_clock->now().addSecs(qMax<qint64>(1, fetched.value().expiresInS));
            qCInfo(lcOAuth) << metaObject()->className() << "new token, generation" << m_current.generation
                            << "valid for" << fetched.value().expiresInS << "s";
            deliver(m_current);
        });
    });
}

void RefreshingTokenSource::deliver(const Result<AccessToken>& result)
{
    m_refreshing = false;
    std::vector<Waiter> waiters;
    waiters.swap(m_waiters);
    for (auto& waiter : waiters) {
        if (waiter.context)
            waiter.callback(result);
    }
}

} // namespace Core
