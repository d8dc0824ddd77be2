#pragma once

#include "Result.h"
#include "config/ConnectionSettings.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <memory>

class QSettings;

namespace Core {

// One profile: a directory holding config.ini (settings, never secrets) and the SQLite file.
// The desktop app and the CLI share it, so a server runs what the desktop configured.
class Profile
{
public:
    struct Key
    {
        QString name;
        QString description;
        QString defaultValue;
        QStringList allowed; // empty: free text
        bool integer = false;
    };

    static const QList<Key>& keys();
    static const Key* findKey(const QString& name);
    // Secrets go to the credential store, never to config.ini: these names map to store keys.
    static QString secretStoreKey(const QString& name); // empty when not a secret name
    static QStringList secretNames();

    static QString defaultDirectory();
    static Result<Profile> open(const QString& directory);

    QString directory() const { return m_directory; }
    QString configPath() const;
    QString databasePath() const;
    // A stable id for the keychain service name, derived from the directory.
    QString id() const;

    QString value(const QString& key) const;
    int intValue(const QString& key) const;
    Result<Ok> set(const QString& key, const QString& value);
    QJsonObject toJson() const;

    ZohoConnection zoho() const;
    OracleConnection oracle() const;
    QStringList zohoModules() const;

private:
    QString m_directory;
    std::shared_ptr<QSettings> m_settings;
};

} // namespace Core
