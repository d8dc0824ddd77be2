#pragma once

#include "Result.h"
#include "net/HttpTypes.h"

#include <QDateTime>
#include <QObject>

#include <functional>
#include <optional>

namespace Core {

struct AccessToken
{
    QByteArray authorization; // the whole Authorization header value
    quint64 generation = 0;   // grows with every refresh; a 401 names the generation it saw
    QDateTime expiresAt;      // invalid for credentials that do not expire (Basic)
};

// Where an API client gets its Authorization header. Implementations refresh single-flight:
// however many callers ask while a refresh runs, one request goes to the token endpoint and
// every caller gets its result.
class TokenSource : public QObject
{
    Q_OBJECT

public:
    using Callback = std::function<void(Result<AccessToken>)>;
    using QObject::QObject;

    // A usable token without waiting, if there is one.
    virtual std::optional<AccessToken> validToken() const = 0;
    // Gets a usable token, refreshing when needed. The callback runs from the event loop.
    virtual void token(QObject* context, Callback callback) = 0;
    // A call with this generation's token got 401: forget that token (if it is still current).
    virtual void invalidate(quint64 generation) = 0;
    // Whether a fresh token could cure this 401 (a scope error or a Basic password cannot be cured).
    virtual bool refreshMightHelp(const HttpResponse& unauthorized) const = 0;
    virtual QString describe401(const HttpResponse& unauthorized) const = 0;

signals:
    // The stored grant is dead (revoked, wrong client): a person has to sign in again.
    void reauthenticationRequired(const QString& reason);
};

} // namespace Core
