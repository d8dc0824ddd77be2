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

namespace {
// A token server that is busy or briefly down fails every call waiting for the token at once; a few
// quick tries more spare those calls (and their outbox attempts). Refusals are final.
constexpr int kTransientRetries = 3;

bool isTransient(const Error& error)
{
    return error.kind == Error::Kind::Network || error.kind == Error::Kind::Timeout || error.httpStatus == 429 ||
           (error.httpStatus >= 500 && error.httpStatus <= 504);
}
} // namespace

void RefreshingTokenSource::startRefresh()
{
    m_refreshing = true;
    ++m_refreshCount;
    // Defer, so that every caller arriving in this event-loop turn joins the same refresh.
    QTimer::singleShot(0, this, [this] { attemptFetch(0); });
}

void RefreshingTokenSource::attemptFetch(int retry)
{
    fetch([this, retry](Result<Fetched> fetched) {
        if (!fetched.ok()) {
            if (retry < kTransientRetries && isTransient(fetched.error())) {
                const int delayMs = 500 << retry;
                qCInfo(lcOAuth).noquote() << metaObject()->className() << "token request failed ("
                                          << fetched.error().message << "); trying again in" << delayMs << "ms";
                QTimer::singleShot(delayMs, this, [this, retry] { attemptFetch(retry + 1); });
                return;
            }
            deliver(fetched.error());
            return;
        }
        m_current.authorization = fetched.value().authorization;
        m_current.generation = m_nextGeneration++;
        m_current.expiresAt = m_clock->now().addSecs(qMax<qint64>(1, fetched.value().expiresInS));
        qCInfo(lcOAuth) << metaObject()->className() << "new token, generation" << m_current.generation << "valid for"
                        << fetched.value().expiresInS << "s";
        deliver(m_current);
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
