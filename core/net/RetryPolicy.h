#pragma once

#include "net/HttpTypes.h"

#include <QDateTime>
#include <QString>

#include <functional>

namespace Core {

// Decides whether a failed call is tried again, and when.
//  - Retried: network errors, timeouts, 408, 425, 429, 500, 502, 503, 504.
//  - Only idempotent methods, or calls whose caller guards against double writes (retryUnsafe).
//    429 is the exception: the server refused the call without doing it, so any method may retry.
//  - Delay: exponential backoff with "equal jitter" (half fixed, half random), capped, and never
//    shorter than the server's Retry-After. Equal rather than full jitter keeps the growth visible,
//    so a throttled server really sees fewer calls.
//  - A Retry-After longer than maxInlineWaitMs is not waited for here: the caller reschedules.
struct RetryPolicy
{
    int maxAttempts = 5; // including the first
    qint64 baseDelayMs = 500;
    qint64 maxDelayMs = 30000;
    qint64 maxInlineWaitMs = 120000;
    std::function<double()> random; // uniform in [0, 1); defaults to QRandomGenerator::global()

    struct Decision
    {
        bool retry = false;
        qint64 delayMs = 0;
        QString reason; // why, for logs
    };

    // attempt is the number of attempts made so far (1 after the first call).
    Decision decide(const HttpRequest& request,
                    HttpOutcome outcome,
                    int status,
                    const HeaderList& responseHeaders,
                    int attempt,
                    const QDateTime& now) const;

    qint64 backoffMs(int attempt) const;
    static bool isRetryableStatus(int status);
};

} // namespace Core
