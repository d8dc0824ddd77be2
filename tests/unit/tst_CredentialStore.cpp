#include "secrets/CredentialKeyIndex.h"
#include "secrets/EnvironmentCredentialStore.h"
#include "secrets/KeychainCredentialStore.h"
#include "secrets/MemoryCredentialStore.h"
#include "secrets/OverlayCredentialStore.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QTemporaryDir>
#include <QTest>

#include <deque>
#include <memory>
#include <optional>

using Core::CredentialStore;
using Core::EnvironmentCredentialStore;
using Core::Error;
using Core::KeychainBackend;
using Core::KeychainCredentialStore;
using Core::KeychainReply;
using Core::MemoryCredentialStore;
using Core::Ok;
using Core::OverlayCredentialStore;
using Core::Result;

namespace {

const QString kLocked = QStringLiteral("The keychain is locked — unlock it and retry");
const QString kNoKeychain = QStringLiteral("No keychain service is available (is gnome-keyring or KWallet running?); "
                                           "secrets will be kept in memory for this session only");

// Records what a callback received and how often.
template <typename T>
struct Capture
{
    int calls = 0;
    std::optional<Result<T>> result;

    std::function<void(Result<T>)> callback()
    {
        return [this](Result<T> r) {
            ++calls;
            result.emplace(std::move(r));
        };
    }
    bool wait()
    {
        return QTest::qWaitFor([this] { return calls > 0; }, 5000);
    }
};

Result<QString> readNow(CredentialStore& store, const QString& key)
{
    Capture<QString> capture;
    QObject context;
    store.read(key, &context, capture.callback());
    if (!capture.wait())
        return Error{Error::Kind::Internal, QStringLiteral("no answer")};
    return *capture.result;
}

Result<Ok> writeNow(CredentialStore& store, const QString& key, const QString& value)
{
    Capture<Ok> capture;
    QObject context;
    store.write(key, value, &context, capture.callback());
    if (!capture.wait())
        return Error{Error::Kind::Internal, QStringLiteral("no answer")};
    return *capture.result;
}

Result<Ok> removeNow(CredentialStore& store, const QString& key)
{
    Capture<Ok> capture;
    QObject context;
    store.remove(key, &context, capture.callback());
    if (!capture.wait())
        return Error{Error::Kind::Internal, QStringLiteral("no answer")};
    return *capture.result;
}

Result<Ok> removeAllNow(CredentialStore& store)
{
    Capture<Ok> capture;
    QObject context;
    store.removeAll(&context, capture.callback());
    if (!capture.wait())
        return Error{Error::Kind::Internal, QStringLiteral("no answer")};
    return *capture.result;
}

// Behaves like QtKeychain over gnome-keyring as measured on Debian 12 (see tst_KeychainReal):
// locked, a read says "Entry not found", a write AccessDenied, a delete succeeds but keeps the item.
struct FakeKeychain
{
    enum class State { Unlocked, Locked, NoBus };

    struct Job
    {
        KeychainBackend::Operation operation;
        QString service;
        QString key;
        QString value;
        QPointer<QObject> context;
        std::function<void(const KeychainReply&)> done;
    };

    State state = State::Unlocked;
    bool holdJobs = false; // keep jobs pending until release()
    QMap<QString, QString> entries;
    QStringList services;
    QStringList started; // "write zoho/x": what ran, in order (names only)
    std::deque<Job> held;

    void start(Job job)
    {
        static const char* const names[] = {"read", "write", "remove"};
        started.append(QLatin1String(names[int(job.operation)]) + QLatin1Char(' ') + job.key);
        services.append(job.service);
        if (holdJobs)
            held.push_back(std::move(job));
        else
            run(std::move(job));
    }

    void releaseOne()
    {
        Job job = std::move(held.front());
        held.pop_front();
        run(std::move(job));
    }

    void run(Job job)
    {
        KeychainReply reply;
        if (state == State::NoBus) {
            reply.error = QKeychain::OtherError;
            reply.errorString = QStringLiteral("Cannot autolaunch D-Bus without X11 $DISPLAY");
        } else if (job.operation == KeychainBackend::Operation::Read) {
            if (state == State::Unlocked && entries.contains(job.key)) {
                reply.value = entries.value(job.key);
            } else {
                reply.error = QKeychain::EntryNotFound;
                reply.errorString = QStringLiteral("Entry not found");
            }
        } else if (job.operation == KeychainBackend::Operation::Write) {
            if (state == State::Locked) {
                reply.error = QKeychain::AccessDenied;
                reply.errorString = QStringLiteral("Cannot create an item in a locked collection");
            } else {
                entries.insert(job.key, job.value);
            }
        } else if (state == State::Unlocked) {
            entries.remove(job.key);
        }
        if (!job.context)
            return;
        QMetaObject::invokeMethod(
            job.context, [done = job.done, reply] { done(reply); }, Qt::QueuedConnection);
    }
};

class FakeBackend final : public KeychainBackend
{
public:
    explicit FakeBackend(std::shared_ptr<FakeKeychain> keychain)
        : m_keychain(std::move(keychain))
    { }

    void start(Operation operation,
               const QString& service,
               const QString& key,
               const QString& value,
               QObject* context,
               std::function<void(const KeychainReply&)> done) override
    {
        m_keychain->start({operation, service, key, value, context, std::move(done)});
    }

private:
    std::shared_ptr<FakeKeychain> m_keychain;
};

QByteArray readFile(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace

class tst_CredentialStore : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<CredentialStore> makeStore(const QString& kind)
    {
        if (kind == QLatin1String("memory")) {
            auto memory = std::make_unique<MemoryCredentialStore>();
            memory->write(QStringLiteral("zoho/client_secret"), QStringLiteral("from-memory"), nullptr, nullptr);
            return memory;
        }
        if (kind == QLatin1String("environment")) {
            QProcessEnvironment environment;
            environment.insert(QStringLiteral("ZOHO_CLIENT_SECRET"), QStringLiteral("from-env"));
            return std::make_unique<EnvironmentCredentialStore>(environment);
        }
        m_keychain = std::make_shared<FakeKeychain>();
        m_keychain->entries.insert(QStringLiteral("zoho/client_secret"), QStringLiteral("from-keychain"));
        return std::make_unique<KeychainCredentialStore>(QStringLiteral("p1"), m_dir->path(),
                                                         std::make_unique<FakeBackend>(m_keychain));
    }

    std::unique_ptr<KeychainCredentialStore> makeKeychainStore(const QString& profileDir)
    {
        m_keychain = std::make_shared<FakeKeychain>();
        return std::make_unique<KeychainCredentialStore>(QStringLiteral("p1"), profileDir,
                                                         std::make_unique<FakeBackend>(m_keychain));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::shared_ptr<FakeKeychain> m_keychain;

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QVERIFY(m_dir->isValid());
        m_keychain.reset();
    }

    void memoryRoundTrip()
    {
        MemoryCredentialStore store;
        const QString key = QStringLiteral("zoho/client_secret");
        QVERIFY(writeNow(store, key, QStringLiteral("s3cret")).ok());
        const auto read = readNow(store, key);
        QVERIFY(read.ok());
        QCOMPARE(read.value(), QStringLiteral("s3cret"));
        QVERIFY(writeNow(store, key, QStringLiteral("changed")).ok());
        QCOMPARE(readNow(store, key).value(), QStringLiteral("changed"));
        QCOMPARE(store.knownKeys(), QStringList{key});

        QVERIFY(removeNow(store, key).ok());
        const auto gone = readNow(store, key);
        QVERIFY(!gone.ok());
        QCOMPARE(gone.error().kind, Error::Kind::NotFound);
        QCOMPARE(gone.error().message, QStringLiteral("zoho/client_secret is not configured"));
        QVERIFY(removeNow(store, key).ok()); // removing what is not there succeeds
        QVERIFY(store.knownKeys().isEmpty());
        QVERIFY(!store.describe().contains(QStringLiteral("changed")));
    }

    void overlayReadsTypedValuesFirstAndNeverWritesThrough()
    {
        MemoryCredentialStore stored;
        const QString secret = QStringLiteral("zoho/client_secret");
        const QString password = QStringLiteral("oracle/password");
        QVERIFY(writeNow(stored, secret, QStringLiteral("stored-secret")).ok());
        QVERIFY(writeNow(stored, password, QStringLiteral("stored-password")).ok());

        OverlayCredentialStore overlay(&stored);
        QCOMPARE(readNow(overlay, secret).value(), QStringLiteral("stored-secret")); // blank field: the stored one
        QVERIFY(writeNow(overlay, secret, QStringLiteral("typed-secret")).ok());
        QCOMPARE(readNow(overlay, secret).value(), QStringLiteral("typed-secret"));
        QCOMPARE(readNow(stored, secret).value(), QStringLiteral("stored-secret")); // never written through
        QVERIFY(removeNow(overlay, password).ok());
        QCOMPARE(readNow(overlay, password).error().kind, Error::Kind::NotFound);
        QCOMPARE(readNow(stored, password).value(), QStringLiteral("stored-password"));
        QCOMPARE(overlay.knownKeys(), QStringList{secret});
        QVERIFY(!overlay.describe().contains(QStringLiteral("typed-secret")));

        OverlayCredentialStore nothingStored(nullptr);
        QCOMPARE(readNow(nothingStored, secret).error().kind, Error::Kind::NotFound);
    }

    void callbacksArriveFromTheEventLoop_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("memory") << QStringLiteral("memory");
        QTest::newRow("environment") << QStringLiteral("environment");
        QTest::newRow("keychain") << QStringLiteral("keychain");
    }

    void callbacksArriveFromTheEventLoop()
    {
        QFETCH(QString, kind);
        auto store = makeStore(kind);
        QObject context;
        Capture<QString> read;
        Capture<Ok> write;
        Capture<Ok> remove;
        Capture<QString> invalid;
        store->read(QStringLiteral("zoho/client_secret"), &context, read.callback());
        store->write(QStringLiteral("oracle/password"), QStringLiteral("pw"), &context, write.callback());
        store->remove(QStringLiteral("oracle/password"), &context, remove.callback());
        store->read(QStringLiteral("not a key"), &context, invalid.callback());
        // Nothing yet: the event loop has not run.
        QCOMPARE(read.calls + write.calls + remove.calls + invalid.calls, 0);

        QVERIFY(read.wait());
        QVERIFY(write.wait());
        QVERIFY(remove.wait());
        QVERIFY(invalid.wait());
        QVERIFY2(read.result->ok(), qPrintable(read.result->ok() ? QString() : read.result->error().message));
        QVERIFY(read.result->value().startsWith(QStringLiteral("from-")));
        QCOMPARE(invalid.result->error().kind, Error::Kind::InvalidInput);
        QTest::qWait(20);
        QCOMPARE(read.calls, 1);
        QCOMPARE(write.calls, 1);
        QCOMPARE(remove.calls, 1);
    }

    void callbackIsDroppedWhenContextDies_data() { callbacksArriveFromTheEventLoop_data(); }

    void callbackIsDroppedWhenContextDies()
    {
        QFETCH(QString, kind);
        auto store = makeStore(kind);
        Capture<QString> read;
        Capture<Ok> write;
        auto* context = new QObject;
        store->read(QStringLiteral("zoho/client_secret"), context, read.callback());
        store->write(QStringLiteral("oracle/password"), QStringLiteral("pw"), context, write.callback());
        delete context;

        // A live context still gets its answer, so the store did work through the loop meanwhile.
        QObject alive;
        Capture<QString> witness;
        store->read(QStringLiteral("zoho/client_secret"), &alive, witness.callback());
        QVERIFY(witness.wait());
        QTest::qWait(50);
        QCOMPARE(read.calls, 0);
        QCOMPARE(write.calls, 0);
    }

    void environmentMapsKeysToVariables_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("variable");
        QTest::newRow("zoho client secret") << "zoho/client_secret"
                                            << "ZOHO_CLIENT_SECRET";
        QTest::newRow("zoho refresh token") << "zoho/refresh_token"
                                            << "ZOHO_REFRESH_TOKEN";
        QTest::newRow("oracle password") << "oracle/password"
                                         << "ORACLE_PASSWORD";
        QTest::newRow("oracle client secret") << "oracle/client_secret"
                                              << "ORACLE_CLIENT_SECRET";
    }

    void environmentMapsKeysToVariables()
    {
        QFETCH(QString, key);
        QFETCH(QString, variable);
        QCOMPARE(EnvironmentCredentialStore::variableFor(key), variable);

        QProcessEnvironment environment;
        environment.insert(variable, QStringLiteral("value-of-") + variable);
        EnvironmentCredentialStore store(environment);
        const auto read = readNow(store, key);
        QVERIFY(read.ok());
        QCOMPARE(read.value(), QStringLiteral("value-of-") + variable);
        QCOMPARE(store.knownKeys(), QStringList{key});

        // Unset: NotFound, and the message names the variable to set.
        EnvironmentCredentialStore empty{QProcessEnvironment()};
        const auto missing = readNow(empty, key);
        QVERIFY(!missing.ok());
        QCOMPARE(missing.error().kind, Error::Kind::NotFound);
        QVERIFY2(missing.error().message.contains(variable), qPrintable(missing.error().message));
        QVERIFY(missing.error().message.contains(key));
        QVERIFY(empty.knownKeys().isEmpty());
    }

    void environmentIsReadOnly()
    {
        QProcessEnvironment environment;
        environment.insert(QStringLiteral("ORACLE_PASSWORD"), QStringLiteral("pw"));
        EnvironmentCredentialStore store(environment);
        QVERIFY(!store.isWritable());
        const QString readOnly = QStringLiteral("secrets from the environment are read-only");
        for (const auto& result : {writeNow(store, QStringLiteral("oracle/password"), QStringLiteral("x")),
                                   removeNow(store, QStringLiteral("oracle/password")), removeAllNow(store)}) {
            QVERIFY(!result.ok());
            QCOMPARE(result.error().kind, Error::Kind::InvalidInput);
            QCOMPARE(result.error().message, readOnly);
        }
        QCOMPARE(readNow(store, QStringLiteral("oracle/password")).value(), QStringLiteral("pw"));

        // A key with no variable is NotFound and says which variables exist.
        const auto unknown = readNow(store, QStringLiteral("other/token"));
        QCOMPARE(unknown.error().kind, Error::Kind::NotFound);
        QVERIFY(unknown.error().message.contains(QStringLiteral("other/token")));
        QVERIFY(unknown.error().message.contains(QStringLiteral("ORACLE_PASSWORD")));
        QVERIFY(!store.describe().contains(QStringLiteral("pw,")));
    }

    void keyIndexHoldsNamesOnly()
    {
        const QString profile = m_dir->filePath(QStringLiteral("profiles/p1"));
        auto store = makeKeychainStore(profile);
        const QString secretA = QStringLiteral("value-A-4f1c9e");
        const QString secretB = QStringLiteral("value-B-77aa02");
        QVERIFY(writeNow(*store, QStringLiteral("zoho/refresh_token"), secretA).ok());
        QVERIFY(writeNow(*store, QStringLiteral("oracle/password"), secretB).ok());
        QCOMPARE(m_keychain->services.first(), QStringLiteral("ml-connector/p1"));
        QCOMPARE(store->serviceName(), QStringLiteral("ml-connector/p1"));

        const QString indexPath = profile + QStringLiteral("/credential-keys.json");
        QCOMPARE(store->indexFilePath(), indexPath);
        const QByteArray raw = readFile(indexPath);
        QVERIFY(!raw.isEmpty());
        QVERIFY(!raw.contains(secretA.toUtf8()));
        QVERIFY(!raw.contains(secretB.toUtf8()));
        const QJsonObject root = QJsonDocument::fromJson(raw).object();
        const QStringList expected{QStringLiteral("oracle/password"), QStringLiteral("zoho/refresh_token")};
        QCOMPARE(root.value(QStringLiteral("keys")).toVariant().toStringList(), expected);
        QCOMPARE(root.keys(), (QStringList{QStringLiteral("keys"), QStringLiteral("version")}));
        QCOMPARE(QFile::permissions(indexPath) & (QFile::ReadOther | QFile::ReadGroup), QFile::Permissions());
        QCOMPARE(store->knownKeys(), expected);
        QVERIFY(!store->describe().contains(secretA));

        // Another session sees the same names.
        QCOMPARE(Core::CredentialKeyIndex(indexPath).keys(), expected);
        QCOMPARE(makeKeychainStore(profile)->knownKeys(), expected);

        store = makeKeychainStore(profile);
        m_keychain->entries.insert(QStringLiteral("oracle/password"), secretB);
        QVERIFY(removeNow(*store, QStringLiteral("oracle/password")).ok());
        QCOMPARE(store->knownKeys(), QStringList{QStringLiteral("zoho/refresh_token")});
        QCOMPARE(Core::CredentialKeyIndex(indexPath).keys(), QStringList{QStringLiteral("zoho/refresh_token")});
    }

    void removeAllForgetsEverything()
    {
        MemoryCredentialStore memory;
        for (const char* key : {"zoho/client_secret", "zoho/refresh_token", "oracle/password"})
            QVERIFY(writeNow(memory, QLatin1String(key), QStringLiteral("v")).ok());
        QVERIFY(removeAllNow(memory).ok());
        QVERIFY(memory.knownKeys().isEmpty());
        QCOMPARE(readNow(memory, QStringLiteral("zoho/refresh_token")).error().kind, Error::Kind::NotFound);
        QVERIFY(removeAllNow(memory).ok()); // nothing left: still fine

        auto keychain = makeKeychainStore(m_dir->path());
        QVERIFY(writeNow(*keychain, QStringLiteral("zoho/client_secret"), QStringLiteral("a")).ok());
        QVERIFY(writeNow(*keychain, QStringLiteral("oracle/client_secret"), QStringLiteral("b")).ok());
        QCOMPARE(m_keychain->entries.size(), 2);
        QVERIFY(removeAllNow(*keychain).ok());
        QVERIFY(m_keychain->entries.isEmpty());
        QVERIFY(keychain->knownKeys().isEmpty());
    }

    void removeAllOnALockedKeychainKeepsTheIndex()
    {
        auto store = makeKeychainStore(m_dir->path());
        QVERIFY(writeNow(*store, QStringLiteral("zoho/client_secret"), QStringLiteral("a")).ok());
        QVERIFY(writeNow(*store, QStringLiteral("oracle/password"), QStringLiteral("b")).ok());
        m_keychain->state = FakeKeychain::State::Locked;

        const auto result = removeAllNow(*store);
        QVERIFY(!result.ok());
        QCOMPARE(result.error().kind, Error::Kind::Unavailable);
        QVERIFY2(result.error().message.contains(kLocked), qPrintable(result.error().message));
        QVERIFY(result.error().message.contains(QStringLiteral("0 of 2")));
        QCOMPARE(m_keychain->entries.size(), 2);
        QCOMPARE(store->knownKeys().size(), 2);
    }

    void mapsKeychainErrors_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("text");
        QTest::addColumn<Error::Kind>("kind");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("codeName");

        // Texts as QtKeychain 0.13.2 reports them on Debian 12 (tst_KeychainReal checks them live).
        QTest::newRow("no session bus") << int(QKeychain::OtherError) << "Cannot autolaunch D-Bus without X11 $DISPLAY"
                                        << Error::Kind::Unavailable << kNoKeychain << "OtherError";
        QTest::newRow("no secret service")
            << int(QKeychain::OtherError) << "The name org.freedesktop.secrets was not provided by any .service files"
            << Error::Kind::Unavailable << kNoKeychain << "OtherError";
        QTest::newRow("kwallet not running")
            << int(QKeychain::OtherError)
            << "Could not open wallet: org.freedesktop.DBus.Error.ServiceUnknown; The name org.kde.kwalletd5 was not "
               "provided"
            << Error::Kind::Unavailable << kNoKeychain << "OtherError";
        QTest::newRow("no backend") << int(QKeychain::NoBackendAvailable) << "No keychain service available"
                                    << Error::Kind::Unavailable << kNoKeychain << "NoBackendAvailable";
        QTest::newRow("locked") << int(QKeychain::AccessDenied) << "Cannot create an item in a locked collection"
                                << Error::Kind::Unavailable << kLocked << "AccessDenied";
        QTest::newRow("no login keyring")
            << int(QKeychain::OtherError)
            << QString::fromUtf8("Object does not exist at path “/org/freedesktop/secrets/collection/login”")
            << Error::Kind::Unavailable
            << QString::fromUtf8("The keychain has no default keyring — create or unlock one (e.g. by logging in to "
                                 "the desktop) and retry")
            << "OtherError";
        QTest::newRow("not found") << int(QKeychain::EntryNotFound) << "Entry not found" << Error::Kind::NotFound
                                   << "zoho/refresh_token is not configured"
                                   << "EntryNotFound";
        QTest::newRow("other") << int(QKeychain::OtherError) << "Unknown error" << Error::Kind::Storage
                               << "The keychain failed on zoho/refresh_token: Unknown error"
                               << "OtherError";
        QTest::newRow("could not delete")
            << int(QKeychain::CouldNotDeleteEntry) << "Could not delete entry" << Error::Kind::Storage
            << "The keychain failed on zoho/refresh_token: Could not delete entry"
            << "CouldNotDeleteEntry";
        QTest::newRow("denied by user") << int(QKeychain::AccessDeniedByUser) << "" << Error::Kind::Storage
                                        << "The keychain failed on zoho/refresh_token: unknown error"
                                        << "AccessDeniedByUser";
    }

    void mapsKeychainErrors()
    {
        QFETCH(int, code);
        QFETCH(QString, text);
        QFETCH(Error::Kind, kind);
        QFETCH(QString, message);
        QFETCH(QString, codeName);
        const Error error =
            KeychainCredentialStore::mapError(QKeychain::Error(code), text, QStringLiteral("zoho/refresh_token"));
        QCOMPARE(error.kind, kind);
        QCOMPARE(error.message, message);
        QCOMPARE(error.code, codeName);
    }

    void keychainStatesReachTheCaller()
    {
        auto store = makeKeychainStore(m_dir->path());
        const QString key = QStringLiteral("oracle/password");

        // Unlocked and missing: NotFound, after a probe that leaves nothing behind.
        auto missing = readNow(*store, key);
        QCOMPARE(missing.error().kind, Error::Kind::NotFound);
        QCOMPARE(missing.error().message, QStringLiteral("oracle/password is not configured"));
        QTRY_VERIFY(m_keychain->entries.isEmpty());

        QVERIFY(writeNow(*store, key, QStringLiteral("pw")).ok());
        QCOMPARE(readNow(*store, key).value(), QStringLiteral("pw"));

        // Locked: the read's "not found" turns out to be the lock; writes and removes fail, nothing changes.
        m_keychain->state = FakeKeychain::State::Locked;
        const auto lockedRead = readNow(*store, key);
        QCOMPARE(lockedRead.error().kind, Error::Kind::Unavailable);
        QCOMPARE(lockedRead.error().message, kLocked);
        const auto lockedWrite = writeNow(*store, QStringLiteral("zoho/client_secret"), QStringLiteral("x"));
        QCOMPARE(lockedWrite.error().message, kLocked);
        QCOMPARE(store->knownKeys(), QStringList{key}); // the failed write left no name behind
        QCOMPARE(removeNow(*store, key).error().message, kLocked);
        QCOMPARE(m_keychain->entries.value(key), QStringLiteral("pw"));
        QCOMPARE(store->knownKeys(), QStringList{key});

        // No bus at all.
        m_keychain->state = FakeKeychain::State::NoBus;
        const auto noBus = writeNow(*store, key, QStringLiteral("pw2"));
        QCOMPARE(noBus.error().kind, Error::Kind::Unavailable);
        QCOMPARE(noBus.error().message, kNoKeychain);
        QCOMPARE(readNow(*store, key).error().message, kNoKeychain);
    }

    void operationsOnOneKeyRunInOrder()
    {
        auto store = makeKeychainStore(m_dir->path());
        m_keychain->holdJobs = true;
        QObject context;
        Capture<Ok> first;
        Capture<Ok> second;
        Capture<QString> read;
        Capture<Ok> other;
        const QString key = QStringLiteral("zoho/refresh_token");
        store->write(key, QStringLiteral("v1"), &context, first.callback());
        store->write(key, QStringLiteral("v2"), &context, second.callback());
        store->read(key, &context, read.callback());
        store->write(QStringLiteral("oracle/password"), QStringLiteral("o"), &context, other.callback());
        // One job for the busy key; the other key is not held up.
        QCOMPARE(m_keychain->started,
                 (QStringList{QStringLiteral("write zoho/refresh_token"), QStringLiteral("write oracle/password")}));

        m_keychain->releaseOne();
        QVERIFY(first.wait());
        QVERIFY(first.result->ok());
        QCOMPARE(second.calls, 0);
        QCOMPARE(m_keychain->started.size(), 3); // the second write started only now
        while (!m_keychain->held.empty() || !read.calls) {
            if (!m_keychain->held.empty())
                m_keychain->releaseOne();
            QTest::qWait(5);
        }
        QVERIFY(second.result->ok());
        QVERIFY(other.result->ok());
        QCOMPARE(read.result->value(), QStringLiteral("v2"));
    }

    void timeoutAbandonsTheCallbackButNotTheJob()
    {
        auto store = makeKeychainStore(m_dir->path());
        store->setTimeout(std::chrono::milliseconds(100));
        m_keychain->holdJobs = true;
        QObject context;
        Capture<Ok> slow;
        Capture<Ok> queued;
        const QString key = QStringLiteral("zoho/client_secret");
        store->write(key, QStringLiteral("v1"), &context, slow.callback());
        store->write(key, QStringLiteral("v2"), &context, queued.callback());
        QVERIFY(slow.wait());
        QCOMPARE(slow.result->error().kind, Error::Kind::Timeout);
        QVERIFY(slow.result->error().message.contains(key));
        QVERIFY(queued.wait());
        QCOMPARE(queued.result->error().kind, Error::Kind::Timeout);
        QCOMPARE(m_keychain->held.size(), size_t(1)); // still pending, not cancelled; the queued one never ran

        // The late answer is swallowed, and the key is free again.
        m_keychain->releaseOne();
        QTest::qWait(20);
        QCOMPARE(slow.calls, 1);
        QCOMPARE(queued.calls, 1);
        QCOMPARE(m_keychain->entries.value(key), QStringLiteral("v1"));
        QCOMPARE(store->knownKeys(), QStringList{key}); // the late write is still indexed
        m_keychain->holdJobs = false;
        QVERIFY(writeNow(*store, key, QStringLiteral("v3")).ok());
        QCOMPARE(m_keychain->entries.value(key), QStringLiteral("v3"));
    }

    // The environment store is read-only, so only the writable stores have a size limit to test.
    void rejectsValuesOf2KiBOrMore_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("memory") << QStringLiteral("memory");
        QTest::newRow("keychain") << QStringLiteral("keychain");
    }

    void rejectsValuesOf2KiBOrMore()
    {
        QFETCH(QString, kind);
        auto store = makeStore(kind);
        const QString key = QStringLiteral("zoho/refresh_token");
        QVERIFY(writeNow(*store, key, QString(2047, QLatin1Char('a'))).ok());
        for (const QString& big : {QString(2048, QLatin1Char('a')), QString(1024, QChar(0xE9))}) {
            const auto result = writeNow(*store, key, big);
            QVERIFY(!result.ok());
            QCOMPARE(result.error().kind, Error::Kind::InvalidInput);
            QVERIFY2(result.error().message.contains(QStringLiteral("2048")), qPrintable(result.error().message));
            QVERIFY(!result.error().message.contains(big));
        }
        QCOMPARE(readNow(*store, key).value().size(), 2047);
    }

    void rejectsMalformedKeys()
    {
        MemoryCredentialStore store;
        for (const char* key : {"", "_keychain-check", "zoho//x", "/zoho", "zoho/", "has space", "zoho/ü"}) {
            const auto result = writeNow(store, QString::fromUtf8(key), QStringLiteral("v"));
            QVERIFY2(!result.ok(), key);
            QCOMPARE(result.error().kind, Error::Kind::InvalidInput);
        }
        QVERIFY(CredentialStore::validateKey(QStringLiteral("oracle/client_secret")).ok());
    }
};

QTEST_GUILESS_MAIN(tst_CredentialStore)
#include "tst_CredentialStore.moc"
