#include "CredentialStore.h"

#include "Logging.h"

#include <QRegularExpression>

namespace Core {

CredentialStore::CredentialStore(QObject* parent)
    : QObject(parent)
{ }

CredentialStore::~CredentialStore() = default;

Result<Ok> CredentialStore::validateKey(const QString& key)
{
    // Segments start with a letter or digit, so "_..." stays free for the stores' own entries.
    static const QRegularExpression pattern(
        QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]*(/[A-Za-z0-9][A-Za-z0-9._-]*)*$"));
    if (key.size() > 100 || !pattern.match(key).hasMatch())
        return Error{Error::Kind::InvalidInput,
                     tr("\"%1\" is not a valid secret name (expected e.g. \"zoho/client_secret\")").arg(key.left(100))};
    return Ok{};
}

Result<Ok> CredentialStore::validateWrite(const QString& key, const QString& value)
{
    if (auto valid = validateKey(key); !valid)
        return valid;
    const qsizetype bytes = value.toUtf8().size();
    if (bytes >= kMaxValueBytes)
        return Error{Error::Kind::InvalidInput,
                     tr("The value for %1 is %2 bytes; secrets must be smaller than %3 bytes")
                         .arg(key)
                         .arg(bytes)
                         .arg(kMaxValueBytes)};
    return Ok{};
}

void CredentialStore::removeAll(QObject* context, DoneCallback callback)
{
    const QStringList keys = knownKeys();
    qCInfo(lcSecrets) << "forgetting" << keys.size() << "secrets in" << name() << keys;
    removeNext(keys, int(keys.size()), context, std::move(callback));
}

// One at a time, so a locked or missing keychain fails once instead of once per key.
void CredentialStore::removeNext(QStringList remaining, int total, QPointer<QObject> context, DoneCallback callback)
{
    if (remaining.isEmpty()) {
        if (context)
            deliver<Ok>(context, std::move(callback), Ok{});
        return;
    }
    const QString key = remaining.takeFirst();
    remove(key, this, [this, remaining, total, context, callback, key](Result<Ok> result) {
        if (!result) {
            const int removed = total - int(remaining.size()) - 1;
            Error error = result.error();
            error.message = tr("Could not forget all secrets (%1 of %2 removed); %3: %4")
                                .arg(removed)
                                .arg(total)
                                .arg(key, error.message);
            if (context)
                deliver<Ok>(context, callback, std::move(error));
            return;
        }
        removeNext(remaining, total, context, callback);
    });
}

} // namespace Core
