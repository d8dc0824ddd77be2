#pragma once

#include "Result.h"

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QStringList>

#include <functional>
#include <utility>

namespace Core {

// Asynchronous storage for one profile's secrets, keyed by names such as "zoho/client_secret".
//
// Every callback is delivered later from the event loop, never from inside the call, and only
// while `context` is alive: a callback whose context died is dropped. Nothing here spins a nested
// event loop. Callbacks still pending when the store itself is destroyed are dropped.
class CredentialStore : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CredentialStore)

public:
    using ReadCallback = std::function<void(Result<QString>)>;
    using DoneCallback = std::function<void(Result<Ok>)>;

    // Windows' Credential Manager caps a value at 2048 bytes; keep every backend under it.
    static constexpr int kMaxValueBytes = 2048;

    explicit CredentialStore(QObject* parent = nullptr);
    ~CredentialStore() override;

    // Short identifier for logs and diagnostics, e.g. "keychain".
    virtual QString name() const = 0;
    // One line for people: where the secrets live. Never contains a secret.
    virtual QString describe() const = 0;
    virtual bool isWritable() const { return true; }

    virtual void read(const QString& key, QObject* context, ReadCallback callback) = 0;
    virtual void write(const QString& key, const QString& value, QObject* context, DoneCallback callback) = 0;
    // Removing a key that is not stored succeeds.
    virtual void remove(const QString& key, QObject* context, DoneCallback callback) = 0;

    // Names of the keys this store holds (or may hold), sorted; never values.
    virtual QStringList knownKeys() const = 0;
    // Removes every known key, one after the other; stops at the first failure.
    virtual void removeAll(QObject* context, DoneCallback callback);

    // Keys are short path-like names: "zoho/refresh_token". A leading '_' is reserved for the stores.
    static Result<Ok> validateKey(const QString& key);
    // The key must be valid and the value's UTF-8 encoding smaller than kMaxValueBytes.
    static Result<Ok> validateWrite(const QString& key, const QString& value);

protected:
    // Posts `callback(result)` to `context`'s event queue; Qt discards it if `context` dies first.
    template <typename T>
    static void deliver(QObject* context, std::function<void(Result<T>)> callback, Result<T> result)
    {
        if (!context || !callback)
            return;
        QMetaObject::invokeMethod(
            context, [callback = std::move(callback), result = std::move(result)]() { callback(result); },
            Qt::QueuedConnection);
    }

private:
    void removeNext(QStringList remaining, int total, QPointer<QObject> context, DoneCallback callback);
};

} // namespace Core
