#pragma once

#include "Result.h"

#include <QMap>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <optional>

namespace Core {

class ApiClient;
class Clock;
class Database;
class Profile;

// Zoho's API-credit budget for a rolling 24 h (zoho-crm-api.md §4.1): Free 5,000; otherwise
// 50,000 plus per licensed user 250 (Standard, at most 100,000), 500 (Professional, at most
// 3,000,000), 1,000 (Enterprise, at most 5,000,000) or 2,000 (Ultimate, no cap). Add-on credits
// are not known to us: zoho.daily_credits overrides the formula.
namespace CreditBudget {
std::optional<qint64> forEdition(const QString& edition, int licensedUsers);
// zoho.daily_credits when set, else zoho.edition with zoho.licensed_users.
Result<qint64> fromProfile(const Profile& profile);
QStringList editions();
} // namespace CreditBudget

struct CreditUsage
{
    qint64 budget = 0;
    qint64 ourCalls = 0;                     // CRM calls this profile made in the last 24 h
    qint64 used = 0;                         // best estimate for the org: ourCalls, or more when Zoho said fewer remain
    std::optional<qint64> reportedRemaining; // the newest X-API-CREDITS-REMAINING, less our calls since
    qint64 remaining() const { return qMax<qint64>(0, budget - used); }
};

// Counts Zoho CRM API credits: one per answered CRM call (the accounts server's token calls go
// through another path and are not CRM credits; 401, 403 and 429 answers are refused before they
// cost anything). Counts go to SQLite per minute (table zoho_credit), so a restart, or the CLI on
// the same profile, adds to the same rolling 24 h. When Zoho sends X-API-CREDITS-REMAINING (once
// half the budget is gone) and says fewer remain than we think, other apps of the org used them:
// the estimate follows Zoho's figure downward.
// The hook on the call path only increments a counter in memory; a timer writes them out.
class ZohoCreditMeter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ZohoCreditMeter)

public:
    static constexpr qint64 kWindowMs = 24LL * 3600 * 1000;
    static constexpr int kFlushDelayMs = 2000;

    explicit ZohoCreditMeter(Database& db, const Clock* clock = nullptr, QObject* parent = nullptr);
    ~ZohoCreditMeter() override;

    // Observes every answer of this (Zoho CRM) API client, until the meter is destroyed.
    void attach(ApiClient* zohoApi);
    void setBudget(qint64 credits) { m_budget = credits; }
    qint64 budget() const { return m_budget; }

    // One answered call; remainingHeader is X-API-CREDITS-REMAINING (empty when absent).
    void note(int status, const QByteArray& remainingHeader = {});
    Result<CreditUsage> usage() const;
    // Writes the counts kept in memory; also runs on a timer and on destruction.
    Result<Ok> flush();

signals:
    void flushed();

private:
    struct Observation
    {
        qint64 remaining = 0;
        qint64 atMs = 0;
        qint64 pendingBefore = 0; // our unflushed calls at that moment (it included them)
    };
    qint64 nowMs() const;
    Result<qint64> storedSince(qint64 fromMinute) const;

    Database& m_db;
    const Clock* m_clock;
    qint64 m_budget = 0;
    QMap<qint64, qint64> m_pending; // minute -> calls not yet written
    qint64 m_pendingTotal = 0;
    std::optional<Observation> m_observation;
    QTimer m_flushTimer;
    QPointer<ApiClient> m_api;
};

} // namespace Core
