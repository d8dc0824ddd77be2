#pragma once

#include <qt6keychain/keychain.h>

#include <QString>

#include <functional>

class QObject;

namespace Core {

// What one keychain job reported.
struct KeychainReply
{
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QString value; // read jobs only
};

// Runs single keychain jobs for KeychainCredentialStore. The store owns the ordering, timeouts and
// error mapping; this seam exists so that logic can be unit-tested without a real keychain.
class KeychainBackend
{
public:
    enum class Operation { Read, Write, Remove };

    KeychainBackend() = default;
    virtual ~KeychainBackend() = default;
    KeychainBackend(const KeychainBackend&) = delete;
    KeychainBackend& operator=(const KeychainBackend&) = delete;

    // Starts one job. `done` runs later from the event loop (never inside start()) in `context`'s
    // thread, and not at all if `context` died first. `value` is used by Write only.
    virtual void start(Operation operation,
                       const QString& service,
                       const QString& key,
                       const QString& value,
                       QObject* context,
                       std::function<void(const KeychainReply&)> done) = 0;
};

} // namespace Core
