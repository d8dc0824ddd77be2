#pragma once

#include "secrets/CredentialStore.h"

#include <QHash>
#include <QPointer>
#include <QSet>

namespace Core {

// Secrets typed but not yet applied, over the stored ones: a read finds the typed value first and
// falls back to `base`; writes and removes stay in this object and never reach `base`. A settings
// page tests a connection with it, so a secret left blank means "the one already stored".
class OverlayCredentialStore final : public CredentialStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OverlayCredentialStore)

public:
    // `base` may be null (nothing stored yet) and is not owned.
    explicit OverlayCredentialStore(CredentialStore* base, QObject* parent = nullptr);

    QString name() const override { return QStringLiteral("overlay"); }
    QString describe() const override;
    void read(const QString& key, QObject* context, ReadCallback callback) override;
    void write(const QString& key, const QString& value, QObject* context, DoneCallback callback) override;
    void remove(const QString& key, QObject* context, DoneCallback callback) override;
    QStringList knownKeys() const override;

private:
    QPointer<CredentialStore> m_base;
    QHash<QString, QString> m_typed;
    QSet<QString> m_removed;
};

} // namespace Core
