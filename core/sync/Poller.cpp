#include "sync/Poller.h"

#include "Clock.h"
#include "Logging.h"
#include "storage/CursorStore.h"
#include "sync/ChangeEvents.h"
#include "sync/OutboxStore.h"
#include "zoho/ZohoClient.h"

#include <QJsonDocument>
#include <QJsonObject>

#include <limits>

namespace Core {

namespace {

Error configError(const QString& text)
{
    return Error(Error::Kind::Config, text);
}

QDateTime earliest(const QDateTime& a, const QDateTime& b)
{
    if (!a.isValid())
        return b;
    if (!b.isValid())
        return a;
    return qMin(a, b);
}

} // namespace

Result<PollerConfig> PollerConfig::fromSettings(const QVariantMap& s)
{
    PollerConfig c;
    const auto number = [&s](const char* key, int* out) -> Result<Ok> {
        const QString name = QLatin1String(key);
        if (!s.contains(name))
            return Ok{};
        bool ok = false;
        const qint64 v = s.value(name).toLongLong(&ok);
        if (!ok || v < 0 || v > std::numeric_limits<int>::max() / 1000)
            return configError(QObject::tr("%1 must be a number of seconds").arg(name));
        *out = int(v);
        return Ok{};
    };
    for (const auto& r : {number("sync.poll_interval_s", &c.intervalS), number("sync.poll_overlap_s", &c.overlapS),
                          number("sync.fallback_poll_interval_s", &c.fallbackIntervalS)}) {
        if (!r)
            return r.error();
    }
    if (s.contains(QStringLiteral("sync.modules"))) {
        const QVariant v = s.value(QStringLiteral("sync.modules"));
        QStringList modules = v.typeId() == QMetaType::QStringList || v.typeId() == QMetaType::QVariantList
                                  ? v.toStringList()
                                  : v.toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString& m : modules)
            m = m.trimmed();
        c.modules = modules;
    }
    const auto valid = c.validate();
    if (!valid)
        return valid.error();
    return c;
}

Result<Ok> PollerConfig::validate() const
{
    if (modules.isEmpty())
        return configError(QObject::tr("The poller needs at least one module"));
    for (const QString& m : modules) {
        if (!ChangeEvents::isModuleName(m))
            return configError(QObject::tr("\"%1\" is not a Zoho module name").arg(m));
    }
    if (intervalS < 1 || fallbackIntervalS < 1)
        return configError(QObject::tr("Poll intervals must be at least one second"));
    if (overlapS < 0)
        return configError(QObject::tr("sync.poll_overlap_s must not be negative"));
    if (perPage < 1 || perPage > 200)
        return configError(QObject::tr("Zoho lists 1 to 200 records per page"));
    if (checkIntervalMs < 10)
        return configError(QObject::tr("The poller's check interval is too short"));
    return Ok{};
}

struct Poller::Run
{
    QString module;
    bool catchUp = false;
    QDateTime since;
    QDateTime oldCursor;
    bool mayMoveCursor = true;
    QPointer<QObject> context; // deleting it abandons the listing
    int pages = 0;
    int records = 0;
    int newRows = 0;
    QDateTime maxModified;
    QString maxModifiedText; // as Zoho wrote it: that is what the cursor keeps
    bool done = false;
};

Poller::Poller(ZohoClient* zoho,
               OutboxStore* outbox,
               CursorStore* cursors,
               PollerConfig config,
               const Clock* clock,
               QObject* parent)
    : QObject(parent)
    , m_zoho(zoho)
    , m_outbox(outbox)
    , m_cursors(cursors)
    , m_config(std::move(config))
    , m_clock(clock ? clock : SystemClock::instance())
{
    qRegisterMetaType<Core::PollOutcome>();
    for (const QString& m : std::as_const(m_config.modules))
        m_modules.insert(m, ModuleState());
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, &Poller::tick);
}

Poller::~Poller()
{
    stop();
}

QString Poller::cursorName(const QString& module)
{
    return ChangeEvents::pollCursorName(module);
}

QDateTime Poller::now() const
{
    return m_clock->now();
}

int Poller::intervalFor(const ModuleState& state) const
{
    return state.fallback ? qMin(m_config.fallbackIntervalS, m_config.intervalS) : m_config.intervalS;
}

Result<Ok> Poller::start()
{
    const auto valid = m_config.validate();
    if (!valid)
        return valid;
    m_started = true;
    const QDateTime t = now();
    for (auto it = m_modules.begin(); it != m_modules.end(); ++it)
        it->nextDue = m_config.pollOnStart ? t : t.addSecs(intervalFor(*it));
    tick();
    return Ok{};
}

void Poller::stop()
{
    m_started = false;
    m_timer.stop();
    for (auto it = m_modules.begin(); it != m_modules.end(); ++it) {
        if (it->run) {
            it->run->done = true;
            if (it->run->context)
                it->run->context->deleteLater();
            it->run.reset();
        }
        it->pending = Request();
    }
}

void Poller::pollNow()
{
    for (const QString& m : std::as_const(m_config.modules))
        request(m, false, QDateTime());
}

void Poller::pollNow(const QString& module)
{
    request(module, false, QDateTime());
}

void Poller::catchUp(const QString& module, const QDateTime& since)
{
    request(module, true, since);
}

void Poller::setFallbackActive(const QString& module, bool active)
{
    auto it = m_modules.find(module);
    if (it == m_modules.end() || it->fallback == active)
        return;
    it->fallback = active;
    qCInfo(lcSync).noquote() << "Polling" << module << (active ? "every" : "back to every") << intervalFor(*it) << "s";
    const QDateTime soonest = now().addSecs(intervalFor(*it));
    if (!it->nextDue.isValid() || soonest < it->nextDue)
        it->nextDue = soonest;
    schedule();
}

bool Poller::isFallbackActive(const QString& module) const
{
    return m_modules.value(module).fallback;
}

bool Poller::isPolling(const QString& module) const
{
    return m_modules.contains(module) && m_modules.value(module).run != nullptr;
}

QDateTime Poller::cursor(const QString& module) const
{
    const auto stored = m_cursors->get(cursorName(module));
    if (!stored || !stored.value())
        return QDateTime();
    return QDateTime::fromString(*stored.value(), Qt::ISODateWithMs);
}

void Poller::request(const QString& module, bool catchUp, const QDateTime& since)
{
    auto it = m_modules.find(module);
    if (it == m_modules.end()) {
        qCWarning(lcSync).noquote() << "Not polling" << module << ": it is not one of the configured modules";
        return;
    }
    Request& pending = it->pending;
    pending.wanted = true;
    if (catchUp && since.isValid()) {
        pending.catchUp = true;
        pending.since = earliest(pending.since, since);
    } else {
        pending.full = true;
    }
    if (!it->run)
        begin(module, std::exchange(pending, Request()));
}

void Poller::begin(const QString& module, Request request)
{
    ModuleState& state = m_modules[module];
    auto run = std::make_shared<Run>();
    run->module = module;
    run->catchUp = request.catchUp;
    state.run = run;

    const auto stored = m_cursors->get(cursorName(module));
    if (!stored) {
        finish(run, stored.error());
        return;
    }
    if (stored.value())
        run->oldCursor = QDateTime::fromString(*stored.value(), Qt::ISODateWithMs);
    const QDateTime regular =
        run->oldCursor.isValid() ? run->oldCursor.addSecs(-m_config.overlapS) : QDateTime(); // invalid: backfill
    run->since = regular;
    if (request.catchUp) {
        const QDateTime from = request.since.addSecs(-m_config.overlapS);
        if (regular.isValid()) {
            run->since = qMin(regular, from);
        } else if (!request.full) {
            // Without a cursor the catch-up covers only the gap: the full backfill is still owed,
            // so this poll must not create the cursor.
            run->since = from;
            run->mayMoveCursor = false;
        } // else a backfill was asked for too, and it covers the gap
    }

    run->context = new QObject(this);
    emit pollStarted(module, run->since);
    qCDebug(lcSync).noquote() << "Polling" << module << "since"
                              << (run->since.isValid() ? run->since.toString(Qt::ISODate) : QStringLiteral("ever"));
    m_zoho->listChanged(
        module, {QStringLiteral("id"), QStringLiteral("Modified_Time")}, run->since, run->context,
        [this, run](const QList<QJsonObject>& records) { onPage(run, records); },
        [this, run](Result<ZohoListSummary> summary) {
            if (run->done)
                return;
            if (!summary) {
                finish(run, summary.error());
                return;
            }
            run->pages = summary.value().pages;
            run->records = summary.value().records;
            finish(run, std::nullopt);
        },
        m_config.perPage);
}

void Poller::onPage(const std::shared_ptr<Run>& run, const QList<QJsonObject>& records)
{
    if (run->done)
        return;
    QList<OutboxItem> items;
    items.reserve(records.size());
    for (const QJsonObject& record : records) {
        const QString id = record.value(QStringLiteral("id")).toString();
        const QString modifiedText = record.value(QStringLiteral("Modified_Time")).toString();
        const QDateTime modified = QDateTime::fromString(modifiedText, Qt::ISODateWithMs);
        if (!ChangeEvents::isZohoId(id) || !modified.isValid()) {
            qCWarning(lcSync).noquote() << "Skipping a" << run->module << "record without a usable id or Modified_Time";
            continue;
        }
        if (!run->maxModified.isValid() || modified > run->maxModified) {
            run->maxModified = modified;
            run->maxModifiedText = modifiedText;
        }
        OutboxItem item;
        item.dedupeKey = ChangeEvents::pollDedupeKey(run->module, id, modifiedText);
        item.kind = ChangeEvents::kind();
        item.source = ChangeEvents::pollSource();
        item.module = run->module;
        item.recordId = id;
        item.payload = QString::fromUtf8(
            QJsonDocument(QJsonObject{{QStringLiteral("Modified_Time"), modifiedText}}).toJson(QJsonDocument::Compact));
        items << item;
    }
    if (items.isEmpty())
        return;
    // A page per transaction: a 2,000-record backfill does not hold the writer for the whole walk.
    const auto queued = m_outbox->enqueueMany(items);
    if (!queued) {
        finish(run, queued.error());
        return;
    }
    for (const EnqueueOutcome& outcome : queued.value())
        run->newRows += outcome.duplicate ? 0 : 1;
}

void Poller::finish(const std::shared_ptr<Run>& run, std::optional<Error> error)
{
    run->done = true;
    if (run->context)
        run->context->deleteLater(); // stops a listing that is still paging
    auto it = m_modules.find(run->module);
    if (it == m_modules.end() || it->run != run)
        return; // abandoned by stop()

    PollOutcome outcome;
    outcome.catchUp = run->catchUp;
    outcome.since = run->since;
    outcome.pages = run->pages;
    outcome.records = run->records;
    outcome.newRows = run->newRows;
    outcome.cursor = run->oldCursor;
    if (!error && run->mayMoveCursor && run->maxModified.isValid() &&
        (!run->oldCursor.isValid() || run->maxModified > run->oldCursor)) {
        // Every row of this poll is queued: only now may the cursor pass them.
        const auto written = m_cursors->set(cursorName(run->module), run->maxModifiedText);
        if (written) {
            outcome.cursor = run->maxModified;
            outcome.cursorMoved = true;
        } else {
            error = written.error();
        }
    }
    if (error) {
        outcome.ok = false;
        outcome.error = *error;
        qCWarning(lcSync).noquote() << "Polling" << run->module << "failed; the cursor stays:" << error->message;
    } else {
        qCInfo(lcSync).noquote() << "Polled" << run->module + QLatin1Char(':') << run->records << "listed,"
                                 << run->newRows << "new";
    }

    it->run.reset();
    it->nextDue = now().addSecs(intervalFor(*it));
    if (run->newRows > 0)
        emit eventsQueued(run->newRows);
    emit pollFinished(run->module, run->newRows, outcome);

    // A request that came while this poll ran: run it now (after this call stack unwinds).
    it = m_modules.find(run->module);
    if (it != m_modules.end() && it->pending.wanted && !it->run) {
        const QString module = run->module;
        QTimer::singleShot(0, this, [this, module] {
            auto again = m_modules.find(module);
            if (again != m_modules.end() && again->pending.wanted && !again->run)
                begin(module, std::exchange(again->pending, Request()));
        });
    }
    schedule();
}

void Poller::tick()
{
    if (!m_started)
        return;
    const QDateTime t = now();
    for (const QString& m : std::as_const(m_config.modules)) {
        const ModuleState& state = m_modules[m];
        if (!state.run && state.nextDue.isValid() && t >= state.nextDue)
            request(m, false, QDateTime());
    }
    schedule();
}

void Poller::schedule()
{
    if (!m_started)
        return;
    // The wall clock decides (a suspended machine's timers lag); the timer only wakes us to look.
    const QDateTime t = now();
    qint64 waitMs = m_config.checkIntervalMs;
    for (const ModuleState& state : std::as_const(m_modules)) {
        if (!state.run && state.nextDue.isValid())
            waitMs = qMin(waitMs, qMax<qint64>(0, t.msecsTo(state.nextDue)));
    }
    m_timer.start(int(waitMs));
}

} // namespace Core
