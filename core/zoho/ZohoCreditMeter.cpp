#include "ZohoCreditMeter.h"

#include "Clock.h"
#include "Logging.h"
#include "config/Profile.h"
#include "net/ApiClient.h"
#include "storage/Database.h"
#include "storage/SqlUtil.h"

namespace Core {

namespace {
constexpr qint64 kMinuteMs = 60000;
constexpr qint64 kWindowMinutes = 24 * 60;
const QByteArray kRemainingHeader = QByteArrayLiteral("X-API-CREDITS-REMAINING");
} // namespace

namespace CreditBudget {

QStringList editions()
{
    return {QStringLiteral("free"), QStringLiteral("standard"), QStringLiteral("professional"),
            QStringLiteral("enterprise"), QStringLiteral("ultimate")};
}

std::optional<qint64> forEdition(const QString& edition, int licensedUsers)
{
    const qint64 users = qMax(0, licensedUsers);
    const QString e = edition.trimmed().toLower();
    if (e == QLatin1String("free"))
        return 5000;
    if (e == QLatin1String("standard"))
        return qMin<qint64>(50000 + users * 250, 100000);
    if (e == QLatin1String("professional"))
        return qMin<qint64>(50000 + users * 500, 3000000);
    if (e == QLatin1String("enterprise"))
        return qMin<qint64>(50000 + users * 1000, 5000000);
    if (e == QLatin1String("ultimate"))
        return 50000 + users * 2000;
    return std::nullopt;
}

Result<qint64> fromProfile(const Profile& profile)
{
    const QString explicitBudget = profile.value(QStringLiteral("zoho.daily_credits")).trimmed();
    if (!explicitBudget.isEmpty()) {
        bool ok = false;
        const qint64 credits = explicitBudget.toLongLong(&ok);
        if (!ok || credits <= 0)
            return Error(
                Error::Kind::Config,
                QObject::tr("zoho.daily_credits must be a positive whole number, not \"%1\"").arg(explicitBudget));
        return credits;
    }
    const QString edition = profile.value(QStringLiteral("zoho.edition"));
    const auto budget = forEdition(edition, profile.intValue(QStringLiteral("zoho.licensed_users")));
    if (!budget)
        return Error(Error::Kind::Config, QObject::tr("zoho.edition must be one of %1, not \"%2\"")
                                              .arg(editions().join(QStringLiteral(", ")), edition));
    return *budget;
}

} // namespace CreditBudget

ZohoCreditMeter::ZohoCreditMeter(Database& db, const Clock* clock, QObject* parent)
    : QObject(parent)
    , m_db(db)
    , m_clock(clock ? clock : SystemClock::instance())
{
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, [this] { warnIfFailed(lcZoho(), flush(), "storing credit use"); });
}

ZohoCreditMeter::~ZohoCreditMeter()
{
    if (m_api) // the client may outlive the meter: stop it calling into a dead object
        m_api->setAnswerObserver({});
    warnIfFailed(lcZoho(), flush(), "storing credit use");
}

void ZohoCreditMeter::attach(ApiClient* zohoApi)
{
    if (!zohoApi)
        return;
    m_api = zohoApi;
    zohoApi->setAnswerObserver([this](const HttpRequest&, const HttpResponse& response) {
        note(response.status, response.header(kRemainingHeader));
    });
}

qint64 ZohoCreditMeter::nowMs() const
{
    return m_clock->now().toMSecsSinceEpoch();
}

void ZohoCreditMeter::note(int status, const QByteArray& remainingHeader)
{
    // Refused before they cost a credit: no token, no scope, over the budget or the concurrency.
    if (status <= 0 || status == 401 || status == 403 || status == 429)
        return;
    const qint64 now = nowMs();
    ++m_pending[now / kMinuteMs];
    ++m_pendingTotal;
    if (!remainingHeader.isEmpty()) {
        bool ok = false;
        const qint64 remaining = remainingHeader.trimmed().toLongLong(&ok);
        if (ok && remaining >= 0)
            m_observation = Observation{remaining, now, m_pendingTotal};
    }
    if (!m_flushTimer.isActive())
        m_flushTimer.start(kFlushDelayMs);
}

Result<qint64> ZohoCreditMeter::storedSince(qint64 fromMinute) const
{
    QSqlQuery q(m_db.connection());
    q.setForwardOnly(true);
    const auto done = SqlUtil::run(q, QStringLiteral("SELECT COALESCE(SUM(used), 0) FROM zoho_credit WHERE minute>=?"),
                                   {fromMinute}, m_db.path(), QStringLiteral("zoho_credit read"));
    if (!done)
        return done.error();
    return q.next() ? q.value(0).toLongLong() : 0;
}

Result<Ok> ZohoCreditMeter::flush()
{
    m_flushTimer.stop();
    if (m_pending.isEmpty() && !m_observation)
        return Ok{};
    const qint64 now = nowMs();
    const qint64 fromMinute = now / kMinuteMs - kWindowMinutes + 1;
    const auto written = m_db.transaction([&]() -> Result<Ok> {
        std::optional<qint64> usedAtObservation;
        if (m_observation) {
            auto stored = storedSince(fromMinute);
            if (!stored)
                return stored.error();
            usedAtObservation = stored.value() + m_observation->pendingBefore;
        }
        QSqlQuery q(m_db.connection());
        if (auto p = SqlUtil::prepare(q,
                                      QStringLiteral("INSERT INTO zoho_credit(minute, used) VALUES(?,?) "
                                                     "ON CONFLICT(minute) DO UPDATE SET used=used+excluded.used"),
                                      m_db.path(), QStringLiteral("zoho_credit write"));
            !p)
            return p.error();
        for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
            q.bindValue(0, it.key());
            q.bindValue(1, it.value());
            if (auto e = SqlUtil::exec(q, m_db.path(), QStringLiteral("zoho_credit write")); !e)
                return e.error();
        }
        if (m_observation) {
            QSqlQuery o(m_db.connection());
            const qint64 minute = m_observation->atMs / kMinuteMs;
            auto done = SqlUtil::run(
                o,
                QStringLiteral("INSERT INTO zoho_credit(minute, used, remaining, observed_at, used_at_observation) "
                               "VALUES(?,0,?,?,?) ON CONFLICT(minute) DO UPDATE SET remaining=excluded.remaining, "
                               "observed_at=excluded.observed_at, used_at_observation=excluded.used_at_observation"),
                {minute, m_observation->remaining, m_observation->atMs, *usedAtObservation}, m_db.path(),
                QStringLiteral("zoho_credit observation"));
            if (!done)
                return done.error();
        }
        QSqlQuery prune(m_db.connection());
        return SqlUtil::run(prune, QStringLiteral("DELETE FROM zoho_credit WHERE minute<?"),
                            {fromMinute - kWindowMinutes}, m_db.path(), QStringLiteral("zoho_credit prune"));
    });
    if (!written)
        return written.error();
    m_pending.clear();
    m_pendingTotal = 0;
    m_observation.reset();
    emit flushed();
    return Ok{};
}

Result<CreditUsage> ZohoCreditMeter::usage() const
{
    const qint64 now = nowMs();
    const qint64 fromMinute = now / kMinuteMs - kWindowMinutes + 1;
    auto stored = storedSince(fromMinute);
    if (!stored)
        return stored.error();
    CreditUsage usage;
    usage.budget = m_budget;
    usage.ourCalls = stored.value();
    for (auto it = m_pending.lowerBound(fromMinute); it != m_pending.cend(); ++it)
        usage.ourCalls += it.value();

    // Zoho's newest word on what remains, and how many of our calls went out since.
    std::optional<qint64> remaining;
    qint64 ourCallsThen = 0;
    if (m_observation) {
        remaining = m_observation->remaining;
        ourCallsThen = stored.value() + m_observation->pendingBefore;
    } else {
        QSqlQuery q(m_db.connection());
        q.setForwardOnly(true);
        const auto done = SqlUtil::run(q,
                                       QStringLiteral("SELECT remaining, used_at_observation FROM zoho_credit "
                                                      "WHERE observed_at IS NOT NULL AND observed_at>? "
                                                      "ORDER BY observed_at DESC LIMIT 1"),
                                       {now - kWindowMs}, m_db.path(), QStringLiteral("zoho_credit read"));
        if (!done)
            return done.error();
        if (q.next()) {
            remaining = q.value(0).toLongLong();
            ourCallsThen = q.value(1).toLongLong();
        }
    }
    usage.used = usage.ourCalls;
    if (remaining) {
        // Our calls since then spent more; our calls that left the window since gave some back.
        usage.reportedRemaining = qMax<qint64>(0, *remaining - (usage.ourCalls - ourCallsThen));
        if (usage.budget > 0)
            usage.used = qMax(usage.used, usage.budget - *usage.reportedRemaining);
    }
    return usage;
}

} // namespace Core
