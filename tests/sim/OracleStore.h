#pragma once

#include "OracleQuery.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QMultiHash>
#include <QString>
#include <QVector>

namespace Sim {

struct SimContext;

struct OracleAccount
{
    qint64 partyId = 0;
    QString partyNumber;
    qint64 accountId = 0;
    QString accountNumber;
    int objectVersion = 1;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
    QJsonObject attrs; // every attribute, server-set ones included; ids as JSON integers
};

// Receivables activity of one customer account (one per Oracle account).
struct OracleArActivity
{
    qint64 accountId = 0;
    QString accountNumber;
    QString partyNumber;
    QJsonArray schedules; // transactionPaymentSchedules without PaymentDaysLate (computed on read)
    bool totalsOverridden = false;
    double totalOpen = 0;
    double totalDue = 0;
    int objectVersion = 1;
    qint64 createdMs = 0;
    qint64 updatedMs = 0;
};

// Everything the Oracle side stores; a plain value so a batch can snapshot and roll back.
struct OracleData
{
    QHash<QString, OracleAccount> accounts; // by PartyNumber
    QVector<QString> order;                 // PartyNumbers in creation order
    QHash<QString, OracleArActivity> ar;    // by AccountNumber
    // Indexes, so lookups by id or source reference stay O(1) at 20,000+ accounts.
    QHash<qint64, QString> byPartyId;
    QMultiHash<QString, QString> byReference; // SourceSystemReferenceValue -> PartyNumber
    QHash<qint64, QString> arByAccountId;     // AccountId -> AccountNumber
    qint64 nextSeq = 1;
};

// Oracle accounts (parties) and their AR activity, with indexes for the usual lookups.
class OracleStore final
{
public:
    explicit OracleStore(SimContext& ctx);

    static const OracleAttrTypes& accountAttrTypes();
    static const OracleAttrTypes& arAttrTypes();
    static const OracleAttrTypes& scheduleAttrTypes();
    // Writable attributes with their maximum length (0 = not a string).
    static const QHash<QString, int>& writableAttrs();
    static bool isBigIdAttr(const QString& name);

    // Creates an account from already validated attributes; generates its AR activity.
    // atMs < 0 = now (seeded demo data passes fixed times so it is identical per seed).
    OracleAccount& create(const QJsonObject& attrs, const QString& principal, qint64 atMs = -1);
    void update(OracleAccount& account, const QJsonObject& attrs, const QString& principal);
    bool remove(const QString& partyNumber);

    OracleAccount* find(const QString& partyNumber);
    OracleAccount* findByPartyId(qint64 partyId);
    QList<OracleAccount*> findBySource(const QString& system, const QString& reference);
    const QVector<QString>& order() const { return m_data.order; }
    int count() const { return m_data.accounts.size(); }

    OracleArActivity* arByNumber(const QString& accountNumber);
    OracleArActivity* arById(qint64 accountId);
    QList<OracleArActivity*> arActivities();
    // AR item attributes and schedules as they read now (PaymentDaysLate from the sim clock).
    QJsonObject arAttrs(const OracleArActivity& ar, int version) const;
    QJsonArray arSchedules(const OracleArActivity& ar) const;
    void touchAr(OracleArActivity& ar);

    OracleData snapshot() const { return m_data; }
    void restore(const OracleData& data) { m_data = data; }

private:
    void generateAr(const OracleAccount& account);

    SimContext& m_ctx;
    qint64 m_partyIdBase = 0;
    qint64 m_accountIdBase = 0;
    OracleData m_data;
};

} // namespace Sim
