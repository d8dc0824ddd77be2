#include "Profile.h"

#include "net/UrlPolicy.h"
#include "oracle/OracleEndpoint.h"
#include "sync/SyncSchedule.h"
#include "webhook/WebhookReceiver.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QObject>
#include <QSettings>
#include <QStandardPaths>

namespace Core {

const QList<Profile::Key>& Profile::keys()
{
    static const QList<Key> table = {
        {QStringLiteral("zoho.dc"),
         QStringLiteral("Zoho data centre"),
         QStringLiteral("us"),
         {QStringLiteral("us"), QStringLiteral("eu"), QStringLiteral("in"), QStringLiteral("au"), QStringLiteral("cn"),
          QStringLiteral("jp"), QStringLiteral("ca"), QStringLiteral("sa"), QStringLiteral("custom")}},
        {QStringLiteral("zoho.accounts_url"), QStringLiteral("accounts server, with zoho.dc=custom"), {}, {}},
        {QStringLiteral("zoho.api_url"), QStringLiteral("API domain, with zoho.dc=custom"), {}, {}},
        {QStringLiteral("zoho.client_id"), QStringLiteral("OAuth client id"), {}, {}},
        {QStringLiteral("zoho.modules"),
         QStringLiteral("comma list of synced modules"),
         QStringLiteral("Contacts,Accounts"),
         {}},
        {QStringLiteral("zoho.concurrency"),
         QStringLiteral("calls in flight the CRM edition allows"),
         QStringLiteral("10"),
         {},
         true},
        {QStringLiteral("zoho.edition"),
         QStringLiteral("CRM edition, for the 24 h API credit budget"),
         QStringLiteral("standard"),
         {QStringLiteral("free"), QStringLiteral("standard"), QStringLiteral("professional"),
          QStringLiteral("enterprise"), QStringLiteral("ultimate")}},
        {QStringLiteral("zoho.licensed_users"),
         QStringLiteral("licensed CRM users, for the API credit budget"),
         QStringLiteral("1"),
         {},
         true},
        {QStringLiteral("zoho.daily_credits"),
         QStringLiteral("24 h API credit budget; empty: from edition and users"),
         {},
         {}},
        {QStringLiteral("oracle.pod_url"), QStringLiteral("Fusion pod URL"), {}, {}},
        {QStringLiteral("oracle.pod"), QStringLiteral("pod name, with oracle.region"), {}, {}},
        {QStringLiteral("oracle.region"), QStringLiteral("pod region, e.g. us2"), {}, {}},
        {QStringLiteral("oracle.auth"),
         QStringLiteral("basic or oauth"),
         QStringLiteral("basic"),
         {QStringLiteral("basic"), QStringLiteral("oauth")}},
        {QStringLiteral("oracle.username"), QStringLiteral("integration user (basic)"), {}, {}},
        {QStringLiteral("oracle.token_url"), QStringLiteral("IAM domain token URL (oauth)"), {}, {}},
        {QStringLiteral("oracle.client_id"), QStringLiteral("confidential app client id (oauth)"), {}, {}},
        {QStringLiteral("oracle.scope"), QStringLiteral("OAuth scope (oauth)"), {}, {}},
        {QStringLiteral("oracle.source_system"),
         QStringLiteral("registered TCA source system"),
         QStringLiteral("ZOHOCRM"),
         {}},
        {QStringLiteral("webhook.listen"),
         QStringLiteral("address:port of the webhook receiver"),
         QStringLiteral("127.0.0.1:8765"),
         {}},
        {QStringLiteral("webhook.public_url"), QStringLiteral("URL Zoho calls (tunnel or proxy)"), {}, {}},
        {QStringLiteral("sync.poll_interval_s"),
         QStringLiteral("seconds between polls"),
         QStringLiteral("300"),
         {},
         true},
        {QStringLiteral("sync.reverse_interval_s"),
         QStringLiteral("seconds between reverse-flow runs"),
         QStringLiteral("900"),
         {},
         true},
        {QStringLiteral("sync.max_attempts"),
         QStringLiteral("attempts before a row is dead-lettered"),
         QStringLiteral("8"),
         {},
         true},
        {QStringLiteral("channel.lifetime_s"),
         QStringLiteral("notification channel lifetime (max 604800)"),
         QStringLiteral("86400"),
         {},
         true},
        {QStringLiteral("reverse.party_number_field"),
         QStringLiteral("Zoho Account field for the Oracle PartyNumber"),
         QStringLiteral("Oracle_Party_Number"),
         {}},
        {QStringLiteral("reverse.open_balance_field"),
         QStringLiteral("Zoho Account field for the open AR balance"),
         QStringLiteral("AR_Open_Balance"),
         {}},
        {QStringLiteral("reverse.credit_status_field"),
         QStringLiteral("Zoho Account field for the credit status"),
         QStringLiteral("Credit_Status"),
         {}},
        {QStringLiteral("reverse.synced_at_field"),
         QStringLiteral("Zoho Account field for the time of the write-back"),
         QStringLiteral("Last_Synced_From_ERP"),
         {}},
        {QStringLiteral("schedule.interval_min"),
         QStringLiteral("minutes between scheduled syncs; 0: off"),
         QStringLiteral("0"),
         {}},
        {QStringLiteral("schedule.window"),
         QStringLiteral("when scheduled syncs may run, e.g. Mon-Fri 08:00-18:00; empty: any time"),
         {},
         {}},
        {QStringLiteral("audit.retention_days"),
         QStringLiteral("days the audit trail keeps events"),
         QStringLiteral("365"),
         {},
         true},
        {QStringLiteral("webhook.max_header_bytes"),
         QStringLiteral("webhook: largest request line + headers (at least 1024)"),
         QStringLiteral("16384"),
         {},
         true},
        {QStringLiteral("webhook.max_body_bytes"),
         QStringLiteral("webhook: largest callback body (at least 1024)"),
         QStringLiteral("1048576"),
         {},
         true},
        {QStringLiteral("webhook.max_connections"),
         QStringLiteral("webhook: connections open at once; more wait in the kernel's queue"),
         QStringLiteral("64"),
         {},
         true},
        {QStringLiteral("webhook.idle_timeout_s"),
         QStringLiteral("webhook: a connection silent this long is closed"),
         QStringLiteral("10"),
         {},
         true},
        {QStringLiteral("webhook.request_timeout_s"),
         QStringLiteral("webhook: a whole request must arrive within this"),
         QStringLiteral("30"),
         {},
         true},
        {QStringLiteral("webhook.evict_silent_s"),
         QStringLiteral("webhook: at the cap, a connection silent this long makes room"),
         QStringLiteral("1"),
         {},
         true},
        {QStringLiteral("webhook.evict_stalled_s"),
         QStringLiteral("webhook: at the cap, one without a whole request this long makes room"),
         QStringLiteral("2"),
         {},
         true},
    };
    return table;
}

const Profile::Key* Profile::findKey(const QString& name)
{
    for (const Key& key : keys()) {
        if (key.name == name)
            return &key;
    }
    return nullptr;
}

QString Profile::secretStoreKey(const QString& name)
{
    if (name == QLatin1String("zoho.client_secret"))
        return QStringLiteral("zoho/client_secret");
    if (name == QLatin1String("zoho.refresh_token"))
        return QStringLiteral("zoho/refresh_token");
    if (name == QLatin1String("oracle.password"))
        return QStringLiteral("oracle/password");
    if (name == QLatin1String("oracle.client_secret"))
        return QStringLiteral("oracle/client_secret");
    return {};
}

QStringList Profile::secretNames()
{
    return {QStringLiteral("zoho.client_secret"), QStringLiteral("zoho.refresh_token"),
            QStringLiteral("oracle.password"), QStringLiteral("oracle.client_secret")};
}

QString Profile::defaultDirectory()
{
    // Not AppDataLocation: that differs between the app and the CLI, which must share the profile.
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(QStringLiteral("ml-connector/default"));
}

Result<Profile> Profile::open(const QString& directory)
{
    const QString dir = QFileInfo(directory.isEmpty() ? defaultDirectory() : directory).absoluteFilePath();
    if (!QDir().mkpath(dir))
        return Error(Error::Kind::Config, QObject::tr("Cannot create the profile directory %1").arg(dir));
    QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    Profile profile;
    profile.m_directory = dir;
    profile.m_settings = std::make_shared<QSettings>(profile.configPath(), QSettings::IniFormat);
    if (profile.m_settings->status() != QSettings::NoError)
        return Error(Error::Kind::Config,
                     QObject::tr("Cannot read %1: the file is malformed").arg(profile.configPath()));
    return profile;
}

QString Profile::configPath() const
{
    return QDir(m_directory).filePath(QStringLiteral("config.ini"));
}

QString Profile::databasePath() const
{
    return QDir(m_directory).filePath(QStringLiteral("ml-connector.db"));
}

QString Profile::id() const
{
    return QString::fromLatin1(
        QCryptographicHash::hash(m_directory.toUtf8(), QCryptographicHash::Sha256).toHex().left(12));
}

QString Profile::value(const QString& key) const
{
    const Key* known = findKey(key);
    return m_settings->value(key, known ? known->defaultValue : QString()).toString();
}

int Profile::intValue(const QString& key) const
{
    return value(key).toInt();
}

Result<Ok> Profile::set(const QString& key, const QString& value)
{
    if (!secretStoreKey(key).isEmpty())
        return Error(Error::Kind::InvalidInput,
                     QObject::tr("%1 is a secret: store it with `secret set %1` (it goes to the keychain, never to "
                                 "config.ini)")
                         .arg(key));
    const Key* known = findKey(key);
    if (!known) {
        QStringList names;
        for (const Key& k : keys())
            names << k.name;
        return Error(
            Error::Kind::InvalidInput,
            QObject::tr("Unknown setting \"%1\"; known settings: %2").arg(key, names.join(QStringLiteral(", "))));
    }
    if (!known->allowed.isEmpty() && !known->allowed.contains(value))
        return Error(
            Error::Kind::InvalidInput,
            QObject::tr("%1 must be one of %2, not \"%3\"").arg(key, known->allowed.join(QStringLiteral(", ")), value));
    if (known->integer) {
        bool ok = false;
        const int number = value.toInt(&ok);
        if (!ok || number <= 0)
            return Error(Error::Kind::InvalidInput,
                         QObject::tr("%1 must be a positive whole number, not \"%2\"").arg(key, value));
    }
    if (key == QLatin1String("zoho.daily_credits") && !value.trimmed().isEmpty()) {
        bool ok = false;
        if (value.trimmed().toLongLong(&ok) <= 0 || !ok)
            return Error(Error::Kind::InvalidInput,
                         QObject::tr("%1 must be a positive whole number or empty, not \"%2\"").arg(key, value));
    }
    if (key == QLatin1String("schedule.interval_min")) {
        if (auto interval = SyncSchedule::parseInterval(value); !interval)
            return interval.error();
    }
    if (key == QLatin1String("schedule.window")) {
        if (auto window = BusinessWindow::parse(value); !window)
            return window.error();
    }
    if (WebhookConfig::limitKeys().contains(key)) {
        // The receiver's own floors and ranges (e.g. sizes of at least 1 KiB), checked when typed.
        if (auto limits = WebhookConfig::fromSettings({{key, value}}); !limits)
            return limits.error();
    }
    // Catch an unusable URL when it is typed, not at the first sync.
    if (key.endsWith(QLatin1String("_url")) && !value.isEmpty()) {
        auto checked = key == QLatin1String("oracle.pod_url") ? OracleEndpoint::fromPodUrl(value)
                                                              : UrlPolicy::checkServiceUrl(value, key);
        if (!checked)
            return checked.error();
    }
    m_settings->setValue(key, value);
    m_settings->sync();
    if (m_settings->status() != QSettings::NoError)
        return Error(Error::Kind::Config, QObject::tr("Cannot write %1").arg(configPath()));
    QFile::setPermissions(configPath(), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return Ok{};
}

QJsonObject Profile::toJson() const
{
    QJsonObject out;
    for (const Key& key : keys())
        out.insert(key.name, value(key.name));
    return out;
}

ZohoConnection Profile::zoho() const
{
    ZohoConnection c;
    c.dataCentre = value(QStringLiteral("zoho.dc"));
    c.accountsUrl = value(QStringLiteral("zoho.accounts_url"));
    c.apiUrl = value(QStringLiteral("zoho.api_url"));
    c.clientId = value(QStringLiteral("zoho.client_id"));
    c.concurrency = intValue(QStringLiteral("zoho.concurrency"));
    return c;
}

OracleConnection Profile::oracle() const
{
    OracleConnection c;
    c.podUrl = value(QStringLiteral("oracle.pod_url"));
    c.pod = value(QStringLiteral("oracle.pod"));
    c.region = value(QStringLiteral("oracle.region"));
    c.auth = value(QStringLiteral("oracle.auth")) == QLatin1String("oauth")
                 ? OracleConnection::Auth::OAuthClientCredentials
                 : OracleConnection::Auth::Basic;
    c.username = value(QStringLiteral("oracle.username"));
    c.tokenUrl = value(QStringLiteral("oracle.token_url"));
    c.clientId = value(QStringLiteral("oracle.client_id"));
    c.scope = value(QStringLiteral("oracle.scope"));
    c.sourceSystem = value(QStringLiteral("oracle.source_system"));
    return c;
}

QStringList Profile::zohoModules() const
{
    QStringList modules;
    for (const QString& m : value(QStringLiteral("zoho.modules")).split(QLatin1Char(','), Qt::SkipEmptyParts))
        modules << m.trimmed();
    return modules;
}

} // namespace Core
