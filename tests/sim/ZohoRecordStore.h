#pragma once

#include "ZohoSchema.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVector>

#include <functional>

namespace Sim {

struct SimContext;

struct ZohoUser
{
    QString name;
    QString id;
    QString email;

    QJsonObject toJson(bool withEmail = true) const;
};

struct ZohoRecord
{
    qint64 id = 0;
    qint64 createdMs = 0;
    qint64 modifiedMs = 0;
    QJsonObject data; // every field, system fields included, as rendered
};

// One notification-worthy change: several ids of one module and one operation.
struct ZohoChange
{
    ZohoModule module = ZohoModule::Contacts;
    QString operation; // insert | update | delete
    QStringList ids;
    QHash<QString, QStringList> affectedFields; // id -> changed fields (update)
    QHash<QString, QJsonObject> affectedValues; // id -> new values of those fields
};

struct ZohoWriteResult
{
    bool ok = false;
    QJsonObject error; // per-item error object when !ok
    qint64 id = 0;
    QStringList changedFields;
    QJsonObject changedValues;
};

enum class ZohoSortKey { Id, CreatedTime, ModifiedTime };

// The records of Contacts and Accounts, keyed by id, plus sorted views cached per write version.
// API and control-API writes both land here and both publish changes to the watch service.
class ZohoRecordStore final
{
public:
    struct SortedEntry
    {
        qint64 id;
        qint64 createdMs;
        qint64 modifiedMs;
    };

    explicit ZohoRecordStore(SimContext& ctx);

    qint64 orgPrefix() const { return m_orgPrefix; }
    const ZohoUser& apiUser() const { return m_users.first(); }
    const ZohoUser& crmUser(int i) const { return m_users.at(1 + (i % (m_users.size() - 1))); }
    const QList<ZohoUser>& users() const { return m_users; }

    void setChangeListener(std::function<void(const ZohoChange&)> listener) { m_listener = std::move(listener); }
    void publish(const ZohoChange& change);

    // Demo and bulk data: no validation, no callbacks.
    qint64
    insertSeed(ZohoModule m, const QJsonObject& fields, qint64 createdMs, qint64 modifiedMs, const ZohoUser& owner);
    // Sets fields of a seeded record without touching its times.
    void patchSeed(ZohoModule m, qint64 id, const QJsonObject& fields);

    // strict = API rules (email format); control-API edits are lenient like the CRM UI import.
    ZohoWriteResult create(ZohoModule m, const QJsonObject& item, int index, bool strict, const ZohoUser& actor);
    ZohoWriteResult
    update(ZohoModule m, qint64 id, const QJsonObject& item, int index, bool strict, const ZohoUser& actor);
    bool remove(ZohoModule m, qint64 id);

    const ZohoRecord* find(ZohoModule m, qint64 id) const;
    int count(ZohoModule m) const { return table(m).size(); }
    QList<qint64> ids(ZohoModule m) const { return table(m).keys(); }
    // Ids of records whose field equals value, case-insensitively (upsert duplicate check).
    QHash<QString, qint64> indexBy(ZohoModule m, const QString& field) const;

    const QVector<SortedEntry>& sorted(ZohoModule m, ZohoSortKey key, bool descending);
    quint64 version(ZohoModule m) const { return m == ZohoModule::Contacts ? m_contactsVersion : m_accountsVersion; }

    // The record as the API shows it; fields = only these (+id), nullptr = every field.
    QJsonObject render(ZohoModule m, const ZohoRecord& r, const QStringList* fields) const;
    QJsonObject successDetails(const ZohoRecord& r) const;
    QString formatTime(qint64 ms) const;

    static QJsonObject itemError(const QString& code, const QString& message, const QJsonObject& details);

private:
    QHash<qint64, ZohoRecord>& table(ZohoModule m) { return m == ZohoModule::Contacts ? m_contacts : m_accounts; }
    const QHash<qint64, ZohoRecord>& table(ZohoModule m) const
    {
        return m == ZohoModule::Contacts ? m_contacts : m_accounts;
    }
    void bump(ZohoModule m);
    qint64 nextId();
    // Validates item and converts its values; error set and false on the first problem.
    bool normalize(ZohoModule m,
                   const QJsonObject& item,
                   int index,
                   bool strict,
                   bool creating,
                   QJsonObject& out,
                   QJsonObject& error) const;
    void finishRecord(ZohoModule m, QJsonObject& data) const;

    SimContext& m_ctx;
    qint64 m_orgPrefix = 0;
    qint64 m_nextSeq = 0;
    QList<ZohoUser> m_users;
    QHash<qint64, ZohoRecord> m_contacts;
    QHash<qint64, ZohoRecord> m_accounts;
    quint64 m_contactsVersion = 1;
    quint64 m_accountsVersion = 1;
    struct CacheEntry
    {
        quint64 version = 0;
        QVector<SortedEntry> entries;
    };
    QHash<int, CacheEntry> m_sortCache;
    std::function<void(const ZohoChange&)> m_listener;
};

} // namespace Sim
