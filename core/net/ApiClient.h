#pragma once

#include "Result.h"
#include "net/HttpTypes.h"
#include "net/RetryPolicy.h"

#include <QObject>

#include <functional>
#include <memory>

namespace Core {

class Clock;
class HttpClient;
class TokenSource;

// An authorised API call: attaches the token, answers a 401 with one refresh (shared by every
// call that hit it) and one replay, and retries what the RetryPolicy allows. The result is the
// final HTTP answer, whatever its status, or an error when no usable answer came:
// transport failures after the last retry, and a 401 that a refresh did not cure.
class ApiClient final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ApiClient)

public:
    using Callback = std::function<void(Result<HttpResponse>)>;
    // Sees every HTTP answer as it arrives (each attempt, before retries and token refreshes),
    // synchronously: it must be cheap (the Zoho credit meter only counts and reads one header).
    using AnswerObserver = std::function<void(const HttpRequest& request, const HttpResponse& response)>;

    ApiClient(HttpClient* http,
              TokenSource* tokens,
              RetryPolicy policy,
              const Clock* clock = nullptr,
              QObject* parent = nullptr);

    void call(HttpRequest request, QObject* context, Callback callback);

    HttpClient* http() const { return m_http; }
    TokenSource* tokens() const { return m_tokens; }
    const RetryPolicy& policy() const { return m_policy; }
    void setAnswerObserver(AnswerObserver observer) { m_observer = std::move(observer); }

signals:
    // Every finished call, for counters and the dashboard.
    void callFinished(const QString& label, int status, int attempts);

private:
    struct Call;
    void run(const std::shared_ptr<Call>& call);
    void send(const std::shared_ptr<Call>& call, const struct AccessToken& token);
    void answered(const std::shared_ptr<Call>& call, Result<HttpResponse> answer);
    void deliver(const std::shared_ptr<Call>& call, Result<HttpResponse> result);

    HttpClient* m_http;
    TokenSource* m_tokens;
    RetryPolicy m_policy;
    const Clock* m_clock;
    AnswerObserver m_observer;
    quint64 m_lastWorkingGeneration = 0; // the newest token generation a call got through with
};

} // namespace Core
