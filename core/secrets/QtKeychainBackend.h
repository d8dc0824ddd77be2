#pragma once

#include "secrets/KeychainBackend.h"

namespace Core {

// The real thing: QtKeychain jobs (libsecret / KWallet on Linux), created in the calling thread.
class QtKeychainBackend final : public KeychainBackend
{
public:
    void start(Operation operation,
               const QString& service,
               const QString& key,
               const QString& value,
               QObject* context,
               std::function<void(const KeychainReply&)> done) override;
};

} // namespace Core
