// Change detection against ml-connector-sim over real loopback HTTP: notification channels are
// enabled, renewed before they expire, re-created when gone and replaced by polling when renewal
// fails; callbacks go through the real webhook receiver into the outbox; the poller walks past
// 2,000 records and resumes from its cursor.
#include "SimTestClient.h"

#include "Clock.h"
#include "demo/DemoProfile.h"
#include "net/Connections.h"
#include "secrets/MemoryCredentialStore.h"
#include "storage/ChannelStore.h"
#include "storage/CursorStore.h"
#include "storage/Database.h"
#include "sync/ChangeEvents.h"
#include "sync/ChannelManager.h"
#include "sync/OutboxStore.h"
#include "sync/Poller.h"
#include "webhook/WebhookReceiver.h"
#include "zoho/ZohoClient.h"

#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <memory>

using namespace Core;
using SimTest::problem;
using SimTest::Waiter;

namespace {

// Wall-clock time that moves only when told (a machine that sleeps and wakes up).
class FakeClock final : public Clock
{
public:
    explicit FakeClock(QDateTime start)
        : m_now(std::move(start))
    { }
    QDateTime now() const override { return m_now; }
    void advanceSecs(qint64 s) { m_now = m_now.addSecs(s); }

private:
    QDateTime m_now;
};

const QString kContacts = QStringLiteral("Contacts");
const QString kAccounts = QStringLiteral("Accounts");

// Everything the change-detection side needs, on one profile database.
struct Stack
{
    QNetworkAccessManager network;
    MemoryCredentialStore secrets;
    std::unique_ptr<Connections> connections;
    std::unique_ptr<Database> db;
    std::unique_ptr<OutboxStore> outbox;
    std::unique_ptr<ChannelStore> channelStore;
    std::unique_ptr<CursorStore> cursors;
    std::unique_ptr<WebhookReceiver> receiver;
    std::unique_ptr<ChannelManager> channels;
    std::unique_ptr<Poller> poller;

    // Empty when built; else what went wrong.
    QString build(const DemoProfile& profile,
                  const QString& dbPath,
                  const ChannelConfig& channelConfig,
                  const PollerConfig& pollerConfig,
                  const Clock* channelClock = nullptr)
    {
        for (const auto& secret : profile.secrets)
            secrets.write(secret.first, secret.second, &secrets, [](Result<Ok>) {});
        RetryPolicy retry;
        retry.baseDelayMs = 50; // the API client's own retries stay quick in tests
        retry.maxDelayMs = 400;
        connections = std::make_unique<Connections>(&network, &secrets, profile.zoho, profile.oracle, retry);
        auto opened = Database::open(dbPath);
        if (!opened)
            return opened.error().message;
        db = std::move(opened.value());
        outbox = std::make_unique<OutboxStore>(*db);
        channelStore = std::make_unique<ChannelStore>(*db);
        cursors = std::make_unique<CursorStore>(*db);
        WebhookConfig webhook;
        webhook.port = 0;
        receiver =
            std::make_unique<WebhookReceiver>(webhook, outbox.get(), WebhookReceiver::tokensFrom(channelStore.get()));
        const auto listening = receiver->start();
        if (!listening)
            return listening.error().message;
        channels = std::make_unique<ChannelManager>(connections->zoho(), channelStore.get(), receiver->publicUrl(),
                                                    channelConfig, channelClock);
        poller = std::make_unique<Poller>(connections->zoho(), outbox.get(), cursors.get(), pollerConfig);
        connectChangeDetection(receiver.get(), channels.get(), poller.get());
        return {};
    }

    bool healthy(const QString& module) const
    {
        return channels->channel(module).state == ChannelStatus::State::Healthy;
    }

    QList<OutboxItem> rows() const
    {
        const auto all = outbox->listByState(OutboxItem::State::Pending, 100000);
        return all.ok() ? all.value() : QList<OutboxItem>();
    }

    QList<OutboxItem> rowsFor(const QString& recordId, const QString& source = {}) const
    {
        QList<OutboxItem> out;
        for (const OutboxItem& row : rows()) {
            if (row.recordId == recordId && (source.isEmpty() || row.source == source))
                out << row;
        }
        return out;
    }

    ChannelRecord stored(const QString& module) const
    {
        const auto found = channelStore->find(module);
        return found.ok() && found.value() ? *found.value() : ChannelRecord();
    }
};

PollerConfig quietPoller(const QStringList& modules = {kContacts, kAccounts})
{
    PollerConfig c;
    c.modules = modules;
    c.pollOnStart = false;
    c.intervalS = 3600;
    return c;
}

ChannelConfig shortLived()
{
    ChannelConfig c;
    c.lifetimeS = 40;
    c.renewMarginS = 30; // renewal about 10 s after creation
    c.checkIntervalMs = 500;
    c.verifyIntervalMs = 0;
    c.retryMinMs = 3000;
    c.retryMaxMs = 6000;
    return c;
}

} // namespace

class tst_ChannelsAndPolling : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QString why;
        m_base = SimTest::startSimulator(m_simulator, {QStringLiteral("--seed"), QStringLiteral("7")}, &why);
        QVERIFY2(m_base.isValid(), qPrintable(why));
        m_control.setBase(m_base);
    }

    void init()
    {
        reset(50, 20);
        m_profile = DemoProfile::forSimulator(m_base);
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
    }

    void cleanup()
    {
        m_stack.reset();
        m_dir.reset();
    }

    void aLifetimeOverAWeekIsRefused()
    {
        ChannelConfig c;
        c.lifetimeS = ChannelConfig::kMaxLifetimeS + 1;
        const auto refused = c.validate();
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().kind, Error::Kind::Config);
        QVERIFY2(refused.error().message.contains(QStringLiteral("one week")), qPrintable(refused.error().message));
        QVERIFY(!ChannelConfig::fromSettings({{QStringLiteral("webhook.channel_lifetime_s"), 8 * 24 * 3600}}).ok());
        c.lifetimeS = ChannelConfig::kMaxLifetimeS;
        QVERIFY(c.validate().ok());

        // The automatic margin: 10% of the lifetime within [60 s, 1 h], at most half the lifetime.
        c.lifetimeS = 24 * 3600;
        QCOMPARE(c.effectiveRenewMarginS(), qint64(3600));
        c.lifetimeS = 1200;
        QCOMPARE(c.effectiveRenewMarginS(), qint64(120));
        c.lifetimeS = 300;
        QCOMPARE(c.effectiveRenewMarginS(), qint64(60));
        c.lifetimeS = 40;
        QCOMPARE(c.effectiveRenewMarginS(), qint64(20));
        c.renewMarginS = 40;
        QVERIFY(!c.validate().ok()); // a margin as long as the lifetime leaves no time
        c.renewMarginS = 0;
        c.operations = {QStringLiteral("update")};
        QVERIFY(!c.validate().ok());

        // A refused configuration creates nothing at Zoho.
        ChannelConfig week;
        week.lifetimeS = 8 * 24 * 3600;
        build(week, quietPoller());
        const auto started = m_stack->channels->start();
        QVERIFY(!started.ok());
        QCOMPARE(started.error().kind, Error::Kind::Config);
        QTest::qWait(200);
        QCOMPARE(simChannels().size(), 0);
    }

    void channelsAreEnabledForBothModulesWithTheExpiryTheApiReturned()
    {
        build(ChannelConfig(), quietPoller());
        const auto started = m_stack->channels->start();
        QVERIFY2(started.ok(), qPrintable(problem(started)));
        QTRY_VERIFY_WITH_TIMEOUT(m_stack->healthy(kContacts) && m_stack->healthy(kAccounts), SimTest::kTimeoutMs);

        QStringList ids;
        for (const QString& module : {kContacts, kAccounts}) {
            const ChannelRecord stored = m_stack->stored(module);
            QCOMPARE(stored.state, QStringLiteral("active"));
            QCOMPARE(stored.events, module + QStringLiteral(".all"));
            QCOMPARE(stored.token.size(), 40);
            QVERIFY(SimTest::isDigits(stored.channelId));
            ids << stored.channelId;

            const QJsonObject sim = simChannel(stored.channelId);
            QVERIFY2(!sim.isEmpty(), qPrintable(stored.channelId));
            // The stored expiry is the one Zoho answered (seconds, as Zoho writes it).
            QCOMPARE(sim.value(QStringLiteral("expires_at_ms")).toInteger(), stored.expiresAtMs);
            QCOMPARE(sim.value(QStringLiteral("state")).toString(), QStringLiteral("active"));
            QCOMPARE(sim.value(QStringLiteral("token")).toString(), stored.token);
            QCOMPARE(sim.value(QStringLiteral("notify_url")).toString(), m_stack->receiver->publicUrl().toString());
            QCOMPARE(sim.value(QStringLiteral("events")).toArray(),
                     QJsonArray{QJsonValue(module + QStringLiteral(".all"))});
            // A day was asked for by default; renewal an hour before it ends.
            const qint64 day = 24LL * 3600 * 1000;
            QVERIFY(qAbs(stored.expiresAtMs - (QDateTime::currentMSecsSinceEpoch() + day)) < 120000);
            const ChannelStatus status = m_stack->channels->channel(module);
            QCOMPARE(status.expiry.toMSecsSinceEpoch(), stored.expiresAtMs);
            QCOMPARE(status.nextAction.toMSecsSinceEpoch(), stored.expiresAtMs - 3600 * 1000);
        }
        QVERIFY(ids.at(0) != ids.at(1));
    }

    void anEditArrivesThroughTheRealReceiver()
    {
        build(ChannelConfig(), quietPoller());
        QVERIFY(m_stack->channels->start().ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_stack->healthy(kContacts), SimTest::kTimeoutMs);
        QSignalSpy queued(m_stack->receiver.get(), &WebhookReceiver::eventsQueued);
        const QString id = someRecordId(kContacts, 3);
        edit(kContacts, id, {{QStringLiteral("Phone"), QStringLiteral("+49 30 1234567")}});

        QTRY_COMPARE_WITH_TIMEOUT(m_stack->rowsFor(id, QStringLiteral("webhook")).size(), 1, SimTest::kTimeoutMs);
        const OutboxItem row = m_stack->rowsFor(id, QStringLiteral("webhook")).first();
        QCOMPARE(row.kind, QStringLiteral("zoho_change"));
        QCOMPARE(row.module, kContacts);
        const QJsonObject payload = QJsonDocument::fromJson(row.payload.toUtf8()).object();
        QCOMPARE(payload.value(QStringLiteral("operation")).toString(), QStringLiteral("update"));
        QCOMPARE(payload.value(QStringLiteral("channel_id")).toString(), m_stack->stored(kContacts).channelId);
        QVERIFY(payload.value(QStringLiteral("affected_fields")).toArray().contains(QStringLiteral("Phone")));
        QVERIFY(row.dedupeKey.startsWith(QStringLiteral("zoho:Contacts:%1:").arg(id)));
        QCOMPARE(queued.count(), 1);
        // The sim saw a 200, and the manager knows when the last event came.
        QTRY_VERIFY(lastCallback().value(QStringLiteral("state")).toString() == QLatin1String("delivered"));
        QVERIFY(m_stack->channels->channel(kContacts).lastEventTime.isValid());
        QCOMPARE(m_stack->receiver->counters().accepted, qint64(1));
    }

    void aShortLivedChannelIsRenewedBeforeItExpires()
    {
        build(shortLived(), quietPoller());
        QVERIFY(m_stack->channels->start().ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_stack->healthy(kContacts), SimTest::kTimeoutMs);
        const ChannelRecord first = m_stack->stored(kContacts);
        const qint64 originalExpiry = first.expiresAtMs;
        QSignalSpy ready(m_stack->channels.get(), &ChannelManager::channelReady);

        QTRY_VERIFY_WITH_TIMEOUT(countFor(ready, kContacts) >= 1, 35000);
        const qint64 renewedAt = QDateTime::currentMSecsSinceEpoch();
        // The margin of 30 s puts the renewal about 10 s after creation, 30 s before expiry.
        QVERIFY2(renewedAt < originalExpiry - 20000,
                 qPrintable(QStringLiteral("renewed %1 ms before expiry").arg(originalExpiry - renewedAt)));
        const ChannelRecord renewed = m_stack->stored(kContacts);
        QCOMPARE(renewed.channelId, first.channelId); // renewed, not replaced
        QVERIFY(renewed.expiresAtMs > originalExpiry);
        const QJsonObject sim = simChannel(renewed.channelId);
        QCOMPARE(sim.value(QStringLiteral("expires_at_ms")).toInteger(), renewed.expiresAtMs);
        QCOMPARE(statsEndpoint(QStringLiteral("zoho.watch.update")) >= 1, true);

        // Past the original expiry (on Zoho's clock) callbacks still come: the channel lives on.
        advanceSimPast(originalExpiry);
        QCOMPARE(simChannel(renewed.channelId).value(QStringLiteral("state")).toString(), QStringLiteral("active"));
        const QString id = someRecordId(kContacts, 5);
        edit(kContacts, id, {{QStringLiteral("Email"), QStringLiteral("renewed@example.com")}});
        QTRY_COMPARE_WITH_TIMEOUT(m_stack->rowsFor(id, QStringLiteral("webhook")).size(), 1, SimTest::kTimeoutMs);
    }

    void aFailedRenewalFallsBackToPollingWithoutMissingARecord()
    {
        PollerConfig pc;
        pc.modules = {kContacts, kAccounts};
        pc.intervalS = 3600;
        pc.fallbackIntervalS = 2;
        pc.checkIntervalMs = 500;
        build(shortLived(), pc);
        QSignalSpy polled(m_stack->poller.get(), &Poller::pollFinished);
        QVERIFY(m_stack->poller->start().ok());
        QTRY_VERIFY_WITH_TIMEOUT(polled.count() >= 2, SimTest::kTimeoutMs); // the first backfill of both
        QCOMPARE(m_stack->rows().size(), 70);
        QVERIFY(m_stack->poller->cursor(kContacts).isValid());

        QVERIFY(m_stack->channels->start().ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_stack->healthy(kContacts), SimTest::kTimeoutMs);
        const ChannelRecord first = m_stack->stored(kContacts);
        QSignalSpy fallback(m_stack->channels.get(), &ChannelManager::fallbackActivated);
        QSignalSpy restored(m_stack->channels.get(), &ChannelManager::channelRestored);

        // Every renewal now fails with 500s (the API client retries each one before giving up).
        scriptFault({{QStringLiteral("match"), QStringLiteral("PATCH /crm/v8/actions/watch")},
                     {QStringLiteral("count"), 100000},
                     {QStringLiteral("status"), 500}});
        QTRY_VERIFY_WITH_TIMEOUT(countFor(fallback, kContacts) == 1, 40000);
        QCOMPARE(m_stack->channels->channel(kContacts).state, ChannelStatus::State::PollingFallback);
        QVERIFY(!m_stack->channels->channel(kContacts).lastError.isEmpty());
        QVERIFY(m_stack->poller->isFallbackActive(kContacts));
        QCOMPARE(m_stack->stored(kContacts).state, QStringLiteral("failed"));

        // The channel dies at Zoho: its expiry passes, and edits made now send no callback.
        advanceSimPast(first.expiresAtMs);
        const qint64 seqBefore = lastCallback().value(QStringLiteral("seq")).toInteger();
        QStringList edited;
        QStringList modified;
        for (int i = 0; i < 3; ++i) {
            const QString id = someRecordId(kContacts, 10 + i);
            const QJsonObject record =
                edit(kContacts, id, {{QStringLiteral("Phone"), QStringLiteral("+33 1 0%1").arg(i)}});
            edited << id;
            modified << SimTest::findKey(record, QStringLiteral("Modified_Time")).toString();
            QVERIFY(!modified.last().isEmpty());
        }
        const auto sent = m_control.get(QStringLiteral("/_sim/callbacks"), {},
                                        {{QStringLiteral("after"), QString::number(seqBefore)}});
        QVERIFY2(SimTest::listOf(sent).isEmpty(), sent.body.constData());

        // Polling still finds every one of them: no record is missed.
        for (int i = 0; i < edited.size(); ++i) {
            const QString key = ChangeEvents::pollDedupeKey(kContacts, edited.at(i), modified.at(i));
            QTRY_VERIFY_WITH_TIMEOUT(
                [&] {
                    for (const OutboxItem& row : m_stack->rowsFor(edited.at(i), QStringLiteral("poll")))
                        if (row.dedupeKey == key)
                            return true;
                    return false;
                }(),
                SimTest::kTimeoutMs);
            QVERIFY(m_stack->rowsFor(edited.at(i), QStringLiteral("webhook")).isEmpty());
        }

        // The manager keeps trying: a new channel replaces the dead one, and callbacks flow again.
        QTRY_VERIFY_WITH_TIMEOUT(m_stack->healthy(kContacts), SimTest::kTimeoutMs);
        QVERIFY(countFor(restored, kContacts) >= 1);
        QVERIFY(!m_stack->poller->isFallbackActive(kContacts));
        const ChannelRecord second = m_stack->stored(kContacts);
        QVERIFY(second.channelId != first.channelId);
        QCOMPARE(simChannel(second.channelId).value(QStringLiteral("state")).toString(), QStringLiteral("active"));
        clearFaults();
        const QString later = someRecordId(kContacts, 20);
        edit(kContacts, later, {{QStringLiteral("Phone"), QStringLiteral("+33 1 99")}});
        QTRY_COMPARE_WITH_TIMEOUT(m_stack->rowsFor(later, QStringLiteral("webhook")).size(), 1, SimTest::kTimeoutMs);
    }

    void aDeletedChannelIsRecreated()
    {
        ChannelConfig c;
        c.verifyIntervalMs = 1500; // look at Zoho's list often
        c.checkIntervalMs = 500;
        build(c, quietPoller());
        QVERIFY(m_stack->channels->start().ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_stack->healthy(kContacts) && m_stack->healthy(kAccounts), SimTest::kTimeoutMs);
        const QString oldId = m_stack->stored(kContacts).channelId;
        const QString accountsId = m_stack->stored(kAccounts).channelId;
        QSignalSpy restored(m_stack->channels.get(), &ChannelManager::channelRestored);

        // Someone deletes the channel at Zoho (DELETE /crm/v8/actions/watch).
        Waiter<Ok> deleted;
        m_stack->connections->zoho()->disableChannels({oldId}, this, deleted.callback());
        QVERIFY(deleted.wait());
        QVERIFY2(deleted->ok(), qPrintable(problem(*deleted)));
        QVERIFY(simChannel(oldId).isEmpty());

        QTRY_VERIFY_WITH_TIMEOUT(m_stack->stored(kContacts).channelId != oldId && m_stack->healthy(kContacts),
                                 SimTest::kTimeoutMs);
        QCOMPARE(countFor(restored, kContacts), 1); // the poller catches up on the gap
        const QString newId = m_stack->stored(kContacts).channelId;
        QCOMPARE(simChannel(newId).value(QStringLiteral("state")).toString(), QStringLiteral("active"));
        QCOMPARE(m_stack->stored(kAccounts).channelId, accountsId); // the other one is left alone

        const QString id = someRecordId(kContacts, 7);
        edit(kContacts, id, {{QStringLiteral("Phone"), QStringLiteral("+1 555 0100")}});
        QTRY_COMPARE_WITH_TIMEOUT(m_stack->rowsFor(id, QStringLiteral("webhook")).size(), 1, SimTest::kTimeoutMs);
        const QJsonObject payload =
            QJsonDocument::fromJson(m_stack->rowsFor(id, QStringLiteral("webhook")).first().payload.toUtf8()).object();
        QCOMPARE(payload.value(QStringLiteral("channel_id")).toString(), newId);
    }

    void aMachineThatSleptPastTheExpiryRecreatesTheChannel()
    {
        FakeClock clock(QDateTime::currentDateTimeUtc());
        ChannelConfig c;
        c.checkIntervalMs = 500;
        c.verifyIntervalMs = 0;
        build(c, quietPoller(), {}, &clock);
        QVERIFY(m_stack->channels->start().ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_stack->healthy(kContacts) && m_stack->healthy(kAccounts), SimTest::kTimeoutMs);
        const ChannelRecord before = m_stack->stored(kContacts);
        QSignalSpy restored(m_stack->channels.get(), &ChannelManager::channelRestored);

        // Suspended for 25 hours: no timer fired, but the wall clock is past the day-long expiry.
        clock.advanceSecs(25 * 3600);
        m_stack->channels->checkNow();
        QCOMPARE(m_stack->channels->channel(kContacts).state, ChannelStatus::State::Expired);
        QTRY_VERIFY_WITH_TIMEOUT(m_stack->healthy(kContacts) && m_stack->healthy(kAccounts), SimTest::kTimeoutMs);
        const ChannelRecord after = m_stack->stored(kContacts);
        QVERIFY(after.channelId != before.channelId);
        QCOMPARE(simChannel(after.channelId).value(QStringLiteral("expires_at_ms")).toInteger(), after.expiresAtMs);
        QVERIFY(after.expiresAtMs > before.expiresAtMs);
        QCOMPARE(countFor(restored, kContacts), 1); // the poller catches up on the time asleep
    }

    void aStoredChannelIsReusedAfterARestart()
    {
        const QString db = m_dir->filePath(QStringLiteral("restart.sqlite"));
        build(ChannelConfig(), quietPoller(), db);
        QVERIFY(m_stack->channels->start().ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_stack->healthy(kContacts) && m_stack->healthy(kAccounts), SimTest::kTimeoutMs);
        const ChannelRecord before = m_stack->stored(kContacts);
        const qint64 enables = statsEndpoint(QStringLiteral("zoho.watch.enable"));
        QCOMPARE(enables, qint64(2));
        m_stack.reset();

        // The app starts again on another port: the same channels, pointed at the new address.
        build(ChannelConfig(), quietPoller(), db);
        QVERIFY(m_stack->channels->start().ok());
        QTRY_VERIFY_WITH_TIMEOUT(m_stack->healthy(kContacts) && m_stack->healthy(kAccounts), SimTest::kTimeoutMs);
        QCOMPARE(m_stack->stored(kContacts).channelId, before.channelId);
        QCOMPARE(statsEndpoint(QStringLiteral("zoho.watch.enable")), enables);
        QCOMPARE(simChannel(before.channelId).value(QStringLiteral("notify_url")).toString(),
                 m_stack->receiver->publicUrl().toString());
        const QString id = someRecordId(kContacts, 9);
        edit(kContacts, id, {{QStringLiteral("Phone"), QStringLiteral("+44 20 7946 0000")}});
        QTRY_COMPARE_WITH_TIMEOUT(m_stack->rowsFor(id, QStringLiteral("webhook")).size(), 1, SimTest::kTimeoutMs);

        // Uninstall: the channels are deleted at Zoho and forgotten here.
        Waiter<Ok> disabled;
        m_stack->channels->disableAll(this, disabled.callback());
        QVERIFY(disabled.wait());
        QVERIFY2(disabled->ok(), qPrintable(problem(*disabled)));
        QCOMPARE(simChannels().size(), 0);
        QVERIFY(m_stack->stored(kContacts).channelId.isEmpty());
    }

    void thePollerWalksPast2000RecordsAndResumesFromItsCursor()
    {
        reset(2300, 0);
        build(ChannelConfig(), quietPoller({kContacts}));
        QSignalSpy finished(m_stack->poller.get(), &Poller::pollFinished);
        QSignalSpy queued(m_stack->poller.get(), &Poller::eventsQueued);
        m_stack->poller->pollNow();
        QVERIFY(finished.wait(SimTest::kTimeoutMs * 2));
        PollOutcome outcome = finished.last().at(2).value<PollOutcome>();
        QVERIFY2(outcome.ok, qPrintable(outcome.error.message));
        QVERIFY(!outcome.since.isValid()); // no cursor yet: a full backfill
        QCOMPARE(outcome.records, 2300);
        QCOMPARE(outcome.pages, 12); // ten by page number, two by page_token
        QCOMPARE(outcome.newRows, 2300);
        QCOMPARE(queued.count(), 1);

        QSet<QString> ids;
        for (const OutboxItem& row : m_stack->rows()) {
            QCOMPARE(row.source, QStringLiteral("poll"));
            QCOMPARE(row.kind, QStringLiteral("zoho_change"));
            ids.insert(row.recordId);
        }
        QCOMPARE(ids.size(), 2300);
        QCOMPARE(m_stack->rows().size(), 2300);

        // The cursor is the newest Modified_Time seen.
        QString newest;
        QDateTime newestTime;
        for (const QJsonValue& v : SimTest::listOf(m_control.get(QStringLiteral("/_sim/zoho/Contacts")))) {
            const QString text = v.toObject().value(QStringLiteral("Modified_Time")).toString();
            const QDateTime t = SimTest::parseIso(text);
            if (!newestTime.isValid() || t > newestTime) {
                newestTime = t;
                newest = text;
            }
        }
        const auto cursor = m_stack->cursors->get(QStringLiteral("poll:Contacts"));
        QVERIFY(cursor.ok() && cursor.value());
        QCOMPARE(*cursor.value(), newest);
        QCOMPARE(outcome.cursor, newestTime);

        // Two edits later, the next poll starts an overlap before the cursor and queues just those.
        QTest::qWait(1100); // a new second, so the edits are newer than the cursor
        edit(kContacts, someRecordId(kContacts, 100), {{QStringLiteral("Phone"), QStringLiteral("+61 2 9000 0001")}});
        edit(kContacts, someRecordId(kContacts, 2200), {{QStringLiteral("Phone"), QStringLiteral("+61 2 9000 0002")}});
        m_stack->poller->pollNow(kContacts);
        QVERIFY(finished.wait(SimTest::kTimeoutMs));
        outcome = finished.last().at(2).value<PollOutcome>();
        QVERIFY2(outcome.ok, qPrintable(outcome.error.message));
        QCOMPARE(outcome.since, newestTime.addSecs(-60));
        QCOMPARE(outcome.newRows, 2);
        QVERIFY(outcome.records >= 2); // and whatever else fell in the overlap, deduplicated
        QCOMPARE(m_stack->rows().size(), 2302);
        QVERIFY(outcome.cursorMoved);

        // Nothing changed since: nothing new.
        m_stack->poller->pollNow(kContacts);
        QVERIFY(finished.wait(SimTest::kTimeoutMs));
        outcome = finished.last().at(2).value<PollOutcome>();
        QVERIFY(outcome.ok);
        QCOMPARE(outcome.newRows, 0);
        QCOMPARE(m_stack->rows().size(), 2302);
    }

    void aFailedPollKeepsItsCursor()
    {
        reset(600, 0);
        build(ChannelConfig(), quietPoller({kContacts}));
        QSignalSpy finished(m_stack->poller.get(), &Poller::pollFinished);

        // The first page fails (after the API client's retries): nothing queued, no cursor.
        scriptFault({{QStringLiteral("match"), QStringLiteral("GET /crm/v8/Contacts")},
                     {QStringLiteral("count"), 5},
                     {QStringLiteral("status"), 500}});
        m_stack->poller->pollNow(kContacts);
        QVERIFY(finished.wait(SimTest::kTimeoutMs));
        PollOutcome outcome = finished.last().at(2).value<PollOutcome>();
        QVERIFY(!outcome.ok);
        QCOMPARE(outcome.error.kind, Error::Kind::Server);
        QVERIFY(!m_stack->poller->cursor(kContacts).isValid());
        QCOMPARE(m_stack->rows().size(), 0);

        // The walk breaks after the first page: that page is queued, the cursor still does not move,
        // so the next poll walks it all again (duplicates are harmless) and nothing is skipped.
        // (The second request asks again from the first page's newest Modified_Time.)
        scriptFault({{QStringLiteral("match"), QStringLiteral("GET /crm/v8/Contacts")},
                     {QStringLiteral("skip"), 1},
                     {QStringLiteral("count"), 5},
                     {QStringLiteral("status"), 500}});
        m_stack->poller->pollNow(kContacts);
        QVERIFY(finished.wait(SimTest::kTimeoutMs));
        outcome = finished.last().at(2).value<PollOutcome>();
        QVERIFY(!outcome.ok);
        QCOMPARE(m_stack->rows().size(), 200);
        QVERIFY(!m_stack->poller->cursor(kContacts).isValid());

        m_stack->poller->pollNow(kContacts);
        QVERIFY(finished.wait(SimTest::kTimeoutMs));
        outcome = finished.last().at(2).value<PollOutcome>();
        QVERIFY2(outcome.ok, qPrintable(outcome.error.message));
        QCOMPARE(outcome.newRows, 400);
        QCOMPARE(m_stack->rows().size(), 600);
        QVERIFY(m_stack->poller->cursor(kContacts).isValid());
    }

    void pollsOfOneModuleNeverOverlap()
    {
        build(ChannelConfig(), quietPoller({kContacts}));
        QCOMPARE(m_control
                     .control("POST", QStringLiteral("/_sim/faults"),
                              QJsonObject{{QStringLiteral("latency_ms"), 300},
                                          {QStringLiteral("scope"), QStringLiteral("zoho")}})
                     .status,
                 200);
        QSignalSpy started(m_stack->poller.get(), &Poller::pollStarted);
        QSignalSpy finished(m_stack->poller.get(), &Poller::pollFinished);
        m_stack->poller->pollNow();
        QVERIFY(m_stack->poller->isPolling(kContacts));
        m_stack->poller->pollNow();
        m_stack->poller->catchUp(kContacts, QDateTime::currentDateTimeUtc().addSecs(-600));
        QCOMPARE(started.count(), 1); // the others wait, merged into one follow-up
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, SimTest::kTimeoutMs);
        QCOMPARE(started.count(), 2);
        QTest::qWait(500);
        QCOMPARE(finished.count(), 2);
        QVERIFY(finished.at(1).at(2).value<PollOutcome>().catchUp);
    }

private:
    void reset(int contacts, int accounts)
    {
        const auto r = m_control.reset(QJsonObject{{QStringLiteral("seed"), 7},
                                                   {QStringLiteral("demo"), false},
                                                   {QStringLiteral("contacts"), contacts},
                                                   {QStringLiteral("accounts"), accounts}});
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
    }

    void build(const ChannelConfig& channels,
               const PollerConfig& poller,
               const QString& dbPath = {},
               const Clock* channelClock = nullptr)
    {
        m_stack = std::make_unique<Stack>();
        const QString path = dbPath.isEmpty() ? m_dir->filePath(QStringLiteral("profile.sqlite")) : dbPath;
        const QString why = m_stack->build(m_profile, path, channels, poller, channelClock);
        QVERIFY2(why.isEmpty(), qPrintable(why));
    }

    static int countFor(const QSignalSpy& spy, const QString& module)
    {
        int n = 0;
        for (const auto& args : spy)
            n += args.at(0).toString() == module ? 1 : 0;
        return n;
    }

    QJsonArray simChannels() { return SimTest::listOf(m_control.get(QStringLiteral("/_sim/channels"))); }

    QJsonObject simChannel(const QString& id)
    {
        for (const QJsonValue& v : simChannels()) {
            if (v.toObject().value(QStringLiteral("channel_id")).toString() == id)
                return v.toObject();
        }
        return {};
    }

    QJsonObject lastCallback()
    {
        const QJsonArray all = SimTest::listOf(m_control.get(QStringLiteral("/_sim/callbacks")));
        return all.isEmpty() ? QJsonObject() : all.last().toObject();
    }

    qint64 statsEndpoint(const QString& endpoint)
    {
        const auto stats = m_control.get(QStringLiteral("/_sim/stats")).json();
        return stats.value(QStringLiteral("endpoints")).toObject().value(endpoint).toVariant().toLongLong();
    }

    QString someRecordId(const QString& module, int index)
    {
        const QJsonArray all = SimTest::listOf(m_control.get(QStringLiteral("/_sim/zoho/") + module));
        if (all.isEmpty())
            return {};
        return all.at(index % all.size()).toObject().value(QStringLiteral("id")).toString();
    }

    // Edits a record as a Zoho user would (the simulator fires callbacks); returns the record.
    QJsonObject edit(const QString& module, const QString& id, const QJsonObject& fields)
    {
        const auto r = m_control.control("PATCH", QStringLiteral("/_sim/zoho/%1/%2").arg(module, id), fields);
        if (r.status != 200)
            qWarning().noquote() << "edit failed:" << r.describe();
        return r.json();
    }

    // Moves the simulator's clock 3 s past `expiryMs` (a time on its clock).
    void advanceSimPast(qint64 expiryMs)
    {
        const qint64 simNow =
            m_control.get(QStringLiteral("/_sim/clock")).json().value(QStringLiteral("now_ms")).toInteger();
        QVERIFY(simNow > 0);
        const int seconds = int(std::ceil(double(expiryMs - simNow) / 1000.0)) + 3;
        QVERIFY2(seconds > 0, qPrintable(QString::number(seconds)));
        QCOMPARE(m_control.advanceClock(seconds).status, 200);
    }

    void scriptFault(const QJsonObject& fault)
    {
        const auto r = m_control.control("POST", QStringLiteral("/_sim/faults/script"), fault);
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
    }

    void clearFaults()
    {
        const auto r = m_control.control("DELETE", QStringLiteral("/_sim/faults"));
        QVERIFY2(r.status == 200, qPrintable(r.describe()));
    }

    Core::SimulatorLauncher m_simulator;
    QUrl m_base;
    SimTest::Client m_control;
    DemoProfile m_profile;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Stack> m_stack;
};

QTEST_GUILESS_MAIN(tst_ChannelsAndPolling)
#include "tst_ChannelsAndPolling.moc"
