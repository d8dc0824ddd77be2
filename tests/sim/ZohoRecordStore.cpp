#include "ZohoRecordStore.h"

#include "JsonUtil.h"
#include "SimContext.h"
#include "TimeUtil.h"

#include <QDate>
#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>

namespace Sim {

namespace {
constexpr qint64 kIdBase = 1000000000000LL; // org prefix * 10^12 + sequence = 19 digits

QString jsonPath(int index, const QString& field)
{
    return QStringLiteral("$.data[%1].%2").arg(index).arg(field);
}

QJsonObject fieldDetails(int index, const QString& field)
{
    return QJsonObject{{QStringLiteral("api_name"), field}, {QStringLiteral("json_path"), jsonPath(index, field)}};
}

bool isNumericString(const QString& s, double& out)
{
    bool ok = false;
    out = s.trimmed().toDouble(&ok);
    return ok && !s.trimmed().isEmpty();
}
} // namespace

QJsonObject ZohoUser::toJson(bool withEmail) const
{
    QJsonObject o{{QStringLiteral("name"), name}, {QStringLiteral("id"), id}};
    if (withEmail)
        o.insert(QStringLiteral("email"), email);
    return o;
}

ZohoRecordStore::ZohoRecordStore(SimContext& ctx)
    : m_ctx(ctx)
{
    m_orgPrefix = randomBetween(m_ctx.rng, 1000000, 9999999);
    // 19-digit ids must fit a qint64: fold the prefixes above 9223371 (seed 5 drew one), keep the others.
    if (m_orgPrefix > 9223371)
        m_orgPrefix -= 8223371;
    m_nextSeq = 2000000 + randomBetween(m_ctx.rng, 0, 99999);
    const qint64 userBase = m_orgPrefix * kIdBase + 150000;
    const struct
    {
        const char* name;
        const char* email;
    } people[] = {
        {"Integration User", "integration.user@sim.example"},
        {"Maria L\u00f3pez", "maria.lopez@sim.example"},
        {"Kenji Sato", "kenji.sato@sim.example"},
        {"Anna Schmidt", "anna.schmidt@sim.example"},
    };
    int n = 0;
    for (const auto& p : people) {
        m_users.append(
            ZohoUser{QString::fromUtf8(p.name), QString::number(userBase + 1 + n * 2), QString::fromLatin1(p.email)});
        ++n;
    }
}

QString ZohoRecordStore::formatTime(qint64 ms) const
{
    return zohoTime(ms, m_ctx.config.zohoUtcOffsetMin);
}

qint64 ZohoRecordStore::nextId()
{
    m_nextSeq += randomBetween(m_ctx.rng, 1, 9);
    return m_orgPrefix * kIdBase + m_nextSeq;
}

void ZohoRecordStore::bump(ZohoModule m)
{
    if (m == ZohoModule::Contacts)
        ++m_contactsVersion;
    else
        ++m_accountsVersion;
}

void ZohoRecordStore::publish(const ZohoChange& change)
{
    if (m_listener && !change.ids.isEmpty())
        m_listener(change);
}

namespace {
// Every schema field present (null when empty), so records have one shape like Zoho's. Records
// start as a copy of this, which is much cheaper than inserting the nulls one by one.
const QJsonObject& blankRecord(ZohoModule m)
{
    static const auto make = [](ZohoModule module) {
        QJsonObject o;
        const auto& schema = ZohoSchema::fields(module);
        for (auto it = schema.constBegin(); it != schema.constEnd(); ++it)
            o.insert(it.key(), QJsonValue());
        o.insert(QStringLiteral("Tag"), QJsonArray()); // the spec types Tag as an array, never null
        o.insert(QStringLiteral("$editable"), true);
        o.insert(QStringLiteral("$approval_state"), QStringLiteral("approved"));
        return o;
    };
    static const QJsonObject contacts = make(ZohoModule::Contacts);
    static const QJsonObject accounts = make(ZohoModule::Accounts);
    return m == ZohoModule::Contacts ? contacts : accounts;
}

QJsonObject withFields(ZohoModule m, const QJsonObject& fields)
{
    QJsonObject o = blankRecord(m);
    for (auto it = fields.constBegin(); it != fields.constEnd(); ++it)
        o.insert(it.key(), it.value());
    return o;
}
} // namespace

void ZohoRecordStore::finishRecord(ZohoModule m, QJsonObject& data) const
{
    if (m == ZohoModule::Contacts) {
        const QString first = data.value(QStringLiteral("First_Name")).toString();
        const QString last = data.value(QStringLiteral("Last_Name")).toString();
        data.insert(QStringLiteral("Full_Name"), first.isEmpty() ? last : first + QLatin1Char(' ') + last);
    }
}

qint64 ZohoRecordStore::insertSeed(
    ZohoModule m, const QJsonObject& fields, qint64 createdMs, qint64 modifiedMs, const ZohoUser& owner)
{
    ZohoRecord r;
    r.id = nextId();
    r.createdMs = createdMs;
    r.modifiedMs = modifiedMs;
    r.data = withFields(m, fields);
    r.data.insert(QStringLiteral("id"), QString::number(r.id));
    const QJsonObject user = owner.toJson();
    r.data.insert(QStringLiteral("Owner"), user);
    r.data.insert(QStringLiteral("Created_By"), user);
    r.data.insert(QStringLiteral("Modified_By"), user);
    const QString created = formatTime(createdMs);
    r.data.insert(QStringLiteral("Created_Time"), created);
    r.data.insert(QStringLiteral("Modified_Time"), modifiedMs == createdMs ? created : formatTime(modifiedMs));
    finishRecord(m, r.data);
    table(m).insert(r.id, r);
    bump(m);
    return r.id;
}

void ZohoRecordStore::patchSeed(ZohoModule m, qint64 id, const QJsonObject& fields)
{
    auto it = table(m).find(id);
    if (it == table(m).end())
        return;
    for (auto f = fields.constBegin(); f != fields.constEnd(); ++f)
        it->data.insert(f.key(), f.value());
    bump(m);
}

QJsonObject ZohoRecordStore::itemError(const QString& code, const QString& message, const QJsonObject& details)
{
    return QJsonObject{{QStringLiteral("code"), code},
                       {QStringLiteral("details"), details},
                       {QStringLiteral("message"), message},
                       {QStringLiteral("status"), QStringLiteral("error")}};
}

bool ZohoRecordStore::normalize(ZohoModule m,
                                const QJsonObject& item,
                                int index,
                                bool strict,
                                bool creating,
                                QJsonObject& out,
                                QJsonObject& error) const
{
    const QString mandatory = ZohoSchema::mandatoryField(m);
    const QJsonValue mv = item.value(mandatory);
    const bool mandatoryEmpty = mv.isNull() || mv.isUndefined() || (mv.isString() && mv.toString().trimmed().isEmpty());
    if ((creating && mandatoryEmpty) || (!creating && item.contains(mandatory) && mandatoryEmpty)) {
        error = itemError(QStringLiteral("MANDATORY_NOT_FOUND"), QStringLiteral("required field not found"),
                          fieldDetails(index, mandatory));
        return false;
    }

    const auto& schema = ZohoSchema::fields(m);
    static const QRegularExpression emailRe(QStringLiteral("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$"));
    for (auto it = item.constBegin(); it != item.constEnd(); ++it) {
        const QString& key = it.key();
        const QJsonValue v = it.value();
        if (key.startsWith(QLatin1Char('$')))
            continue;
        const auto type = schema.find(key);
        if (type == schema.constEnd()) {
            error = itemError(QStringLiteral("INVALID_DATA"),
                              QStringLiteral("the field api name given seems to be invalid"), fieldDetails(index, key));
            return false;
        }
        auto typeError = [&]() {
            QJsonObject d = fieldDetails(index, key);
            d.insert(QStringLiteral("expected_data_type"), ZohoSchema::expectedTypeName(type.value()));
            error = itemError(QStringLiteral("INVALID_DATA"), QStringLiteral("invalid data"), d);
            return false;
        };
        if (type.value() == ZohoFieldType::ReadOnly)
            continue; // system fields are ignored on write, like Zoho does
        if (v.isNull()) {
            out.insert(key, QJsonValue());
            continue;
        }
        switch (type.value()) {
        case ZohoFieldType::Text:
        case ZohoFieldType::TextArea:
        case ZohoFieldType::Phone:
        case ZohoFieldType::Url:
        case ZohoFieldType::Picklist:
            if (!v.isString())
                return typeError();
            out.insert(key, v);
            break;
        case ZohoFieldType::Email:
            if (!v.isString())
                return typeError();
            if (strict && !v.toString().isEmpty() && !emailRe.match(v.toString()).hasMatch())
                return typeError();
            out.insert(key, v);
            break;
        case ZohoFieldType::Integer: {
            double d = 0;
            if (v.isDouble())
                d = v.toDouble();
            else if (!v.isString() || !isNumericString(v.toString(), d))
                return typeError();
            if (d != double(qint64(d)))
                return typeError();
            out.insert(key, qint64(d));
            break;
        }
        case ZohoFieldType::Currency: {
            double d = 0;
            if (v.isDouble())
                d = v.toDouble();
            else if (!v.isString() || !isNumericString(v.toString(), d))
                return typeError();
            out.insert(key, d);
            break;
        }
        case ZohoFieldType::Boolean:
            if (!v.isBool())
                return typeError();
            out.insert(key, v);
            break;
        case ZohoFieldType::Date: {
            const QDate date = QDate::fromString(v.toString(), Qt::ISODate);
            if (!v.isString() || !date.isValid() || v.toString().size() != 10)
                return typeError();
            out.insert(key, v);
            break;
        }
        case ZohoFieldType::DateTime: {
            const auto t = v.isString() ? parseTime(v.toString()) : std::nullopt;
            if (!t || v.toString().size() <= 10)
                return typeError();
            out.insert(key, formatTime(*t));
            break;
        }
        case ZohoFieldType::Lookup: {
            if (!v.isObject())
                return typeError();
            const QJsonObject o = v.toObject();
            const QString id = o.value(QStringLiteral("id")).toVariant().toString();
            const QString name = o.value(QStringLiteral("name")).toString();
            const ZohoRecord* account = nullptr;
            if (!id.isEmpty()) {
                bool ok = false;
                const qint64 n = id.toLongLong(&ok);
                account = ok ? find(ZohoModule::Accounts, n) : nullptr;
            } else if (!name.isEmpty()) {
                for (const ZohoRecord& r : m_accounts) {
                    if (r.data.value(QStringLiteral("Account_Name")).toString() == name) {
                        account = &r;
                        break;
                    }
                }
            }
            if (!account) {
                QJsonObject d = fieldDetails(index, key);
                d.insert(QStringLiteral("expected_data_type"), QStringLiteral("lookup"));
                error = itemError(QStringLiteral("INVALID_DATA"), QStringLiteral("invalid data"), d);
                return false;
            }
            out.insert(key, QJsonObject{{QStringLiteral("name"), account->data.value(QStringLiteral("Account_Name"))},
                                        {QStringLiteral("id"), QString::number(account->id)}});
            break;
        }
        case ZohoFieldType::Owner: {
            const QString id = v.toObject().value(QStringLiteral("id")).toVariant().toString();
            const ZohoUser* user = nullptr;
            for (const ZohoUser& u : m_users) {
                if (u.id == id)
                    user = &u;
            }
            if (!user)
                return typeError();
            out.insert(key, user->toJson());
            break;
        }
        case ZohoFieldType::ReadOnly:
            break;
        }
    }
    return true;
}

ZohoWriteResult
ZohoRecordStore::create(ZohoModule m, const QJsonObject& item, int index, bool strict, const ZohoUser& actor)
{
    ZohoWriteResult res;
    QJsonObject fields;
    if (!normalize(m, item, index, strict, true, fields, res.error))
        return res;
    const qint64 now = m_ctx.clock.nowMs();
    ZohoRecord r;
    r.id = nextId();
    r.createdMs = now;
    r.modifiedMs = now;
    r.data = withFields(m, fields);
    r.data.insert(QStringLiteral("id"), QString::number(r.id));
    if (!r.data.value(QStringLiteral("Owner")).isObject())
        r.data.insert(QStringLiteral("Owner"), actor.toJson());
    r.data.insert(QStringLiteral("Created_By"), actor.toJson());
    r.data.insert(QStringLiteral("Modified_By"), actor.toJson());
    r.data.insert(QStringLiteral("Created_Time"), formatTime(now));
    r.data.insert(QStringLiteral("Modified_Time"), formatTime(now));
    finishRecord(m, r.data);
    table(m).insert(r.id, r);
    bump(m);
    res.ok = true;
    res.id = r.id;
    return res;
}

ZohoWriteResult
ZohoRecordStore::update(ZohoModule m, qint64 id, const QJsonObject& item, int index, bool strict, const ZohoUser& actor)
{
    ZohoWriteResult res;
    auto it = table(m).find(id);
    if (it == table(m).end()) {
        res.error = itemError(QStringLiteral("INVALID_DATA"), QStringLiteral("the id given seems to be invalid"),
                              fieldDetails(index, QStringLiteral("id")));
        return res;
    }
    QJsonObject fields;
    if (!normalize(m, item, index, strict, false, fields, res.error))
        return res;
    const qint64 now = m_ctx.clock.nowMs();
    for (auto f = fields.constBegin(); f != fields.constEnd(); ++f) {
        if (it->data.value(f.key()) != f.value()) {
            res.changedFields.append(f.key());
            res.changedValues.insert(f.key(), f.value());
        }
        it->data.insert(f.key(), f.value());
    }
    it->modifiedMs = now;
    it->data.insert(QStringLiteral("Modified_By"), actor.toJson());
    it->data.insert(QStringLiteral("Modified_Time"), formatTime(now));
    finishRecord(m, it->data);
    bump(m);
    res.ok = true;
    res.id = id;
    return res;
}

bool ZohoRecordStore::remove(ZohoModule m, qint64 id)
{
    if (!table(m).remove(id))
        return false;
    bump(m);
    return true;
}

const ZohoRecord* ZohoRecordStore::find(ZohoModule m, qint64 id) const
{
    const auto& t = table(m);
    const auto it = t.constFind(id);
    return it == t.constEnd() ? nullptr : &it.value();
}

QHash<QString, qint64> ZohoRecordStore::indexBy(ZohoModule m, const QString& field) const
{
    QHash<QString, qint64> index;
    const auto& t = table(m);
    for (auto it = t.constBegin(); it != t.constEnd(); ++it) {
        const QString v = it->data.value(field).toVariant().toString().trimmed().toLower();
        if (!v.isEmpty() && !index.contains(v))
            index.insert(v, it.key());
    }
    return index;
}

const QVector<ZohoRecordStore::SortedEntry>& ZohoRecordStore::sorted(ZohoModule m, ZohoSortKey key, bool descending)
{
    const int cacheKey = (m == ZohoModule::Contacts ? 0 : 100) + int(key) * 2 + (descending ? 1 : 0);
    CacheEntry& c = m_sortCache[cacheKey];
    if (c.version == version(m))
        return c.entries;
    c.entries.clear();
    const auto& t = table(m);
    c.entries.reserve(t.size());
    for (auto it = t.constBegin(); it != t.constEnd(); ++it)
        c.entries.append(SortedEntry{it->id, it->createdMs, it->modifiedMs});
    auto value = [key](const SortedEntry& e) {
        switch (key) {
        case ZohoSortKey::CreatedTime:
            return e.createdMs / 1000;
        case ZohoSortKey::ModifiedTime:
            return e.modifiedMs / 1000;
        case ZohoSortKey::Id:
            break;
        }
        return e.id;
    };
    // Ties (same second) fall back to id so paging is stable.
    std::sort(c.entries.begin(), c.entries.end(), [&](const SortedEntry& a, const SortedEntry& b) {
        const qint64 va = value(a);
        const qint64 vb = value(b);
        if (va != vb)
            return descending ? va > vb : va < vb;
        return descending ? a.id > b.id : a.id < b.id;
    });
    c.version = version(m);
    return c.entries;
}

QJsonObject ZohoRecordStore::render(ZohoModule m, const ZohoRecord& r, const QStringList* fields) const
{
    QJsonObject out;
    if (!fields) {
        out = r.data;
    } else {
        out.insert(QStringLiteral("id"), QString::number(r.id));
        for (const QString& f : *fields)
            out.insert(f, r.data.value(f).isUndefined() ? QJsonValue() : r.data.value(f));
    }
    // A lookup shows the account's current name, like Zoho; a deleted account clears it.
    if (m == ZohoModule::Contacts) {
        const QJsonValue lookup = out.value(QStringLiteral("Account_Name"));
        if (lookup.isObject()) {
            const qint64 accountId = lookup.toObject().value(QStringLiteral("id")).toString().toLongLong();
            const ZohoRecord* account = find(ZohoModule::Accounts, accountId);
            if (account)
                out.insert(QStringLiteral("Account_Name"),
                           QJsonObject{{QStringLiteral("name"), account->data.value(QStringLiteral("Account_Name"))},
                                       {QStringLiteral("id"), QString::number(accountId)}});
            else
                out.insert(QStringLiteral("Account_Name"), QJsonValue());
        }
    }
    return out;
}

QJsonObject ZohoRecordStore::successDetails(const ZohoRecord& r) const
{
    QJsonObject created = r.data.value(QStringLiteral("Created_By")).toObject();
    created.remove(QStringLiteral("email"));
    QJsonObject modified = r.data.value(QStringLiteral("Modified_By")).toObject();
    modified.remove(QStringLiteral("email"));
    return QJsonObject{{QStringLiteral("id"), QString::number(r.id)},
                       {QStringLiteral("Modified_Time"), r.data.value(QStringLiteral("Modified_Time"))},
                       {QStringLiteral("Modified_By"), modified},
                       {QStringLiteral("Created_Time"), r.data.value(QStringLiteral("Created_Time"))},
                       {QStringLiteral("Created_By"), created}};
}

} // namespace Sim
