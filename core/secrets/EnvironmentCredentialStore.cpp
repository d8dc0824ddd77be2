#include "EnvironmentCredentialStore.h"

#include "Logging.h"

#include <array>
#include <utility>

namespace Core {

namespace {
struct Mapping
{
    const char* key;
    const char* variable;
};

constexpr std::array<Mapping, 4> kMappings{{
    {"zoho/client_secret", "ZOHO_CLIENT_SECRET"},
    {"zoho/refresh_token", "ZOHO_REFRESH_TOKEN"},
    {"oracle/password", "ORACLE_PASSWORD"},
    {"oracle/client_secret", "ORACLE_CLIENT_SECRET"},
}};

QStringList allVariables()
{
    QStringList variables;
    for (const Mapping& mapping : kMappings)
        variables.append(QLatin1String(mapping.variable));
    return variables;
}
} // namespace

EnvironmentCredentialStore::EnvironmentCredentialStore(QProcessEnvironment environment, QObject* parent)
    : CredentialStore(parent)
    , m_environment(std::move(environment))
{ }

QString EnvironmentCredentialStore::describe() const
{
    return tr("environment variables (read-only): %1").arg(allVariables().join(QStringLiteral(", ")));
}

QString EnvironmentCredentialStore::variableFor(const QString& key)
{
    for (const Mapping& mapping : kMappings) {
        if (key == QLatin1String(mapping.key))
            return QLatin1String(mapping.variable);
    }
    return {};
}

QStringList EnvironmentCredentialStore::supportedKeys()
{
    QStringList keys;
    for (const Mapping& mapping : kMappings)
        keys.append(QLatin1String(mapping.key));
    keys.sort();
    return keys;
}

void EnvironmentCredentialStore::read(const QString& key, QObject* context, ReadCallback callback)
{
    if (auto valid = validateKey(key); !valid) {
        deliver<QString>(context, std::move(callback), valid.error());
        return;
    }
    const QString variable = variableFor(key);
    if (variable.isEmpty()) {
        deliver<QString>(context, std::move(callback),
                         Error{Error::Kind::NotFound,
                               tr("%1 cannot come from the environment: no variable is mapped to it (known: %2)")
                                   .arg(key, allVariables().join(QStringLiteral(", ")))});
        return;
    }
    const QString value = m_environment.value(variable);
    if (value.isEmpty()) {
        deliver<QString>(context, std::move(callback),
                         Error{Error::Kind::NotFound,
                               tr("%1 is not configured: the environment variable %2 is not set").arg(key, variable)});
        return;
    }
    qCDebug(lcSecrets) << "read" << key << "from" << variable;
    deliver<QString>(context, std::move(callback), value);
}

void EnvironmentCredentialStore::write(const QString& key,
                                       const QString& value,
                                       QObject* context,
                                       DoneCallback callback)
{
    Q_UNUSED(key)
    Q_UNUSED(value)
    deliver<Ok>(context, std::move(callback), readOnly());
}

void EnvironmentCredentialStore::remove(const QString& key, QObject* context, DoneCallback callback)
{
    Q_UNUSED(key)
    deliver<Ok>(context, std::move(callback), readOnly());
}

void EnvironmentCredentialStore::removeAll(QObject* context, DoneCallback callback)
{
    deliver<Ok>(context, std::move(callback), readOnly());
}

QStringList EnvironmentCredentialStore::knownKeys() const
{
    QStringList keys;
    for (const Mapping& mapping : kMappings) {
        if (!m_environment.value(QLatin1String(mapping.variable)).isEmpty())
            keys.append(QLatin1String(mapping.key));
    }
    keys.sort();
    return keys;
}

Error EnvironmentCredentialStore::readOnly()
{
    return Error{Error::Kind::InvalidInput, tr("secrets from the environment are read-only")};
}

} // namespace Core
