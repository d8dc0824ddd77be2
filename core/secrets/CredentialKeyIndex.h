#pragma once

#include "Result.h"

#include <QStringList>

namespace Core {

// The names of the secrets a profile has written, kept in a small JSON file in the profile
// directory. Keychains cannot list their entries, so without this "forget all" would not know
// what to delete. Holds key names only, never values.
class CredentialKeyIndex
{
public:
    explicit CredentialKeyIndex(QString filePath);

    QString filePath() const { return m_filePath; }
    QStringList keys() const { return m_keys; } // sorted
    bool contains(const QString& key) const { return m_keys.contains(key); }

    // Each change is saved at once; on failure the index in memory is left unchanged.
    Result<Ok> add(const QString& key);
    Result<Ok> removeKey(const QString& key);

    static QString defaultFileName() { return QStringLiteral("credential-keys.json"); }

private:
    void load();
    Result<Ok> save(const QStringList& keys) const;

    QString m_filePath;
    QStringList m_keys;
};

} // namespace Core
