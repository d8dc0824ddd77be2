#include "OverlayCredentialStore.h"

#include <QSet>

namespace Core {

OverlayCredentialStore::OverlayCredentialStore(CredentialStore* base, QObject* parent)
    : CredentialStore(parent)
    , m_base(base)
{ }

QString OverlayCredentialStore::describe() const
{
    return tr("typed values over %1").arg(m_base ? m_base->describe() : tr("nothing stored"));
}

void OverlayCredentialStore::read(const QString& key, QObject* context, ReadCallback callback)
{
    if (auto valid = validateKey(key); !valid) {
        deliver<QString>(context, std::move(callback), valid.error());
        return;
    }
    if (const auto typed = m_typed.constFind(key); typed != m_typed.constEnd()) {
        deliver<QString>(context, std::move(callback), typed.value());
        return;
    }
    if (!m_base || m_removed.contains(key)) {
        deliver<QString>(context, std::move(callback),
                         Error{Error::Kind::NotFound, tr("%1 is not configured").arg(key)});
        return;
    }
    m_base->read(key, context, std::move(callback));
}

void OverlayCredentialStore::write(const QString& key, const QString& value, QObject* context, DoneCallback callback)
{
    if (auto valid = validateWrite(key, value); !valid) {
        deliver<Ok>(context, std::move(callback), valid.error());
        return;
    }
    m_removed.remove(key);
    m_typed.insert(key, value);
    deliver<Ok>(context, std::move(callback), Ok{});
}

void OverlayCredentialStore::remove(const QString& key, QObject* context, DoneCallback callback)
{
    if (auto valid = validateKey(key); !valid) {
        deliver<Ok>(context, std::move(callback), valid.error());
        return;
    }
    m_typed.remove(key);
    m_removed.insert(key);
    deliver<Ok>(context, std::move(callback), Ok{});
}

QStringList OverlayCredentialStore::knownKeys() const
{
    QSet<QString> keys(m_typed.keyBegin(), m_typed.keyEnd());
    if (m_base)
        for (const QString& key : m_base->knownKeys())
            if (!m_removed.contains(key))
                keys.insert(key);
    QStringList sorted(keys.begin(), keys.end());
    sorted.sort();
    return sorted;
}

} // namespace Core
