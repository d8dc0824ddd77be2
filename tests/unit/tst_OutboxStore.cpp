#include "Clock.h"
#include "storage/Database.h"
#include "sync/OutboxStore.h"

#include <QFile>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace Core;
using State = OutboxItem::State;

namespace {

// A clock the test moves by hand.
class ManualClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC); }
    qint64 ms = 1767225600000; // 2026-01-01T00:00:00Z
};

OutboxItem change(const QString& key, const QString& recordId = QStringLiteral("r1"))
{
    OutboxItem item;
    item.dedupeKey = key;
    item.kind = QStringLiteral("zoho_change");
    item.source = QStringLiteral("webhook");
    item.module = QStringLiteral("Accounts");
    item.recordId = recordId;
    item.payload = QStringLiteral("{\"ids\":[\"%1\"]}").arg(recordId);
    item.mappingVersion = 2;
    return item;
}

} // namespace

class tst_OutboxStore : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    ManualClock m_clock;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<OutboxStore> m_outbox;

    QString path() const { return m_dir.filePath(QStringLiteral("app.db")); }

    bool reopen()
    {
        m_outbox.reset();
        m_db.reset();
        auto opened = Database::open(path());
        if (!opened) {
            qWarning("%s", qPrintable(opened.error().message));
            return false;
        }
        m_db = std::move(opened.value());
        m_outbox = std::make_unique<OutboxStore>(*m_db, &m_clock);
        return true;
    }

    qint64 enqueueOne(const QString& key)
    {
        const auto added = m_outbox->enqueue(change(key));
        return added ? added.value().id : -1;
    }

private slots:
    void init()
    {
        QTest::failOnWarning(QRegularExpression(QStringLiteral("still in use|does not belong")));
        QFile::remove(path());
        QFile::remove(path() + QStringLiteral("-wal"));
        QFile::remove(path() + QStringLiteral("-shm"));
        m_clock.ms = 1767225600000;
        QVERIFY(reopen());
    }

    void cleanup()
    {
        m_outbox.reset();
        m_db.reset();
    }

    void enqueueStoresTheItem()
    {
        const auto added = m_outbox->enqueue(change(QStringLiteral("k1")));
        QVERIFY(added);
        QVERIFY(!added.value().duplicate);
        QVERIFY(added.value().id > 0);

        const auto item = m_outbox->get(added.value().id);
        QVERIFY(item);
        QCOMPARE(item.value().dedupeKey, QStringLiteral("k1"));
        QCOMPARE(item.value().kind, QStringLiteral("zoho_change"));
        QCOMPARE(item.value().source, QStringLiteral("webhook"));
        QCOMPARE(item.value().module, QStringLiteral("Accounts"));
        QCOMPARE(item.value().recordId, QStringLiteral("r1"));
        QCOMPARE(item.value().payload, QStringLiteral("{\"ids\":[\"r1\"]}"));
        QCOMPARE(item.value().state, State::Pending);
        QCOMPARE(item.value().attempts, 0);
        QCOMPARE(item.value().nextAttemptAtMs, m_clock.ms); // due now
        QCOMPARE(item.value().createdAtMs, m_clock.ms);
        QCOMPARE(item.value().mappingVersion, std::optional<int>(2));
        QVERIFY(item.value().reasonClass.isNull());
        QVERIFY(item.value().lastError.isNull());

        OutboxItem later = change(QStringLiteral("k2"));
        later.nextAttemptAtMs = m_clock.ms + 5000;
        later.mappingVersion.reset();
        const auto second = m_outbox->enqueue(later);
        QVERIFY(second);
        QCOMPARE(m_outbox->get(second.value().id).value().nextAttemptAtMs, m_clock.ms + 5000);
        QCOMPARE(m_outbox->get(second.value().id).value().mappingVersion, std::optional<int>());

        QCOMPARE(m_outbox->get(9999).error().kind, Error::Kind::NotFound);
    }

    void invalidItemsAreRejected()
    {
        OutboxItem noKey = change(QString());
        QCOMPARE(m_outbox->enqueue(noKey).error().kind, Error::Kind::InvalidInput);
        OutboxItem badKind = change(QStringLiteral("k"));
        badKind.kind = QStringLiteral("sideways");
        QCOMPARE(m_outbox->enqueue(badKind).error().kind, Error::Kind::InvalidInput);
        OutboxItem badSource = change(QStringLiteral("k"));
        badSource.source = QStringLiteral("carrier pigeon");
        QCOMPARE(m_outbox->enqueue(badSource).error().kind, Error::Kind::InvalidInput);
        QCOMPARE(m_outbox->counts().value().total(), 0);
    }

    void duplicateKeyIsNotAnError()
    {
        const auto first = m_outbox->enqueue(change(QStringLiteral("dup")));
        const auto again = m_outbox->enqueue(change(QStringLiteral("dup"), QStringLiteral("other")));
        QVERIFY(first && again);
        QVERIFY(again.value().duplicate);
        QCOMPARE(again.value().id, first.value().id);
        QCOMPARE(again.value().state, State::Pending);
        QCOMPARE(m_outbox->counts().value().pending, 1);
        QCOMPARE(m_outbox->get(first.value().id).value().recordId, QStringLiteral("r1")); // not overwritten

        // A finished or failed row is not revived by a duplicate: only requeue() does that.
        const auto claimed = m_outbox->claimDue(1, m_clock.ms);
        QCOMPARE(claimed.value().size(), 1);
        QVERIFY(m_outbox->failPermanently(first.value().id, QStringLiteral("invalid_data"), QStringLiteral("no name")));
        const auto afterFail = m_outbox->enqueue(change(QStringLiteral("dup")));
        QVERIFY(afterFail.value().duplicate);
        QCOMPARE(afterFail.value().state, State::Failed);
        QCOMPARE(m_outbox->get(first.value().id).value().state, State::Failed);
    }

    void enqueueManyIsAllOrNothing()
    {
        OutboxItem bad = change(QStringLiteral("b3"));
        bad.kind = QStringLiteral("nonsense");
        QVERIFY(!m_outbox->enqueueMany({change(QStringLiteral("b1")), change(QStringLiteral("b2")), bad}));
        QCOMPARE(m_outbox->counts().value().total(), 0);

        const auto burst = m_outbox->enqueueMany(
            {change(QStringLiteral("b1")), change(QStringLiteral("b2")), change(QStringLiteral("b1"))});
        QVERIFY(burst);
        QCOMPARE(burst.value().size(), 3);
        QVERIFY(!burst.value().at(0).duplicate);
        QVERIFY(!burst.value().at(1).duplicate);
        QVERIFY(burst.value().at(2).duplicate);
        QCOMPARE(burst.value().at(2).id, burst.value().at(0).id);
        QCOMPARE(m_outbox->counts().value().pending, 2);
    }

    void claimTakesDueItemsOldestFirst()
    {
        OutboxItem a = change(QStringLiteral("a"));
        OutboxItem b = change(QStringLiteral("b"));
        OutboxItem c = change(QStringLiteral("c"));
        a.nextAttemptAtMs = m_clock.ms + 300;
        b.nextAttemptAtMs = m_clock.ms + 100;
        c.nextAttemptAtMs = m_clock.ms + 1000;
        const auto ids = m_outbox->enqueueMany({a, b, c});
        QVERIFY(ids);
        QCOMPARE(m_outbox->nextDueAtMs().value(), std::optional<qint64>(m_clock.ms + 100));

        QCOMPARE(m_outbox->claimDue(10, m_clock.ms + 50).value().size(), 0); // nothing due yet
        const auto claimed = m_outbox->claimDue(10, m_clock.ms + 500);
        QVERIFY(claimed);
        QCOMPARE(claimed.value().size(), 2);
        QCOMPARE(claimed.value().at(0).dedupeKey, QStringLiteral("b"));
        QCOMPARE(claimed.value().at(1).dedupeKey, QStringLiteral("a"));
        for (const OutboxItem& item : claimed.value()) {
            QCOMPARE(item.state, State::Running);
            QCOMPARE(item.attempts, 1);
            QCOMPARE(m_outbox->get(item.id).value().state, State::Running); // stored, not only returned
            QCOMPARE(m_outbox->get(item.id).value().attempts, 1);
        }
        // Running rows are not handed out twice.
        QCOMPARE(m_outbox->claimDue(10, m_clock.ms + 500).value().size(), 0);
        const auto counts = m_outbox->counts().value();
        QCOMPARE(counts.running, 2);
        QCOMPARE(counts.pending, 1);
        QCOMPARE(m_outbox->nextDueAtMs().value(), std::optional<qint64>(m_clock.ms + 1000));

        // max is honoured.
        QVERIFY(m_outbox->enqueueMany({change(QStringLiteral("d")), change(QStringLiteral("e"))}));
        QCOMPARE(m_outbox->claimDue(1, m_clock.ms + 2000).value().size(), 1);
        QCOMPARE(m_outbox->claimDue(0, m_clock.ms + 2000).value().size(), 0);
    }

    void completeMarksDone()
    {
        const qint64 id = enqueueOne(QStringLiteral("k"));
        QCOMPARE(m_outbox->complete(id).error().kind, Error::Kind::Conflict); // not running yet
        QCOMPARE(m_outbox->claimDue(5, m_clock.ms).value().size(), 1);
        QVERIFY(m_outbox->complete(id));
        QCOMPARE(m_outbox->get(id).value().state, State::Done);
        const auto twice = m_outbox->complete(id);
        QVERIFY(!twice);
        QCOMPARE(twice.error().kind, Error::Kind::Conflict);
        QVERIFY2(twice.error().message.contains(QStringLiteral("done")), qPrintable(twice.error().message));
        QCOMPARE(m_outbox->complete(424242).error().kind, Error::Kind::NotFound);
        QCOMPARE(m_outbox->counts().value().done, 1);
        QCOMPARE(m_outbox->nextDueAtMs().value(), std::optional<qint64>());
    }

    void failBacksOffThenDeadLetters()
    {
        m_outbox->setMaxAttempts(3);
        const qint64 id = enqueueOne(QStringLiteral("k"));
        for (int attempt = 1; attempt <= 3; ++attempt) {
            const auto claimed = m_outbox->claimDue(5, m_clock.ms);
            QCOMPARE(claimed.value().size(), 1);
            QCOMPARE(claimed.value().first().attempts, attempt);
            const qint64 retryAt = m_clock.ms + 1000 * attempt;
            const auto state =
                m_outbox->fail(id, QStringLiteral("transient"), QStringLiteral("HTTP 503 #%1").arg(attempt), retryAt);
            QVERIFY(state);
            const OutboxItem row = m_outbox->get(id).value();
            QCOMPARE(row.reasonClass, QStringLiteral("transient"));
            QCOMPARE(row.lastError, QStringLiteral("HTTP 503 #%1").arg(attempt));
            QCOMPARE(row.attempts, attempt);
            if (attempt < 3) {
                QCOMPARE(state.value(), State::Pending);
                QCOMPARE(row.state, State::Pending);
                QCOMPARE(row.nextAttemptAtMs, retryAt);
                QCOMPARE(m_outbox->nextDueAtMs().value(), std::optional<qint64>(retryAt));
                QCOMPARE(m_outbox->claimDue(5, retryAt - 1).value().size(), 0); // backoff respected
                m_clock.ms = retryAt;
            } else {
                QCOMPARE(state.value(), State::Dead);
                QCOMPARE(row.state, State::Dead);
            }
        }
        QCOMPARE(m_outbox->claimDue(5, m_clock.ms + 10000000).value().size(), 0);
        QCOMPARE(m_outbox->counts().value().dead, 1);
        QCOMPARE(m_outbox->listByState(State::Dead).value().first().id, id);

        QCOMPARE(m_outbox->fail(id, QStringLiteral("transient"), QString(), 0).error().kind, Error::Kind::Conflict);
        QCOMPARE(m_outbox->fail(id, QStringLiteral("gremlins"), QString(), 0).error().kind, Error::Kind::InvalidInput);
    }

    void defaultDeadLetterIsEightAttempts()
    {
        QCOMPARE(m_outbox->maxAttempts(), 8);
        const qint64 id = enqueueOne(QStringLiteral("k"));
        for (int attempt = 1; attempt <= 8; ++attempt) {
            QCOMPARE(m_outbox->claimDue(1, m_clock.ms).value().size(), 1);
            const auto state = m_outbox->fail(id, QStringLiteral("throttled"), QStringLiteral("429"), m_clock.ms);
            QCOMPARE(state.value(), attempt < 8 ? State::Pending : State::Dead);
        }
    }

    void failPermanentlySkipsRetries()
    {
        const qint64 id = enqueueOne(QStringLiteral("k"));
        QVERIFY(m_outbox->claimDue(1, m_clock.ms));
        QVERIFY(m_outbox->failPermanently(id, QStringLiteral("invalid_data"), QStringLiteral("Account_Name is empty")));
        const OutboxItem row = m_outbox->get(id).value();
        QCOMPARE(row.state, State::Failed);
        QCOMPARE(row.reasonClass, QStringLiteral("invalid_data"));
        QCOMPARE(row.lastError, QStringLiteral("Account_Name is empty"));
        QCOMPARE(m_outbox->claimDue(5, m_clock.ms + 100000000).value().size(), 0);
        // Pending rows can fail for good too (validation before any attempt).
        const qint64 other = enqueueOne(QStringLiteral("k2"));
        QVERIFY(m_outbox->failPermanently(other, QStringLiteral("invalid_data"), QStringLiteral("bad")));
        QCOMPARE(m_outbox->failPermanently(other, QStringLiteral("invalid_data"), QStringLiteral("bad")).error().kind,
                 Error::Kind::Conflict);
        QCOMPARE(m_outbox->counts().value().failed, 2);
    }

    void longErrorsAreCapped()
    {
        const qint64 id = enqueueOne(QStringLiteral("k"));
        QVERIFY(m_outbox->claimDue(1, m_clock.ms));
        QVERIFY(m_outbox->fail(id, QStringLiteral("transient"), QString(100000, QLatin1Char('e')), m_clock.ms));
        QVERIFY(m_outbox->get(id).value().lastError.size() < 5000);
    }

    void resumeInterruptedAfterACrash()
    {
        const qint64 a = enqueueOne(QStringLiteral("a"));
        enqueueOne(QStringLiteral("b"));
        enqueueOne(QStringLiteral("c"));
        QCOMPARE(m_outbox->claimDue(2, m_clock.ms).value().size(), 2);

        // Crash image: copy the file and its WAL while the writer is still open, then "restart" on it.
        const QString crashed = m_dir.filePath(QStringLiteral("crashed.db"));
        QVERIFY(QFile::copy(path(), crashed));
        QVERIFY(QFile::copy(path() + QStringLiteral("-wal"), crashed + QStringLiteral("-wal")));
        {
            auto image = Database::open(crashed);
            QVERIFY(image);
            OutboxStore store(*image.value(), &m_clock);
            QCOMPARE(store.counts().value().running, 2);
            QCOMPARE(store.resumeInterrupted().value(), 2);
            QCOMPARE(store.counts().value().pending, 3);
            const auto again = store.claimDue(10, m_clock.ms);
            QCOMPARE(again.value().size(), 3);
            for (const OutboxItem& item : again.value())
                QCOMPARE(item.attempts, 1); // an interrupted claim is not an attempt
        }

        // Plain restart: close without completing, reopen the same file.
        QVERIFY(reopen());
        QCOMPARE(m_outbox->counts().value().running, 2);
        QCOMPARE(m_outbox->resumeInterrupted().value(), 2);
        QCOMPARE(m_outbox->resumeInterrupted().value(), 0);
        QCOMPARE(m_outbox->get(a).value().state, State::Pending);
        QCOMPARE(m_outbox->claimDue(10, m_clock.ms).value().size(), 3);
    }

    void restartsAloneNeverUseUpARowsAttempts()
    {
        m_outbox->setMaxAttempts(1);
        const qint64 row = enqueueOne(QStringLiteral("row"));
        for (int crash = 1; crash <= OutboxStore::kWarnInterruptions + 2; ++crash) {
            QCOMPARE(m_outbox->claimDue(10, m_clock.ms).value().size(), 1);
            if (crash >= OutboxStore::kWarnInterruptions)
                QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("stopped \\d+ times while")));
            QCOMPARE(m_outbox->resumeInterrupted().value(), 1);
            QCOMPARE(m_outbox->get(row).value().state, State::Pending);
        }
        // Its one real attempt is still there.
        const auto claimed = m_outbox->claimDue(10, m_clock.ms);
        QCOMPARE(claimed.value().size(), 1);
        QCOMPARE(claimed.value().first().attempts, 1);
    }

    void requeueRevivesFailedAndDead()
    {
        m_outbox->setMaxAttempts(1);
        const qint64 dead = enqueueOne(QStringLiteral("dead"));
        const qint64 failed = enqueueOne(QStringLiteral("failed"));
        const qint64 done = enqueueOne(QStringLiteral("done"));
        const qint64 pending = enqueueOne(QStringLiteral("pending"));
        QCOMPARE(m_outbox->claimDue(3, m_clock.ms).value().size(), 3);
        QCOMPARE(m_outbox->fail(dead, QStringLiteral("transient"), QStringLiteral("x"), m_clock.ms).value(),
                 State::Dead);
        QVERIFY(m_outbox->failPermanently(failed, QStringLiteral("invalid_data"), QStringLiteral("y")));
        QVERIFY(m_outbox->complete(done));

        m_clock.ms += 60000;
        QCOMPARE(m_outbox->requeue({dead, done, pending, 777}).value(), 1); // only failed/dead rows move
        const OutboxItem revived = m_outbox->get(dead).value();
        QCOMPARE(revived.state, State::Pending);
        QCOMPARE(revived.attempts, 0);
        QCOMPARE(revived.nextAttemptAtMs, m_clock.ms);
        QCOMPARE(m_outbox->get(done).value().state, State::Done);
        QCOMPARE(m_outbox->get(failed).value().state, State::Failed);

        QCOMPARE(m_outbox->requeueAllFailed().value(), 1);
        QCOMPARE(m_outbox->get(failed).value().state, State::Pending);
        const auto counts = m_outbox->counts().value();
        QCOMPARE(counts.pending, 3);
        QCOMPARE(counts.done, 1);
        QCOMPARE(counts.failed + counts.dead, 0);
    }

    void listByStateAndPrune()
    {
        for (int i = 0; i < 5; ++i) {
            OutboxItem item = change(QStringLiteral("k%1").arg(i));
            item.nextAttemptAtMs = m_clock.ms + (5 - i) * 1000;
            QVERIFY(m_outbox->enqueue(item));
        }
        const auto pending = m_outbox->listByState(State::Pending, 3);
        QCOMPARE(pending.value().size(), 3);
        QCOMPARE(pending.value().at(0).dedupeKey, QStringLiteral("k4")); // due soonest
        QCOMPARE(m_outbox->listByState(State::Pending, 3, 3).value().size(), 2);
        QCOMPARE(m_outbox->listByState(State::Done).value().size(), 0);

        const auto claimed = m_outbox->claimDue(2, m_clock.ms + 100000);
        for (const OutboxItem& item : claimed.value())
            QVERIFY(m_outbox->complete(item.id));
        QCOMPARE(m_outbox->listByState(State::Done).value().size(), 2);
        QCOMPARE(m_outbox->pruneDone(m_clock.ms).value(), 0);
        QCOMPARE(m_outbox->pruneDone(m_clock.ms + 1).value(), 2);
        QCOMPARE(m_outbox->counts().value().total(), 3);
    }

    void stateNamesRoundTrip()
    {
        for (State s : {State::Pending, State::Running, State::Done, State::Failed, State::Dead})
            QCOMPARE(OutboxItem::stateFromName(OutboxItem::stateName(s)), std::optional<State>(s));
        QCOMPARE(OutboxItem::stateFromName(QStringLiteral("zombie")), std::optional<State>());
    }
};

QTEST_GUILESS_MAIN(tst_OutboxStore)
#include "tst_OutboxStore.moc"
