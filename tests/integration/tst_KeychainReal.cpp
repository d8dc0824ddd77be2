// Real-keychain tests: QtKeychain over gnome-keyring on a private D-Bus session bus.
//
// Registered in keychain.cmake with the label "keychain"; ctest wraps each mode in dbus-run-session:
//   unlocked: sh -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec tst_KeychainReal'
//   locked:   sh -c 'exec tst_KeychainReal --locked'   (the daemon is D-Bus-activated with the login keyring locked)
// Both run with HOME in the build tree, so they never touch the developer's own keyring.

#include "secrets/KeychainCredentialStore.h"
#include "secrets/QtKeychainBackend.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRandomGenerator>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cstring>
#include <optional>

using Core::Error;
using Core::KeychainBackend;
using Core::KeychainCredentialStore;
using Core::KeychainReply;
using Core::Ok;
using Core::Result;

namespace {

const QString kLocked = QStringLiteral("The keychain is locked — unlock it and retry");
constexpr int kWaitMs = 40000; // above the store's own 30 s timeout

const char* const kHowToRun =
    "No D-Bus session bus: DBUS_SESSION_BUS_ADDRESS is unset. This test needs a private bus with "
    "gnome-keyring; run it through ctest (ctest -L keychain), which wraps it as\n"
    "  dbus-run-session -- sh -c 'printf pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null; "
    "exec tst_KeychainReal'\n"
    "and, for the locked keyring, as dbus-run-session -- sh -c 'exec tst_KeychainReal --locked'.";

QString randomSecret()
{
    QByteArray bytes(24, Qt::Uninitialized);
    QRandomGenerator::system()->generate(bytes.begin(), bytes.end());
    return QStringLiteral("mlc-secret-") + QString::fromLatin1(bytes.toHex());
}

QString dataHome()
{
    const QString xdg = qEnvironmentVariable("XDG_DATA_HOME");
    return xdg.isEmpty() ? QDir::homePath() + QStringLiteral("/.local/share") : xdg;
}

// Every place the app or QtKeychain could leave a plaintext copy: the profile, the settings
// directories (test mode and real), QSettings' file and the keyring files themselves.
QStringList placesToSearch(const QString& profileDir)
{
    QStringList places{profileDir,
                       QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation),
                       QStandardPaths::writableLocation(QStandardPaths::AppDataLocation),
                       QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation),
                       QFileInfo(QSettings().fileName()).absolutePath(),
                       dataHome() + QStringLiteral("/keyrings")};
    const QDir config(QDir::homePath() + QStringLiteral("/.config"));
    for (const QString& entry :
         config.entryList({QStringLiteral("ml-connector*")}, QDir::AllEntries | QDir::NoDotAndDotDot))
        places.append(config.filePath(entry));
    places.removeDuplicates();
    return places;
}

struct Scan
{
    int filesRead = 0;
    QStringList hits;
};

Scan scanFor(const QByteArray& needle, const QStringList& places)
{
    Scan scan;
    for (const QString& place : places) {
        const QFileInfo info(place);
        QStringList files;
        if (info.isFile()) {
            files.append(place);
        } else if (info.isDir()) {
            QDirIterator it(place, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
            while (it.hasNext())
                files.append(it.next());
        }
        for (const QString& path : files) {
            QFile file(path);
            if (!file.open(QIODevice::ReadOnly))
                continue;
            ++scan.filesRead;
            if (file.readAll().contains(needle))
                scan.hits.append(path);
        }
    }
    return scan;
}

template <typename T>
std::optional<Result<T>> waitFor(const std::function<void(QObject*, std::function<void(Result<T>)>)>& call)
{
    std::optional<Result<T>> result;
    QObject context;
    call(&context, [&result](Result<T> r) { result.emplace(std::move(r)); });
    (void)QTest::qWaitFor([&result] { return result.has_value(); }, kWaitMs); // empty optional = no answer
    return result;
}

std::optional<KeychainReply>
rawJob(KeychainBackend::Operation operation, const QString& service, const QString& key, const QString& value = {})
{
    std::optional<KeychainReply> reply;
    QObject context;
    Core::QtKeychainBackend backend;
    backend.start(operation, service, key, value, &context, [&reply](const KeychainReply& r) { reply = r; });
    (void)QTest::qWaitFor([&reply] { return reply.has_value(); }, kWaitMs); // empty optional = no answer
    return reply;
}

// QVERIFY2 builds its message even when the check passes, so this must not touch a missing error.
template <typename T>
QString describe(const Result<T>& result)
{
    if (result.ok())
        return QStringLiteral("ok");
    const Error& error = result.error();
    return QStringLiteral("kind %1, code %2: %3").arg(int(error.kind)).arg(error.code, error.message);
}

} // namespace

// Shared set-up for both modes.
class KeychainTestBase : public QObject
{
    Q_OBJECT

protected:
    void prepare()
    {
        QVERIFY2(!qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS"), kHowToRun);
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("ml-connector"));
        QCoreApplication::setApplicationName(QStringLiteral("ml-connector"));
        m_profile = std::make_unique<QTemporaryDir>();
        QVERIFY(m_profile->isValid());
        m_profileId = QStringLiteral("tst-") + QString::number(QRandomGenerator::system()->generate(), 16);
        qInfo("HOME=%s, profile %s in %s", qPrintable(QDir::homePath()), qPrintable(m_profileId),
              qPrintable(m_profile->path()));

        // The scan must be able to find something, or "found nowhere" proves nothing.
        QTemporaryDir control;
        QFile planted(control.filePath(QStringLiteral("planted")));
        QVERIFY(planted.open(QIODevice::WriteOnly));
        planted.write("xx needle-4711 xx");
        planted.close();
        QCOMPARE(scanFor("needle-4711", {control.path()}).hits.size(), 1);
    }

    void verifyNotOnDisk(const QString& secret)
    {
        const QStringList places = placesToSearch(m_profile->path());
        const Scan scan = scanFor(secret.toUtf8(), places);
        qInfo("searched %d files under: %s", scan.filesRead, qPrintable(places.join(QStringLiteral(", "))));
        QVERIFY2(scan.hits.isEmpty(),
                 qPrintable(QStringLiteral("secret found in plain text in: ") + scan.hits.join(QStringLiteral(", "))));
    }

    std::unique_ptr<QTemporaryDir> m_profile;
    QString m_profileId;
};

class tst_KeychainReal : public KeychainTestBase
{
    Q_OBJECT

private slots:
    void initTestCase() { prepare(); }

    void rawQtKeychainCodes()
    {
        // Pins what the mapping relies on: a missing entry is EntryNotFound(1), writes succeed.
        const QString service = KeychainCredentialStore::serviceNameFor(m_profileId);
        const auto missing = rawJob(KeychainBackend::Operation::Read, service, QStringLiteral("never/written"));
        QVERIFY(missing);
        qInfo("unlocked, read of a missing entry: error %d \"%s\"", int(missing->error),
              qPrintable(missing->errorString));
        QCOMPARE(missing->error, QKeychain::EntryNotFound);
        const auto written = rawJob(KeychainBackend::Operation::Write, service, QStringLiteral("raw/check"),
                                    QStringLiteral("not a secret"));
        QVERIFY(written);
        QVERIFY2(written->error == QKeychain::NoError,
                 qPrintable(QStringLiteral("error %1: %2").arg(int(written->error)).arg(written->errorString)));
        const auto removed = rawJob(KeychainBackend::Operation::Remove, service, QStringLiteral("raw/check"));
        QVERIFY(removed);
        QCOMPARE(removed->error, QKeychain::NoError);
    }

    void writeReadRemoveLeavesNoPlaintext()
    {
        const QString key = QStringLiteral("zoho/refresh_token");
        const QString secret = randomSecret();
        KeychainCredentialStore store(m_profileId, m_profile->path());

        auto written = waitFor<Ok>([&](QObject* c, auto cb) { store.write(key, secret, c, cb); });
        QVERIFY2(written, "no answer to write");
        QVERIFY2(written->ok(), qPrintable(describe(*written)));

        // A second store (nothing shared in memory) reads it back: it really is in the keychain.
        KeychainCredentialStore other(m_profileId, m_profile->path());
        auto read = waitFor<QString>([&](QObject* c, auto cb) { other.read(key, c, cb); });
        QVERIFY2(read, "no answer to read");
        QVERIFY2(read->ok(), qPrintable(describe(*read)));
        QCOMPARE(read->value(), secret);
        QCOMPARE(other.knownKeys(), QStringList{key});

        // While it is stored: the index names the key, and the value is in no file anywhere.
        QFile index(store.indexFilePath());
        QVERIFY(index.open(QIODevice::ReadOnly));
        const QByteArray indexBytes = index.readAll();
        QVERIFY(indexBytes.contains(key.toUtf8()));
        QVERIFY(!indexBytes.contains(secret.toUtf8()));
        verifyNotOnDisk(secret);

        auto removed = waitFor<Ok>([&](QObject* c, auto cb) { store.remove(key, c, cb); });
        QVERIFY2(removed, "no answer to remove");
        QVERIFY2(removed->ok(), qPrintable(describe(*removed)));
        QVERIFY(store.knownKeys().isEmpty());

        auto gone = waitFor<QString>([&](QObject* c, auto cb) { store.read(key, c, cb); });
        QVERIFY2(gone, "no answer to the read after remove");
        QVERIFY(!gone->ok());
        QCOMPARE(gone->error().kind, Error::Kind::NotFound);
        QCOMPARE(gone->error().message, QStringLiteral("zoho/refresh_token is not configured"));
        verifyNotOnDisk(secret);
    }

    void removeAllEmptiesTheKeychain()
    {
        const QStringList keys{QStringLiteral("oracle/client_secret"), QStringLiteral("oracle/password"),
                               QStringLiteral("zoho/client_secret")};
        KeychainCredentialStore store(m_profileId, m_profile->path());
        for (const QString& key : keys) {
            auto written = waitFor<Ok>([&](QObject* c, auto cb) { store.write(key, randomSecret(), c, cb); });
            QVERIFY(written && written->ok());
        }
        QCOMPARE(store.knownKeys(), keys);
        auto all = waitFor<Ok>([&](QObject* c, auto cb) { store.removeAll(c, cb); });
        QVERIFY(all);
        QVERIFY2(all->ok(), qPrintable(describe(*all)));
        QVERIFY(store.knownKeys().isEmpty());
        for (const QString& key : keys) {
            const auto raw = rawJob(KeychainBackend::Operation::Read, store.serviceName(), key);
            QVERIFY(raw);
            QCOMPARE(raw->error, QKeychain::EntryNotFound);
        }
    }
};

class tst_KeychainLocked : public KeychainTestBase
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        prepare();
        // A fresh HOME has no login keyring, which fails differently ("Object does not exist at path
        // .../collection/login"); the unlocked run creates it, so ctest runs that first (fixture).
        const QString keyring = dataHome() + QStringLiteral("/keyrings/login.keyring");
        QVERIFY2(QFile::exists(keyring), qPrintable(keyring + QStringLiteral(" is missing: run the unlocked test "
                                                                             "first (ctest -L keychain does)")));
    }

    void rawQtKeychainCodes()
    {
        const QString service = KeychainCredentialStore::serviceNameFor(m_profileId);
        const auto write = rawJob(KeychainBackend::Operation::Write, service, QStringLiteral("raw/check"),
                                  QStringLiteral("not a secret"));
        QVERIFY(write);
        qInfo("locked, write: error %d \"%s\"", int(write->error), qPrintable(write->errorString));
        QCOMPARE(write->error, QKeychain::AccessDenied);
        QCOMPARE(write->errorString, QStringLiteral("Cannot create an item in a locked collection"));

        // The traps the store works around: a locked read says "not found", a locked delete "done".
        const auto read = rawJob(KeychainBackend::Operation::Read, service, QStringLiteral("raw/check"));
        QVERIFY(read);
        qInfo("locked, read: error %d \"%s\"", int(read->error), qPrintable(read->errorString));
        QCOMPARE(read->error, QKeychain::EntryNotFound);
        const auto removed = rawJob(KeychainBackend::Operation::Remove, service, QStringLiteral("raw/check"));
        QVERIFY(removed);
        qInfo("locked, delete: error %d \"%s\"", int(removed->error), qPrintable(removed->errorString));
        QCOMPARE(removed->error, QKeychain::NoError);
    }

    void writeFailsAsLockedAndLeavesNoPlaintext()
    {
        const QString key = QStringLiteral("oracle/password");
        const QString secret = randomSecret();
        KeychainCredentialStore store(m_profileId, m_profile->path());

        auto written = waitFor<Ok>([&](QObject* c, auto cb) { store.write(key, secret, c, cb); });
        QVERIFY2(written, "no answer to write");
        QVERIFY(!written->ok());
        QCOMPARE(written->error().kind, Error::Kind::Unavailable);
        QCOMPARE(written->error().message, kLocked);
        QCOMPARE(written->error().code, QStringLiteral("AccessDenied"));
        QVERIFY(store.knownKeys().isEmpty());
        QVERIFY(!QFile(store.indexFilePath()).exists() || !QFile(store.indexFilePath()).size() ||
                Core::CredentialKeyIndex(store.indexFilePath()).keys().isEmpty());

        // Reads and removes say "locked" too, not "not configured" / "done".
        auto read = waitFor<QString>([&](QObject* c, auto cb) { store.read(key, c, cb); });
        QVERIFY(read);
        QVERIFY(!read->ok());
        QCOMPARE(read->error().message, kLocked);
        auto removed = waitFor<Ok>([&](QObject* c, auto cb) { store.remove(key, c, cb); });
        QVERIFY(removed);
        QVERIFY(!removed->ok());
        QCOMPARE(removed->error().message, kLocked);

        verifyNotOnDisk(secret);
    }
};

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    // "--locked" picks the mode; QTest sees the remaining arguments.
    bool locked = false;
    QList<char*> args;
    for (int i = 0; i < argc; ++i) {
        if (std::strcmp(argv[i], "--locked") == 0)
            locked = true;
        else
            args.append(argv[i]);
    }
    if (locked) {
        tst_KeychainLocked test;
        return QTest::qExec(&test, int(args.size()), args.data());
    }
    tst_KeychainReal test;
    return QTest::qExec(&test, int(args.size()), args.data());
}

#include "tst_KeychainReal.moc"
