#include "CredentialKeyIndex.h"

#include "Logging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <utility>

namespace Core {

namespace {
constexpr int kFormatVersion = 1;

QString tr(const char* text)
{
    return QCoreApplication::translate("Core::CredentialKeyIndex", text);
}
} // namespace

CredentialKeyIndex::CredentialKeyIndex(QString filePath)
    : m_filePath(std::move(filePath))
{
    load();
}

Result<Ok> CredentialKeyIndex::add(const QString& key)
{
    if (m_keys.contains(key))
        return Ok{};
    QStringList keys = m_keys;
    keys.append(key);
    keys.sort();
    if (auto saved = save(keys); !saved)
        return saved;
    m_keys = keys;
    return Ok{};
}

Result<Ok> CredentialKeyIndex::removeKey(const QString& key)
{
    if (!m_keys.contains(key))
        return Ok{};
    QStringList keys = m_keys;
    keys.removeAll(key);
    if (auto saved = save(keys); !saved)
        return saved;
    m_keys = keys;
    return Ok{};
}

void CredentialKeyIndex::load()
{
    QFile file(m_filePath);
    if (!file.exists())
        return;
    if (!file.open(QIODevice::ReadOnly)) {
        qCWarning(lcSecrets) << "cannot read the secret index" << m_filePath << file.errorString();
        return;
    }
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
        // Start empty: the next change rewrites the file with what this session writes.
        qCWarning(lcSecrets) << "ignoring the unreadable secret index" << m_filePath << parseError.errorString();
        return;
    }
    const QJsonArray keys = document.object().value(QStringLiteral("keys")).toArray();
    for (const QJsonValue& key : keys) {
        if (key.isString() && !m_keys.contains(key.toString()))
            m_keys.append(key.toString());
    }
    m_keys.sort();
}

Result<Ok> CredentialKeyIndex::save(const QStringList& keys) const
{
    const QFileInfo info(m_filePath);
    if (!QDir().mkpath(info.absolutePath()))
        return Error{Error::Kind::Storage, tr("Cannot create the profile directory %1").arg(info.absolutePath())};
    QJsonObject root;
    root.insert(QStringLiteral("version"), kFormatVersion);
    root.insert(QStringLiteral("keys"), QJsonArray::fromStringList(keys));
    QSaveFile file(m_filePath);
    if (!file.open(QIODevice::WriteOnly))
        return Error{Error::Kind::Storage,
                     tr("Cannot write the secret index %1: %2").arg(m_filePath, file.errorString())};
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return Error{Error::Kind::Storage,
                     tr("Cannot write the secret index %1: %2").arg(m_filePath, file.errorString())};
    return Ok{};
}

} // namespace Core
