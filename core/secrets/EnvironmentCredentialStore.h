#pragma once

#include "secrets/CredentialStore.h"

#include <QProcessEnvironment>

namespace Core {

// Read-only secrets from environment variables, for headless servers. Used only when asked for
// explicitly: the environment is visible to every process the user runs, so it is never a default.
class EnvironmentCredentialStore final : public CredentialStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EnvironmentCredentialStore)

public:
    // The environment is injectable so tests need not touch the process's own.
    explicit EnvironmentCredentialStore(QProcessEnvironment environment = QProcessEnvironment::systemEnvironment(),
                                        QObject* parent = nullptr);

    QString name() const override { return QStringLiteral("environment"); }
    QString describe() const override;
    bool isWritable() const override { return false; }

    void read(const QString& key, QObject* context, ReadCallback callback) override;
    void write(const QString& key, const QString& value, QObject* context, DoneCallback callback) override;
    void remove(const QString& key, QObject* context, DoneCallback callback) override;
    void removeAll(QObject* context, DoneCallback callback) override;
    // The mapped keys whose variable is set and not empty.
    QStringList knownKeys() const override;

    // The variable a key is read from, or an empty string for a key with no variable.
    static QString variableFor(const QString& key);
    static QStringList supportedKeys();

private:
    static Error readOnly();

    QProcessEnvironment m_environment;
};

} // namespace Core
