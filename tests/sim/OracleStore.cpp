#include "OracleStore.h"

#include "JsonUtil.h"
#include "SimContext.h"
#include "TimeUtil.h"

#include <QDateTime>

#include <algorithm>
#include <utility>

namespace Sim {

namespace {
constexpr qint64 kDayMs = 24LL * 60 * 60 * 1000;
// 2026-01-01T00:00:00Z: AR due dates are spread from here, so seeded data is identical per seed.
constexpr qint64 kEpochMs = 1767225600000LL;

double round2(double v)
{
    return double(qRound64(v * 100.0)) / 100.0;
}
} // namespace

OracleStore::OracleStore(SimContext& ctx)
    : m_ctx(ctx)
{
    m_partyIdBase = 300000000000000000LL + randomBetween(m_ctx.rng, 1000000000LL, 9000000000LL) * 1000;
    m_accountIdBase = 300000100000000000LL + randomBetween(m_ctx.rng, 1000000000LL, 9000000000LL) * 1000;
}

const OracleAttrTypes& OracleStore::accountAttrTypes()
{
    static const OracleAttrTypes types = [] {
        OracleAttrTypes t;
        const QHash<QString, int>& writable = writableAttrs();
        for (auto it = writable.constBegin(); it != writable.constEnd(); ++it)
            t.insert(it.key(), OracleAttrType::String);
        for (const char* n :
             {"PartyId", "OwnerPartyId", "ParentAccountPartyId", "PrimaryContactPartyId", "ObjectVersionNumber"})
            t.insert(QString::fromLatin1(n), OracleAttrType::Number);
        t.insert(QStringLiteral("NamedFlag"), OracleAttrType::Boolean);
        for (const char* n : {"CreationDate", "LastUpdateDate"})
            t.insert(QString::fromLatin1(n), OracleAttrType::DateTime);
        for (const char* n : {"CreatedBy", "LastUpdatedBy", "PartyNumber", "AddressNumber"})
            t.insert(QString::fromLatin1(n), OracleAttrType::String);
        return t;
    }();
    return types;
}

const OracleAttrTypes& OracleStore::arAttrTypes()
{
    static const OracleAttrTypes types = {
        {QStringLiteral("AccountId"), OracleAttrType::Number},
        {QStringLiteral("AccountNumber"), OracleAttrType::String},
        {QStringLiteral("CustomerId"), OracleAttrType::Number},
        {QStringLiteral("CustomerName"), OracleAttrType::String},
        {QStringLiteral("TaxRegistrationNumber"), OracleAttrType::String},
        {QStringLiteral("TaxpayerIdentificationNumber"), OracleAttrType::String},
        {QStringLiteral("TotalOpenReceivablesForAccount"), OracleAttrType::Number},
        {QStringLiteral("TotalTransactionsDueForAccount"), OracleAttrType::Number},
        {QStringLiteral("CreatedBy"), OracleAttrType::String},
        {QStringLiteral("CreationDate"), OracleAttrType::DateTime},
        {QStringLiteral("LastUpdatedBy"), OracleAttrType::String},
        {QStringLiteral("LastUpdateDate"), OracleAttrType::DateTime},
    };
    return types;
}

const OracleAttrTypes& OracleStore::scheduleAttrTypes()
{
    static const OracleAttrTypes types = {
        {QStringLiteral("TransactionId"), OracleAttrType::Number},
        {QStringLiteral("TransactionNumber"), OracleAttrType::String},
        {QStringLiteral("TransactionClass"), OracleAttrType::String},
        {QStringLiteral("TransactionType"), OracleAttrType::String},
        {QStringLiteral("TransactionDate"), OracleAttrType::Date},
        {QStringLiteral("InstallmentId"), OracleAttrType::Number},
        {QStringLiteral("InstallmentNumber"), OracleAttrType::Number},
        {QStringLiteral("InstallmentStatus"), OracleAttrType::String},
        {QStringLiteral("PaymentScheduleDueDate"), OracleAttrType::Date},
        {QStringLiteral("PaymentDaysLate"), OracleAttrType::Number},
        {QStringLiteral("TotalOriginalAmount"), OracleAttrType::Number},
        {QStringLiteral("TotalBalanceAmount"), OracleAttrType::Number},
        {QStringLiteral("EnteredCurrency"), OracleAttrType::String},
    };
    return types;
}

const QHash<QString, int>& OracleStore::writableAttrs()
{
    // Maximum lengths from the accounts POST schema (reference sheet §2.3).
    static const QHash<QString, int> attrs = {
        {QStringLiteral("OrganizationName"), 360},
        {QStringLiteral("SourceSystem"), 30},
        {QStringLiteral("SourceSystemReferenceValue"), 255},
        {QStringLiteral("Type"), 30},
        {QStringLiteral("SalesProfileStatus"), 30},
        {QStringLiteral("NamedFlag"), 0},
        {QStringLiteral("OwnerPartyId"), 0},
        {QStringLiteral("TaxpayerIdentificationNumber"), 20},
        {QStringLiteral("DUNSNumber"), 30},
        {QStringLiteral("ParentAccountPartyId"), 0},
        {QStringLiteral("ParentAccountPartyNumber"), 30},
        {QStringLiteral("ParentAccountSourceSystem"), 30},
        {QStringLiteral("ParentAccountSourceSystemReferenceValue"), 255},
        {QStringLiteral("PrimaryContactPartyId"), 0},
        {QStringLiteral("PrimaryContactPartyNumber"), 30},
        {QStringLiteral("PrimaryContactSourceSystem"), 30},
        {QStringLiteral("PrimaryContactSourceSystemReferenceValue"), 255},
        {QStringLiteral("EmailAddress"), 320},
        {QStringLiteral("URL"), 2000},
        {QStringLiteral("PhoneCountryCode"), 10},
        {QStringLiteral("PhoneAreaCode"), 20},
        {QStringLiteral("PhoneNumber"), 40},
        {QStringLiteral("PhoneExtension"), 20},
        {QStringLiteral("RawPhoneNumber"), 60},
        {QStringLiteral("FaxCountryCode"), 10},
        {QStringLiteral("FaxAreaCode"), 20},
        {QStringLiteral("FaxNumber"), 40},
        {QStringLiteral("FaxExtension"), 20},
        {QStringLiteral("AddressLine1"), 240},
        {QStringLiteral("AddressLine2"), 240},
        {QStringLiteral("AddressLine3"), 240},
        {QStringLiteral("AddressLine4"), 240},
        {QStringLiteral("City"), 60},
        {QStringLiteral("State"), 60},
        {QStringLiteral("Province"), 60},
        {QStringLiteral("County"), 60},
        {QStringLiteral("PostalCode"), 60},
        {QStringLiteral("PostalPlus4Code"), 10},
        {QStringLiteral("Country"), 2},
        {QStringLiteral("AddressType"), 30},
        {QStringLiteral("CurrencyCode"), 15},
        {QStringLiteral("CorpCurrencyCode"), 15},
        {QStringLiteral("Description"), 2000},
        {QStringLiteral("CreatedByModule"), 30},
        {QStringLiteral("Status"), 1},
    };
    return attrs;
}

bool OracleStore::isBigIdAttr(const QString& name)
{
    return name == QLatin1String("PartyId") || name == QLatin1String("OwnerPartyId") ||
           name == QLatin1String("ParentAccountPartyId") || name == QLatin1String("PrimaryContactPartyId") ||
           name == QLatin1String("AccountId") || name == QLatin1String("CustomerId");
}

OracleAccount& OracleStore::create(const QJsonObject& attrs, const QString& principal, qint64 atMs)
{
    const qint64 seq = m_data.nextSeq++;
    const qint64 now = atMs < 0 ? m_ctx.clock.nowMs() : atMs;
    OracleAccount a;
    a.partyId = m_partyIdBase + seq * 1000 + randomBetween(m_ctx.rng, 0, 999);
    a.partyNumber = attrs.value(QStringLiteral("PartyNumber")).toString();
    if (a.partyNumber.isEmpty())
        a.partyNumber = QStringLiteral("CDRM_%1").arg(100000 + seq);
    QString digits;
    for (const QChar c : a.partyNumber) {
        if (c.isDigit())
            digits += c;
    }
    a.accountNumber = QStringLiteral("ACC-") + (digits.isEmpty() ? QString::number(100000 + seq) : digits);
    a.accountId = m_accountIdBase + seq * 1000 + randomBetween(m_ctx.rng, 0, 999);
    a.createdMs = now;
    a.updatedMs = now;

    // Every attribute present, null when empty (copying a template is cheap; 20,000+ at startup).
    static const QJsonObject blank = [] {
        QJsonObject o;
        const QHash<QString, int>& writable = writableAttrs();
        for (auto it = writable.constBegin(); it != writable.constEnd(); ++it)
            o.insert(it.key(), QJsonValue());
        o.insert(QStringLiteral("Type"), QStringLiteral("ZCA_CUSTOMER"));
        o.insert(QStringLiteral("NamedFlag"), false);
        o.insert(QStringLiteral("Status"), QStringLiteral("A"));
        o.insert(QStringLiteral("CreatedByModule"), QStringLiteral("HZ_WS"));
        o.insert(QStringLiteral("AddressNumber"), QJsonValue());
        return o;
    }();
    a.attrs = blank;
    for (auto it = attrs.constBegin(); it != attrs.constEnd(); ++it) {
        if (it.key() != QLatin1String("PartyNumber") && !it.value().isNull())
            a.attrs.insert(it.key(), it.value());
    }
    if (!a.attrs.value(QStringLiteral("AddressLine1")).toString().isEmpty() ||
        !a.attrs.value(QStringLiteral("Country")).toString().isEmpty())
        a.attrs.insert(QStringLiteral("AddressNumber"), QStringLiteral("CDRM_%1").arg(500000 + seq));
    a.attrs.insert(QStringLiteral("PartyId"), a.partyId);
    a.attrs.insert(QStringLiteral("PartyNumber"), a.partyNumber);
    a.attrs.insert(QStringLiteral("CreatedBy"), principal);
    a.attrs.insert(QStringLiteral("CreationDate"), oracleTime(now));
    a.attrs.insert(QStringLiteral("LastUpdatedBy"), principal);
    a.attrs.insert(QStringLiteral("LastUpdateDate"), oracleTime(now));
    a.attrs.insert(QStringLiteral("ObjectVersionNumber"), a.objectVersion);

    m_data.accounts.insert(a.partyNumber, a);
    m_data.order.append(a.partyNumber);
    m_data.byPartyId.insert(a.partyId, a.partyNumber);
    const QString ref = a.attrs.value(QStringLiteral("SourceSystemReferenceValue")).toString();
    if (!ref.isEmpty())
        m_data.byReference.insert(ref, a.partyNumber);
    generateAr(a);
    return m_data.accounts[a.partyNumber];
}

void OracleStore::update(OracleAccount& account, const QJsonObject& attrs, const QString& principal)
{
    const qint64 now = qMax(m_ctx.clock.nowMs(), account.updatedMs + 1); // LastUpdateDate always moves
    const QString oldRef = account.attrs.value(QStringLiteral("SourceSystemReferenceValue")).toString();
    for (auto it = attrs.constBegin(); it != attrs.constEnd(); ++it) {
        if (it.key() != QLatin1String("PartyNumber") && it.key() != QLatin1String("PartyId"))
            account.attrs.insert(it.key(), it.value());
    }
    const QString newRef = account.attrs.value(QStringLiteral("SourceSystemReferenceValue")).toString();
    if (newRef != oldRef) {
        m_data.byReference.remove(oldRef, account.partyNumber);
        if (!newRef.isEmpty())
            m_data.byReference.insert(newRef, account.partyNumber);
    }
    ++account.objectVersion;
    account.updatedMs = now;
    account.attrs.insert(QStringLiteral("LastUpdatedBy"), principal);
    account.attrs.insert(QStringLiteral("LastUpdateDate"), oracleTime(now));
    account.attrs.insert(QStringLiteral("ObjectVersionNumber"), account.objectVersion);
    OracleArActivity* ar = arByNumber(account.accountNumber);
    if (ar && attrs.contains(QStringLiteral("OrganizationName")))
        touchAr(*ar);
}

bool OracleStore::remove(const QString& partyNumber)
{
    const auto it = m_data.accounts.find(partyNumber);
    if (it == m_data.accounts.end())
        return false;
    m_data.ar.remove(it->accountNumber);
    m_data.arByAccountId.remove(it->accountId);
    m_data.byPartyId.remove(it->partyId);
    m_data.byReference.remove(it->attrs.value(QStringLiteral("SourceSystemReferenceValue")).toString(), partyNumber);
    m_data.accounts.erase(it);
    m_data.order.removeOne(partyNumber);
    return true;
}

OracleAccount* OracleStore::find(const QString& partyNumber)
{
    const auto it = m_data.accounts.find(partyNumber);
    return it == m_data.accounts.end() ? nullptr : &it.value();
}

OracleAccount* OracleStore::findByPartyId(qint64 partyId)
{
    const auto it = m_data.byPartyId.constFind(partyId);
    return it == m_data.byPartyId.constEnd() ? nullptr : find(it.value());
}

QList<OracleAccount*> OracleStore::findBySource(const QString& system, const QString& reference)
{
    QList<OracleAccount*> out;
    QList<QString> numbers = m_data.byReference.values(reference);
    std::sort(numbers.begin(), numbers.end(), [this](const QString& a, const QString& b) {
        return m_data.accounts.value(a).partyId < m_data.accounts.value(b).partyId;
    });
    for (const QString& pn : std::as_const(numbers)) {
        OracleAccount* a = find(pn);
        if (a && (system.isNull() || a->attrs.value(QStringLiteral("SourceSystem")).toString() == system))
            out.append(a);
    }
    return out;
}

void OracleStore::generateAr(const OracleAccount& account)
{
    OracleArActivity ar;
    ar.accountId = account.accountId;
    ar.accountNumber = account.accountNumber;
    ar.partyNumber = account.partyNumber;
    ar.createdMs = account.createdMs;
    ar.updatedMs = account.createdMs;
    static const char* currencies[] = {"USD", "EUR", "GBP", "JPY", "BRL"};
    const QString currency = QString::fromLatin1(currencies[m_ctx.rng.bounded(5)]);
    const int n = int(randomBetween(m_ctx.rng, 0, 4));
    for (int i = 0; i < n; ++i) {
        const qint64 trxDate = kEpochMs + randomBetween(m_ctx.rng, 0, 300) * kDayMs;
        const qint64 dueDate = trxDate + 30 * kDayMs;
        const double original = round2(double(randomBetween(m_ctx.rng, 50000, 5000000)) / 100.0);
        const int state = int(m_ctx.rng.bounded(3)); // 0 closed, 1 open, 2 partly paid
        const double balance = state == 0 ? 0.0 : (state == 1 ? original : round2(original / 2.0));
        const qint64 trxId = account.accountId + 10 + i;
        ar.schedules.append(QJsonObject{
            {QStringLiteral("TransactionId"), trxId},
            {QStringLiteral("TransactionNumber"),
             QStringLiteral("INV-%1-%2").arg(account.accountNumber.mid(4)).arg(i + 1)},
            {QStringLiteral("TransactionClass"), QStringLiteral("INV")},
            {QStringLiteral("TransactionType"), QStringLiteral("Invoice")},
            {QStringLiteral("TransactionDate"), isoDate(trxDate)},
            {QStringLiteral("InstallmentId"), trxId * 10 + 1},
            {QStringLiteral("InstallmentNumber"), 1},
            {QStringLiteral("InstallmentStatus"), balance > 0 ? QStringLiteral("Open") : QStringLiteral("Closed")},
            {QStringLiteral("PaymentScheduleDueDate"), isoDate(dueDate)},
            {QStringLiteral("TotalOriginalAmount"), original},
            {QStringLiteral("TotalBalanceAmount"), balance},
            {QStringLiteral("EnteredCurrency"), currency},
        });
    }
    m_data.ar.insert(ar.accountNumber, ar);
    m_data.arByAccountId.insert(ar.accountId, ar.accountNumber);
}

OracleArActivity* OracleStore::arByNumber(const QString& accountNumber)
{
    const auto it = m_data.ar.find(accountNumber);
    return it == m_data.ar.end() ? nullptr : &it.value();
}

OracleArActivity* OracleStore::arById(qint64 accountId)
{
    const auto it = m_data.arByAccountId.constFind(accountId);
    return it == m_data.arByAccountId.constEnd() ? nullptr : arByNumber(it.value());
}

QList<OracleArActivity*> OracleStore::arActivities()
{
    QList<OracleArActivity*> out;
    for (const QString& pn : std::as_const(m_data.order)) {
        const auto acc = m_data.accounts.constFind(pn);
        if (acc == m_data.accounts.constEnd())
            continue;
        OracleArActivity* ar = arByNumber(acc->accountNumber);
        if (ar)
            out.append(ar);
    }
    return out;
}

QJsonArray OracleStore::arSchedules(const OracleArActivity& ar) const
{
    QJsonArray out;
    const qint64 today = m_ctx.clock.nowMs();
    for (const QJsonValue& v : ar.schedules) {
        QJsonObject s = v.toObject();
        const auto due = parseTime(s.value(QStringLiteral("PaymentScheduleDueDate")).toString());
        qint64 late = 0;
        if (due && s.value(QStringLiteral("InstallmentStatus")).toString() == QLatin1String("Open") && today > *due)
            late = (today - *due) / kDayMs;
        s.insert(QStringLiteral("PaymentDaysLate"), late);
        out.append(s);
    }
    return out;
}

QJsonObject OracleStore::arAttrs(const OracleArActivity& ar, int version) const
{
    double open = ar.totalOpen;
    double due = ar.totalDue;
    if (!ar.totalsOverridden) {
        open = 0;
        due = 0;
        for (const QJsonValue& v : ar.schedules) {
            const QJsonObject s = v.toObject();
            if (s.value(QStringLiteral("InstallmentStatus")).toString() == QLatin1String("Open")) {
                open += s.value(QStringLiteral("TotalBalanceAmount")).toDouble();
                due += s.value(QStringLiteral("TotalOriginalAmount")).toDouble();
            }
        }
    }
    const auto acc = m_data.accounts.constFind(ar.partyNumber);
    const QJsonObject a = acc == m_data.accounts.constEnd() ? QJsonObject() : acc->attrs;
    const qint64 partyId = acc == m_data.accounts.constEnd() ? 0 : acc->partyId;
    auto id = [version](qint64 v) { return version >= 9 ? QJsonValue(QString::number(v)) : QJsonValue(v); };
    return QJsonObject{
        {QStringLiteral("AccountId"), id(ar.accountId)},
        {QStringLiteral("AccountNumber"), ar.accountNumber},
        {QStringLiteral("CustomerId"), id(partyId)},
        {QStringLiteral("CustomerName"), a.value(QStringLiteral("OrganizationName"))},
        {QStringLiteral("TaxRegistrationNumber"), QJsonValue()},
        {QStringLiteral("TaxpayerIdentificationNumber"), a.value(QStringLiteral("TaxpayerIdentificationNumber"))},
        {QStringLiteral("TotalOpenReceivablesForAccount"), round2(open)},
        {QStringLiteral("TotalTransactionsDueForAccount"), round2(due)},
        {QStringLiteral("CreatedBy"), QStringLiteral("FUSION_APPS_CRM_SOA_APPID")},
        {QStringLiteral("CreationDate"), oracleTime(ar.createdMs)},
        {QStringLiteral("LastUpdatedBy"), QStringLiteral("FIN_USER1")},
        {QStringLiteral("LastUpdateDate"), oracleTime(ar.updatedMs)},
    };
}

void OracleStore::touchAr(OracleArActivity& ar)
{
    ++ar.objectVersion;
    ar.updatedMs = qMax(m_ctx.clock.nowMs(), ar.updatedMs + 1);
}

} // namespace Sim
