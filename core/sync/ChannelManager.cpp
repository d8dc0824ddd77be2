#include "sync/ChannelManager.h"

#include "Clock.h"
#include "Logging.h"
#include "storage/ChannelStore.h"
#include "sync/ChangeEvents.h"
#include "zoho/ZohoClient.h"

#include <QRandomGenerator>

#include <limits>

namespace Core {

namespace {

constexpr char kStateActive[] = "active";
constexpr char kStatePending[] = "pending";
constexpr char kStateFailed[] = "failed";

Error configError(const QString& text)
{
    return Error(Error::Kind::Config, text);
}

QStringList listSetting(const QVariant& v)
{
    QStringList out = v.typeId() == QMetaType::QStringList || v.typeId() == QMetaType::QVariantList
                          ? v.toStringList()
                          : v.toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
    for (QString& s : out)
        s = s.trimmed();
    return out;
}

// 16 digits, below 2^53: Zoho takes a long, and a JSON number this size stays exact everywhere.
QString randomChannelId()
{
    return QString::number(
        QRandomGenerator::system()->bounded(Q_INT64_C(1000000000000000), Q_INT64_C(9000000000000000)));
}

// 40 URL-safe characters (240 bits); Zoho allows at most 50.
QString randomToken()
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    QString token;
    token.reserve(40);
    for (int i = 0; i < 40; ++i)
        token.append(QLatin1Char(alphabet[QRandomGenerator::system()->bounded(64)]));
    return token;
}

// Zoho's "this channel does not exist": NOT_SUBSCRIBED, or a 4xx that is not about auth or limits.
bool channelIsGone(const Error& error)
{
    return error.code == QLatin1String("NOT_SUBSCRIBED") || error.kind == Error::Kind::NotFound ||
           (error.kind == Error::Kind::InvalidInput && error.httpStatus >= 400 && error.httpStatus < 500);
}

} // namespace

// --- ChannelConfig ---

Result<ChannelConfig> ChannelConfig::fromSettings(const QVariantMap& s)
{
    ChannelConfig c;
    if (s.contains(QStringLiteral("webhook.channel_modules")))
        c.modules = listSetting(s.value(QStringLiteral("webhook.channel_modules")));
    if (s.contains(QStringLiteral("webhook.channel_operations")))
        c.operations = listSetting(s.value(QStringLiteral("webhook.channel_operations")));
    const auto seconds = [&s](const char* key, qint64* out) -> Result<Ok> {
        const QString name = QLatin1String(key);
        if (!s.contains(name))
            return Ok{};
        bool ok = false;
        const qint64 v = s.value(name).toLongLong(&ok);
        if (!ok || v < 0)
            return configError(QObject::tr("%1 must be a number of seconds").arg(name));
        *out = v;
        return Ok{};
    };
    qint64 verifyS = c.verifyIntervalMs / 1000;
    for (const auto& r : {seconds("webhook.channel_lifetime_s", &c.lifetimeS),
                          seconds("webhook.channel_renew_margin_s", &c.renewMarginS),
                          seconds("webhook.channel_verify_interval_s", &verifyS)}) {
        if (!r)
            return r.error();
    }
    if (verifyS > std::numeric_limits<int>::max() / 1000)
        return configError(QObject::tr("webhook.channel_verify_interval_s is too long"));
    c.verifyIntervalMs = int(verifyS * 1000);
    const auto valid = c.validate();
    if (!valid)
        return valid.error();
    return c;
}

Result<Ok> ChannelConfig::validate() const
{
    if (modules.isEmpty())
        return configError(QObject::tr("Notification channels need at least one module"));
    for (const QString& m : modules) {
        if (!ChangeEvents::isModuleName(m))
            return configError(QObject::tr("\"%1\" is not a Zoho module name").arg(m));
    }
    static const QStringList known{QStringLiteral("create"), QStringLiteral("edit"), QStringLiteral("delete"),
                                   QStringLiteral("all")};
    if (operations.isEmpty())
        return configError(QObject::tr("Notification channels need at least one operation"));
    for (const QString& op : operations) {
        if (!known.contains(op))
            return configError(
                QObject::tr("Unknown notification operation \"%1\" (create, edit, delete or all)").arg(op));
    }
    if (lifetimeS > kMaxLifetimeS)
        return configError(QObject::tr("A notification channel lives at most one week (%1 s); %2 s was asked. "
                                       "Zoho would silently give it one hour instead.")
                               .arg(kMaxLifetimeS)
                               .arg(lifetimeS));
    if (lifetimeS < 10)
        return configError(QObject::tr("A notification channel must live at least 10 seconds"));
    if (renewMarginS < 0 || renewMarginS >= lifetimeS)
        return configError(QObject::tr("The renewal margin (%1 s) must be shorter than the channel lifetime (%2 s)")
                               .arg(renewMarginS)
                               .arg(lifetimeS));
    if (checkIntervalMs < 10 || verifyIntervalMs < 0 || retryMinMs < 1 || retryMaxMs < retryMinMs)
        return configError(QObject::tr("The channel timers must be positive, with the retry minimum below the "
                                       "maximum"));
    return Ok{};
}

qint64 ChannelConfig::effectiveRenewMarginS() const
{
    if (renewMarginS > 0)
        return renewMarginS;
    return qMin(qBound(qint64(60), lifetimeS / 10, qint64(3600)), lifetimeS / 2);
}

QStringList ChannelConfig::eventsFor(const QString& module) const
{
    QStringList events;
    for (const QString& op : operations)
        events << module + QLatin1Char('.') + op;
    return events;
}

QString ChannelStatus::stateName(State state)
{
    switch (state) {
    case State::Starting:
        return QStringLiteral("starting");
    case State::Healthy:
        return QStringLiteral("healthy");
    case State::Renewing:
        return QStringLiteral("renewing");
    case State::Expired:
        return QStringLiteral("expired");
    case State::PollingFallback:
        return QStringLiteral("polling_fallback");
    case State::Stopped:
        return QStringLiteral("stopped");
    }
    return QStringLiteral("starting");
}

// --- ChannelManager ---

ChannelManager::ChannelManager(
    ZohoClient* zoho, ChannelStore* store, QUrl notifyUrl, ChannelConfig config, const Clock* clock, QObject* parent)
    : QObject(parent)
    , m_zoho(zoho)
    , m_store(store)
    , m_notifyUrl(std::move(notifyUrl))
    , m_config(std::move(config))
    , m_clock(clock ? clock : SystemClock::instance())
{
    qRegisterMetaType<Core::ChannelStatus>();
    for (const QString& m : std::as_const(m_config.modules)) {
        Slot slot;
        slot.status.module = m;
        slot.status.events = m_config.eventsFor(m);
        m_slots.insert(m, slot);
    }
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer);
    connect(&m_timer, &QTimer::timeout, this, &ChannelManager::tick);
}

ChannelManager::~ChannelManager()
{
    stop();
}

QDateTime ChannelManager::now() const
{
    return m_clock->now();
}

QObject* ChannelManager::callContext()
{
    if (!m_calls)
        m_calls = new QObject(this);
    return m_calls;
}

Result<Ok> ChannelManager::start()
{
    const auto valid = m_config.validate();
    if (!valid)
        return valid;
    if (!m_notifyUrl.isValid() || m_notifyUrl.host().isEmpty())
        return configError(tr("Notification channels need the webhook receiver's URL"));
    if (m_started)
        return Ok{};
    m_started = true;
    for (auto it = m_slots.begin(); it != m_slots.end(); ++it) {
        Slot& slot = it.value();
        const auto stored = m_store->find(it.key());
        if (!stored) {
            qCWarning(lcSync).noquote() << "Cannot read the stored channel of" << it.key() + QLatin1Char(':')
                                        << stored.error().message;
        } else if (stored.value() && stored.value()->state != QLatin1String("disabled") &&
                   stored.value()->events == slot.status.events.join(QLatin1Char(','))) {
            // Reused only if Zoho still lists it (decided in verify()); other events mean a new channel.
            slot.status.channelId = stored.value()->channelId;
            slot.token = stored.value()->token;
            slot.status.expiry = QDateTime::fromMSecsSinceEpoch(stored.value()->expiresAtMs, Qt::UTC);
        }
        slot.busy = false;
        slot.failures = 0;
        slot.status.lastError.clear();
        setState(slot, ChannelStatus::State::Starting);
    }
    verify(m_config.modules);
    schedule();
    return Ok{};
}

void ChannelManager::stop()
{
    const bool wasStarted = m_started;
    m_started = false;
    m_timer.stop();
    if (m_calls)
        m_calls->deleteLater(); // abandons the calls in flight
    m_calls = nullptr;
    if (!wasStarted)
        return;
    for (auto it = m_slots.begin(); it != m_slots.end(); ++it) {
        it->busy = false;
        setState(it.value(), ChannelStatus::State::Stopped);
    }
}

void ChannelManager::disableAll(QObject* context, std::function<void(Result<Ok>)> done)
{
    stop();
    QStringList ids;
    QStringList modules;
    const auto stored = m_store->list();
    if (!stored) {
        done(stored.error());
        return;
    }
    for (const ChannelRecord& c : stored.value()) {
        if (m_slots.contains(c.module)) {
            ids << c.channelId;
            modules << c.module;
        }
    }
    if (ids.isEmpty()) {
        done(Ok{});
        return;
    }
    QPointer<ChannelManager> self(this);
    m_zoho->disableChannels(ids, context, [self, modules, done](Result<Ok> result) {
        // Channels Zoho no longer knows (expired, deleted) are gone all the same.
        if (!result && !channelIsGone(result.error())) {
            done(result.error());
            return;
        }
        if (!self) {
            done(Ok{});
            return;
        }
        for (const QString& m : modules) {
            const auto removed = self->m_store->remove(m);
            if (!removed) {
                done(removed.error());
                return;
            }
            Slot& slot = self->m_slots[m];
            slot.status.channelId.clear();
            slot.token.clear();
            slot.status.expiry = QDateTime();
            emit self->stateChanged(m);
        }
        qCInfo(lcSync).noquote() << "Disabled the notification channels of" << modules.join(QStringLiteral(", "));
        done(Ok{});
    });
}

void ChannelManager::verifyNow()
{
    if (m_started)
        verify(m_config.modules);
}

void ChannelManager::renewNow()
{
    if (!m_started)
        return;
    for (auto it = m_slots.begin(); it != m_slots.end(); ++it) {
        if (it->status.state == ChannelStatus::State::Healthy && !it->busy)
            renew(it.key());
    }
}

void ChannelManager::checkNow()
{
    tick();
}

void ChannelManager::setNotifyUrl(const QUrl& url)
{
    m_notifyUrl = url;
}

QList<ChannelStatus> ChannelManager::channels() const
{
    QList<ChannelStatus> out;
    for (const QString& m : m_config.modules)
        out << m_slots.value(m).status;
    return out;
}

ChannelStatus ChannelManager::channel(const QString& module) const
{
    return m_slots.value(module).status;
}

void ChannelManager::noteEvent(const QString& module, const QDateTime& serverTime)
{
    auto it = m_slots.find(module);
    if (it == m_slots.end() || !serverTime.isValid())
        return;
    if (!it->status.lastEventTime.isValid() || serverTime > it->status.lastEventTime)
        it->status.lastEventTime = serverTime;
}

void ChannelManager::setState(Slot& slot, ChannelStatus::State state)
{
    slot.status.state = state;
    emit stateChanged(slot.status.module);
}

void ChannelManager::markMissed(Slot& slot)
{
    if (slot.missedEvents)
        return;
    slot.missedEvents = true;
    slot.catchUpSince = slot.status.lastEventTime.isValid() ? slot.status.lastEventTime : slot.healthySince;
}

const ZohoChannelInfo*
ChannelManager::entryFor(const QList<ZohoChannelInfo>& entries, const QString& module, const QString& channelId)
{
    for (const ZohoChannelInfo& e : entries) {
        if (e.channelId == channelId && (e.module.isEmpty() || e.module == module))
            return &e;
    }
    return nullptr;
}

void ChannelManager::verify(const QStringList& modules)
{
    QStringList todo;
    for (const QString& m : modules) {
        Slot& slot = m_slots[m];
        if (!slot.busy) {
            slot.busy = true;
            todo << m;
        }
    }
    if (todo.isEmpty())
        return;
    m_zoho->channels(callContext(), [this, todo](Result<QList<ZohoChannelInfo>> listed) {
        for (const QString& m : todo)
            m_slots[m].busy = false;
        if (!m_started)
            return;
        for (const QString& m : todo) {
            Slot& slot = m_slots[m];
            if (listed) {
                decide(m, listed.value());
            } else if (slot.status.state == ChannelStatus::State::Healthy) {
                // Cannot look, but nothing says the channel is broken: look again later.
                slot.status.lastError = listed.error().message;
                slot.nextVerify = now().addMSecs(qMax(m_config.verifyIntervalMs, m_config.retryMinMs));
            } else {
                fail(m, listed.error());
            }
        }
        schedule();
    });
}

void ChannelManager::decide(const QString& module, const QList<ZohoChannelInfo>& listed)
{
    Slot& slot = m_slots[module];
    const QDateTime t = now();
    const ZohoChannelInfo* entry =
        slot.status.channelId.isEmpty() ? nullptr : entryFor(listed, module, slot.status.channelId);
    if (entry && entry->expiry.isValid() && entry->expiry > t) {
        if (slot.status.state == ChannelStatus::State::Healthy && entry->expiry == slot.status.expiry &&
            entry->notifyUrl == m_notifyUrl) {
            // A routine look: all is as we left it.
            if (m_config.verifyIntervalMs > 0)
                slot.nextVerify = t.addMSecs(m_config.verifyIntervalMs);
            return;
        }
        slot.status.expiry = entry->expiry;
        slot.notifyUrl = entry->notifyUrl;
        if (t.secsTo(entry->expiry) <= m_config.effectiveRenewMarginS() || entry->notifyUrl != m_notifyUrl)
            renew(module);
        else
            becomeHealthy(module, slot.status.channelId, entry->expiry);
        return;
    }
    if (slot.status.state == ChannelStatus::State::Healthy) {
        qCWarning(lcSync).noquote() << "Zoho no longer lists the" << module << "channel" << slot.status.channelId
                                    << "any more; creating a new one";
        markMissed(slot);
    }
    create(module);
}

void ChannelManager::create(const QString& module)
{
    Slot& slot = m_slots[module];
    slot.busy = true;
    if (slot.status.state == ChannelStatus::State::Healthy || slot.status.state == ChannelStatus::State::Starting)
        setState(slot, ChannelStatus::State::Renewing);
    const QString id = randomChannelId();
    const QString token = randomToken();
    const QDateTime expiry = now().addSecs(m_config.lifetimeS);

    // Stored before Zoho hears of it, so the receiver already knows the token of the first callback.
    ChannelRecord record;
    record.module = module;
    record.channelId = id;
    record.token = token;
    record.events = slot.status.events.join(QLatin1Char(','));
    record.expiresAtMs = expiry.toMSecsSinceEpoch();
    record.state = QLatin1String(kStatePending);
    if (const auto stored = m_store->upsert(record); !stored) {
        slot.busy = false;
        fail(module, stored.error());
        return;
    }
    slot.status.channelId = id;
    slot.token = token;

    ZohoChannelSpec spec;
    spec.channelId = id;
    spec.events = slot.status.events;
    spec.notifyUrl = m_notifyUrl;
    spec.token = token;
    spec.expiry = expiry;
    const QUrl url = m_notifyUrl;
    m_zoho->enableChannel(spec, callContext(), [this, module, id, url](Result<QList<ZohoChannelInfo>> answer) {
        Slot& s = m_slots[module];
        s.busy = false;
        if (!m_started || s.status.channelId != id)
            return;
        if (!answer) {
            fail(module, answer.error());
            schedule();
            return;
        }
        const ZohoChannelInfo* entry = entryFor(answer.value(), module, id);
        if (!entry || !entry->expiry.isValid()) {
            fail(
                module,
                Error(
                    Error::Kind::BadResponse,
                    tr("Zoho enabled notification channel %1 for %2 but did not say when it expires").arg(id, module)));
            schedule();
            return;
        }
        s.notifyUrl = url;
        qCInfo(lcSync).noquote() << "Enabled notification channel" << id << "for" << module << "until"
                                 << entry->expiry.toString(Qt::ISODate);
        becomeHealthy(module, id, entry->expiry);
        schedule();
    });
}

void ChannelManager::renew(const QString& module)
{
    Slot& slot = m_slots[module];
    slot.busy = true;
    if (slot.status.state == ChannelStatus::State::Healthy || slot.status.state == ChannelStatus::State::Starting)
        setState(slot, ChannelStatus::State::Renewing);
    ZohoChannelSpec spec;
    spec.channelId = slot.status.channelId;
    spec.expiry = now().addSecs(m_config.lifetimeS);
    if (slot.notifyUrl != m_notifyUrl)
        spec.notifyUrl = m_notifyUrl; // the receiver moved (another port, a new tunnel)
    const QString id = spec.channelId;
    const QUrl url = m_notifyUrl;
    m_zoho->renewChannel(
        spec, ZohoClient::RenewMethod::Patch, callContext(),
        [this, module, id, url](Result<QList<ZohoChannelInfo>> answer) {
            Slot& s = m_slots[module];
            s.busy = false;
            if (!m_started || s.status.channelId != id)
                return;
            if (!answer) {
                if (channelIsGone(answer.error())) {
                    qCInfo(lcSync).noquote() << "Zoho no longer knows the" << module << "channel"
                                             << id + QStringLiteral("; creating a new one");
                    if (s.status.state != ChannelStatus::State::PollingFallback)
                        markMissed(s);
                    create(module);
                } else {
                    fail(module, answer.error());
                }
                schedule();
                return;
            }
            const ZohoChannelInfo* entry = entryFor(answer.value(), module, id);
            if (!entry || !entry->expiry.isValid()) {
                fail(module,
                     Error(
                         Error::Kind::BadResponse,
                         tr("Zoho renewed notification channel %1 for %2 but did not say until when").arg(id, module)));
                schedule();
                return;
            }
            s.notifyUrl = url;
            qCInfo(lcSync).noquote() << "Renewed notification channel" << id << "for" << module << "until"
                                     << entry->expiry.toString(Qt::ISODate);
            becomeHealthy(module, id, entry->expiry);
            schedule();
        });
}

void ChannelManager::becomeHealthy(const QString& module, const QString& channelId, const QDateTime& expiry)
{
    Slot& slot = m_slots[module];
    ChannelRecord record;
    record.module = module;
    record.channelId = channelId;
    record.token = slot.token;
    record.events = slot.status.events.join(QLatin1Char(','));
    record.expiresAtMs = expiry.toMSecsSinceEpoch(); // what Zoho answered, not what we asked
    record.state = QLatin1String(kStateActive);
    if (const auto stored = m_store->upsert(record); !stored) {
        fail(module, stored.error());
        return;
    }
    const QDateTime t = now();
    slot.status.channelId = channelId;
    slot.status.expiry = expiry;
    slot.status.lastError.clear();
    slot.status.fallbackSince = QDateTime();
    slot.failures = 0;
    // Renew a margin before expiry. When Zoho granted less than asked (it answers one hour for what
    // it will not grant) and the margin would come soon, renew halfway instead: a short answer must
    // not turn into back-to-back renewals.
    const qint64 remainingMs = qMax<qint64>(0, t.msecsTo(expiry));
    const bool shortened = remainingMs < m_config.lifetimeS * 900; // under 90% of the lifetime
    const QDateTime halfway = t.addMSecs(remainingMs / 2);
    slot.dueAt = expiry.addSecs(-m_config.effectiveRenewMarginS());
    if (slot.dueAt <= t || (shortened && slot.dueAt < halfway))
        slot.dueAt = halfway;
    slot.status.nextAction = slot.dueAt;
    if (m_config.verifyIntervalMs > 0)
        slot.nextVerify = t.addMSecs(m_config.verifyIntervalMs);
    if (slot.status.state != ChannelStatus::State::Healthy && slot.status.state != ChannelStatus::State::Renewing)
        slot.healthySince = t;
    if (!slot.healthySince.isValid())
        slot.healthySince = t;
    const bool restored = slot.missedEvents;
    const QDateTime since = slot.catchUpSince;
    slot.missedEvents = false;
    slot.catchUpSince = QDateTime();
    setState(slot, ChannelStatus::State::Healthy);
    emit channelReady(module, channelId, expiry);
    if (restored) {
        qCInfo(lcSync).noquote() << "The" << module << "channel works again; catching up on the gap";
        emit channelRestored(module, since);
    }
}

void ChannelManager::fail(const QString& module, const Error& error)
{
    Slot& slot = m_slots[module];
    ++slot.failures;
    slot.status.lastError = error.message;
    qint64 delay = m_config.retryMinMs;
    for (int i = 1; i < slot.failures && delay < m_config.retryMaxMs; ++i)
        delay *= 2;
    delay = qMin<qint64>(delay, m_config.retryMaxMs);
    const QDateTime t = now();
    slot.dueAt = t.addMSecs(delay);
    slot.status.nextAction = slot.dueAt;
    if (!slot.status.channelId.isEmpty()) {
        ChannelRecord record;
        record.module = module;
        record.channelId = slot.status.channelId;
        record.token = slot.token;
        record.events = slot.status.events.join(QLatin1Char(','));
        record.expiresAtMs = slot.status.expiry.isValid() ? slot.status.expiry.toMSecsSinceEpoch() : 0;
        record.state = QLatin1String(kStateFailed);
        record.lastError = error.message;
        if (const auto stored = m_store->upsert(record); !stored)
            qCWarning(lcSync).noquote() << "Cannot record the channel failure of" << module + QLatin1Char(':')
                                        << stored.error().message;
    }
    if (slot.status.state == ChannelStatus::State::PollingFallback) {
        qCInfo(lcSync).noquote() << "The" << module << "channel is still down; next try in" << delay / 1000
                                 << "s:" << error.message;
        emit stateChanged(module);
        return;
    }
    const QDateTime since = slot.status.lastEventTime.isValid() ? slot.status.lastEventTime : slot.healthySince;
    slot.missedEvents = true;
    if (since.isValid() && (!slot.catchUpSince.isValid() || since < slot.catchUpSince))
        slot.catchUpSince = since;
    slot.status.fallbackSince = t;
    qCWarning(lcSync).noquote() << "The" << module
                                << "notification channel failed; polling instead until it is back:" << error.message;
    setState(slot, ChannelStatus::State::PollingFallback);
    emit fallbackActivated(module, since);
}

void ChannelManager::tick()
{
    if (!m_started)
        return;
    const QDateTime t = now();
    QStringList toVerify;
    for (auto it = m_slots.begin(); it != m_slots.end(); ++it) {
        Slot& slot = it.value();
        if (slot.busy)
            continue;
        switch (slot.status.state) {
        case ChannelStatus::State::Healthy:
            if (slot.status.expiry.isValid() && t >= slot.status.expiry) {
                // The machine slept through the renewal: Zoho has stopped calling.
                qCWarning(lcSync).noquote() << "The" << it.key() << "channel expired before it was renewed";
                markMissed(slot);
                setState(slot, ChannelStatus::State::Expired);
                create(it.key());
            } else if (slot.dueAt.isValid() && t >= slot.dueAt) {
                renew(it.key());
            } else if (m_config.verifyIntervalMs > 0 && slot.nextVerify.isValid() && t >= slot.nextVerify) {
                toVerify << it.key();
            }
            break;
        case ChannelStatus::State::PollingFallback:
        case ChannelStatus::State::Expired:
            if (slot.dueAt.isValid() && t >= slot.dueAt)
                toVerify << it.key(); // a channel that is still listed is renewed, not duplicated
            break;
        case ChannelStatus::State::Starting:
        case ChannelStatus::State::Renewing:
        case ChannelStatus::State::Stopped:
            break;
        }
    }
    if (!toVerify.isEmpty())
        verify(toVerify);
    schedule();
}

void ChannelManager::schedule()
{
    if (!m_started)
        return;
    // The wall clock decides (timers lag across suspend); the timer only wakes us to look.
    const QDateTime t = now();
    qint64 waitMs = m_config.checkIntervalMs;
    const auto consider = [&](const QDateTime& when) {
        if (when.isValid())
            waitMs = qMin(waitMs, qMax<qint64>(0, t.msecsTo(when)));
    };
    for (const Slot& slot : std::as_const(m_slots)) {
        if (slot.busy)
            continue;
        consider(slot.dueAt);
        if (slot.status.state == ChannelStatus::State::Healthy) {
            consider(slot.status.expiry);
            if (m_config.verifyIntervalMs > 0)
                consider(slot.nextVerify);
        }
    }
    m_timer.start(int(waitMs));
}

} // namespace Core
