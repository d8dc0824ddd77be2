#include "RetryPolicy.h"

#include "net/RetryAfter.h"

#include <QRandomGenerator>

namespace Core {

bool RetryPolicy::isRetryableStatus(int status)
{
    return status == 408 || status == 425 || status == 429 || status == 500 || status == 502 || status == 503 ||
           status == 504;
}

qint64 RetryPolicy::backoffMs(int attempt) const
{
    const int exponent = qBound(0, attempt - 1, 30);
    const qint64 ceiling = qMin(maxDelayMs, baseDelayMs << exponent);
    const double r = random ? random() : QRandomGenerator::global()->generateDouble();
    return ceiling / 2 + qint64(r * double(ceiling - ceiling / 2));
}

RetryPolicy::Decision RetryPolicy::decide(const HttpRequest& request,
                                          HttpOutcome outcome,
                                          int status,
                                          const HeaderList& responseHeaders,
                                          int attempt,
                                          const QDateTime& now) const
{
    const bool transport = outcome == HttpOutcome::NetworkError || outcome == HttpOutcome::Timeout;
    if (!transport && !isRetryableStatus(status))
        return {false, 0, QStringLiteral("not retryable: %1").arg(outcomeName(outcome))};
    if (attempt >= maxAttempts)
        return {false, 0, QStringLiteral("gave up after %1 attempts").arg(attempt)};
    if (status != 429 && !request.isIdempotent() && !request.retryUnsafe)
        return {false, 0,
                QStringLiteral("%1 is not idempotent and has no guard").arg(QString::fromLatin1(request.method))};
    // Zoho says how many credits are left; with none left, waiting seconds does not help.
    if (status == 429 && headerValue(responseHeaders, "X-API-CREDITS-REMAINING").trimmed() == "0")
        return {false, 0, QStringLiteral("Zoho API credits for the day are used up")};

    qint64 delay = backoffMs(attempt);
    if (status == 429 || status == 503) {
        if (const auto wish = RetryAfter::parseMs(headerValue(responseHeaders, "Retry-After"), now)) {
            if (*wish > maxInlineWaitMs)
                return {false, *wish, QStringLiteral("server asks to wait %1 s").arg(*wish / 1000)};
            delay = qMax(delay, *wish);
        }
    }
    return {true, delay, QStringLiteral("%1, attempt %2").arg(outcomeName(outcome)).arg(attempt + 1)};
}

} // namespace Core
