#pragma once

#include "secrets/CredentialStore.h"

#include <QHash>

namespace Core {

// Keeps secrets in this process only: for unit tests and for sessions without a keychain.
// Changes apply at once; the callbacks still arrive later from the event loop.
class MemoryCredentialStore final : public CredentialStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MemoryCredentialStore)

public:
    explicit MemoryCredentialStore(QObject* parent = nullptr);

    QString name() const override { return QStringLiteral("memory"); }
    QString describe() const override;

    void read(const QString& key, QObject* context, ReadCallback callback) override;
    void write(const QString& key, const QString& value, QObject* context, DoneCallback callback) override;
    void remove(const QString& key, QObject* context, DoneCallback callback) override;
    QStringList knownKeys() const override;

private:
    QHash<QString, QString> m_values;
};

} // namespace Core
