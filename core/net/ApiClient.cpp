#include "ApiClient.h"

#include "Clock.h"
#include "Logging.h"
#include "net/HttpClient.h"
#include "net/TokenSource.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTimer>

namespace Core {

struct ApiClient::Call
{
    HttpRequest request;
    QPointer<QObject> context;
    Callback callback;
    int attempts = 0;
    int replaysAfterRefresh = 0;
    quint64 generation = 0;
};

ApiClient::ApiClient(HttpClient* http, TokenSource* tokens, RetryPolicy policy, const Clock* clock, QObject* parent)
    : QObject(parent)
    , m_http(http)
    , m_tokens(tokens)
    , m_policy(std::move(policy))
    , m_clock(clock ? clock : SystemClock::instance())
{ }

void ApiClient::call(HttpRequest request, QObject* context, Callback callback)
{
    auto c = std::make_shared<Call>();
    c->request = std::move(request);
    c->context = context;
    c->callback = std::move(callback);
    run(c);
}

void ApiClient::run(const std::shared_ptr<Call>& c)
{
    if (!c->context)
        return;
    if (auto token = m_tokens->validToken()) {
        send(c, *token);
        return;
    }
    m_tokens->token(this, [this, c](Result<AccessToken> token) {
        if (!token) {
            deliver(c, token.error());
            return;
        }
        send(c, token.value());
    });
}

void ApiClient::send(const std::shared_ptr<Call>& c, const AccessToken& token)
{
    c->generation = token.generation;
    c->request.setHeader("Authorization", token.authorization);
    m_http->send(c->request, this, [this, c](Result<HttpResponse> answer) { answered(c, std::move(answer)); });
}

void ApiClient::answered(const std::shared_ptr<Call>& c, Result<HttpResponse> answer)
{
    if (m_observer && answer.ok())
        m_observer(c->request, answer.value());
    if (answer.ok() && answer.value().status == 401) {
        const HttpResponse& response = answer.value();
        // A token that served other calls was used up or expired, not refused: it may be refreshed again.
        const bool tokenHadWorked = c->generation != 0 && c->generation <= m_lastWorkingGeneration;
        if ((c->replaysAfterRefresh == 0 || (tokenHadWorked && c->replaysAfterRefresh < 3)) &&
            m_tokens->refreshMightHelp(response)) {
            // Only the first 401 for a token generation refreshes; the others wait for that refresh.
            ++c->replaysAfterRefresh;
            m_tokens->invalidate(c->generation);
            run(c);
            return;
        }
        const QString code = QJsonDocument::fromJson(response.body).object().value(QStringLiteral("code")).toString();
        deliver(c, Error{Error::Kind::Auth, m_tokens->describe401(response), 401, code});
        return;
    }

    if (answer.ok())
        m_lastWorkingGeneration = qMax(m_lastWorkingGeneration, c->generation);
    ++c->attempts;
    const int status = answer.ok() ? answer.value().status : 0;
    HttpOutcome outcome = classifyStatus(status);
    if (!answer.ok())
        outcome = answer.error().kind == Error::Kind::Timeout ? HttpOutcome::Timeout : HttpOutcome::NetworkError;
    const HeaderList headers = answer.ok() ? answer.value().headers : HeaderList{};
    const auto decision = m_policy.decide(c->request, outcome, status, headers, c->attempts, m_clock->now());
    if (decision.retry) {
        qCInfo(lcHttp).noquote() << c->request.label << outcomeName(outcome) << status << "- retrying in"
                                 << decision.delayMs << "ms:" << decision.reason;
        // Precise: a coarse timer may fire up to 5% early, and Retry-After is a lower bound.
        QTimer::singleShot(int(qMin<qint64>(decision.delayMs, INT_MAX)), Qt::PreciseTimer, this, [this, c] { run(c); });
        return;
    }
    if (outcome != HttpOutcome::Success)
        qCInfo(lcHttp).noquote() << c->request.label << outcomeName(outcome) << status
                                 << "- not retried:" << decision.reason;
    if (answer.ok()) {
        answer.value().attempts = c->attempts;
    } else if (c->attempts > 1) {
        Error error = answer.error();
        error.message += tr(" (after %1 attempts)").arg(c->attempts);
        answer = error;
    }
    deliver(c, std::move(answer));
}

void ApiClient::deliver(const std::shared_ptr<Call>& c, Result<HttpResponse> result)
{
    emit callFinished(c->request.label, result.ok() ? result.value().status : result.error().httpStatus, c->attempts);
    if (c->context)
        c->callback(std::move(result));
}

} // namespace Core
