#include "MemoryCredentialStore.h"

#include "Logging.h"

namespace Core {

MemoryCredentialStore::MemoryCredentialStore(QObject* parent)
    : CredentialStore(parent)
{ }

QString MemoryCredentialStore::describe() const
{
    return tr("in memory, for this session only (%n secret(s))", nullptr, int(m_values.size()));
}

void MemoryCredentialStore::read(const QString& key, QObject* context, ReadCallback callback)
{
    if (auto valid = validateKey(key); !valid) {
        deliver<QString>(context, std::move(callback), valid.error());
        return;
    }
    const auto it = m_values.constFind(key);
    if (it == m_values.constEnd()) {
        deliver<QString>(context, std::move(callback),
                         Error{Error::Kind::NotFound, tr("%1 is not configured").arg(key)});
        return;
    }
    deliver<QString>(context, std::move(callback), it.value());
}

void MemoryCredentialStore::write(const QString& key, const QString& value, QObject* context, DoneCallback callback)
{
    if (auto valid = validateWrite(key, value); !valid) {
        deliver<Ok>(context, std::move(callback), valid.error());
        return;
    }
    m_values.insert(key, value);
    qCDebug(lcSecrets) << "stored" << key << "in memory";
    deliver<Ok>(context, std::move(callback), Ok{});
}

void MemoryCredentialStore::remove(const QString& key, QObject* context, DoneCallback callback)
{
    if (auto valid = validateKey(key); !valid) {
        deliver<Ok>(context, std::move(callback), valid.error());
        return;
    }
    m_values.remove(key);
    qCDebug(lcSecrets) << "removed" << key << "from memory";
    deliver<Ok>(context, std::move(callback), Ok{});
}

QStringList MemoryCredentialStore::knownKeys() const
{
    QStringList keys = m_values.keys();
    keys.sort();
    return keys;
}

} // namespace Core
