#include "KeychainCredentialStore.h"

#include "Logging.h"
#include "secrets/QtKeychainBackend.h"

#include <QDir>
#include <QPointer>
#include <QTimer>

#include <algorithm>
#include <utility>

namespace Core {

struct KeychainCredentialStore::Operation
{
    enum class Kind { Read, Write, Remove };

    Kind kind = Kind::Read;
    QString key;
    QString value; // Write only
    QPointer<QObject> context;
    ReadCallback onRead;
    DoneCallback onDone;
    bool addedToIndex = false; // this write added the key, so a failed write takes it out again
    bool abandoned = false;    // timed out: the caller has had its answer
    bool finished = false;
};

namespace {
const char* verb(int kind)
{
    static const char* const verbs[] = {"reading", "writing", "removing"};
    return verbs[kind];
}

QString codeName(QKeychain::Error code)
{
    switch (code) {
    case QKeychain::NoError:
        return QStringLiteral("NoError");
    case QKeychain::EntryNotFound:
        return QStringLiteral("EntryNotFound");
    case QKeychain::CouldNotDeleteEntry:
        return QStringLiteral("CouldNotDeleteEntry");
    case QKeychain::AccessDeniedByUser:
        return QStringLiteral("AccessDeniedByUser");
    case QKeychain::AccessDenied:
        return QStringLiteral("AccessDenied");
    case QKeychain::NoBackendAvailable:
        return QStringLiteral("NoBackendAvailable");
    case QKeychain::NotImplemented:
        return QStringLiteral("NotImplemented");
    case QKeychain::OtherError:
        return QStringLiteral("OtherError");
    }
    return QString::number(int(code));
}

// No session bus ("Cannot autolaunch D-Bus without X11 $DISPLAY"), or a bus without a Secret
// Service ("The name org.freedesktop.secrets was not provided by any .service files"), or KWallet's
// "Could not open wallet: org.freedesktop.DBus.Error.ServiceUnknown; ...".
bool meansNoService(const QString& errorString)
{
    return errorString.contains(QLatin1String("D-Bus"), Qt::CaseInsensitive) ||
           errorString.contains(QLatin1String("DBus"), Qt::CaseInsensitive) ||
           errorString.contains(QLatin1String("org.freedesktop.secrets was not provided"), Qt::CaseInsensitive);
}
} // namespace

KeychainCredentialStore::KeychainCredentialStore(const QString& profileId,
                                                 const QString& profileDirectory,
                                                 QObject* parent)
    : KeychainCredentialStore(profileId, profileDirectory, std::make_unique<QtKeychainBackend>(), parent)
{ }

KeychainCredentialStore::KeychainCredentialStore(const QString& profileId,
                                                 const QString& profileDirectory,
                                                 std::unique_ptr<KeychainBackend> backend,
                                                 QObject* parent)
    : CredentialStore(parent)
    , m_backend(std::move(backend))
    , m_service(serviceNameFor(profileId))
    , m_index(QDir(profileDirectory).filePath(CredentialKeyIndex::defaultFileName()))
{ }

// Running jobs call back through connections whose context is this store, so they go quiet here.
KeychainCredentialStore::~KeychainCredentialStore() = default;

QString KeychainCredentialStore::serviceNameFor(const QString& profileId)
{
    return QStringLiteral("ml-connector/") + profileId;
}

QString KeychainCredentialStore::describe() const
{
    return tr("system keychain, service \"%1\" (%n secret(s) listed in %2)", nullptr, int(m_index.keys().size()))
        .arg(m_service, m_index.filePath());
}

Error KeychainCredentialStore::mapError(QKeychain::Error code, const QString& errorString, const QString& key)
{
    // Error::code keeps QtKeychain's own name for the logs and for support.
    const auto error = [code](Error::Kind kind, const QString& message) {
        return Error{kind, message, 0, codeName(code)};
    };
    const QString noKeychain = tr("No keychain service is available (is gnome-keyring or KWallet running?); secrets "
                                  "will be kept in memory for this session only");
    switch (code) {
    case QKeychain::NoBackendAvailable:
        return error(Error::Kind::Unavailable, noKeychain);
    case QKeychain::OtherError:
        if (meansNoService(errorString))
            return error(Error::Kind::Unavailable, noKeychain);
        // gnome-keyring with no login keyring yet and no prompter to create one.
        if (errorString.contains(QLatin1String("/org/freedesktop/secrets/collection/")))
            return error(Error::Kind::Unavailable,
                         tr("The keychain has no default keyring — create or unlock one (e.g. by logging in to the "
                            "desktop) and retry"));
        break;
    case QKeychain::AccessDenied:
        return error(Error::Kind::Unavailable, tr("The keychain is locked — unlock it and retry"));
    case QKeychain::EntryNotFound:
        return error(Error::Kind::NotFound, tr("%1 is not configured").arg(key));
    default:
        break;
    }
    const QString detail = errorString.isEmpty() ? tr("unknown error") : errorString;
    return error(Error::Kind::Storage, tr("The keychain failed on %1: %2").arg(key, detail));
}

void KeychainCredentialStore::read(const QString& key, QObject* context, ReadCallback callback)
{
    if (auto valid = validateKey(key); !valid) {
        deliver<QString>(context, std::move(callback), valid.error());
        return;
    }
    auto operation = std::make_shared<Operation>();
    operation->kind = Operation::Kind::Read;
    operation->key = key;
    operation->context = context;
    operation->onRead = std::move(callback);
    enqueue(operation);
}

void KeychainCredentialStore::write(const QString& key, const QString& value, QObject* context, DoneCallback callback)
{
    if (auto valid = validateWrite(key, value); !valid) {
        deliver<Ok>(context, std::move(callback), valid.error());
        return;
    }
    auto operation = std::make_shared<Operation>();
    operation->kind = Operation::Kind::Write;
    operation->key = key;
    operation->value = value;
    operation->context = context;
    operation->onDone = std::move(callback);
    enqueue(operation);
}

void KeychainCredentialStore::remove(const QString& key, QObject* context, DoneCallback callback)
{
    if (auto valid = validateKey(key); !valid) {
        deliver<Ok>(context, std::move(callback), valid.error());
        return;
    }
    auto operation = std::make_shared<Operation>();
    operation->kind = Operation::Kind::Remove;
    operation->key = key;
    operation->context = context;
    operation->onDone = std::move(callback);
    enqueue(operation);
}

void KeychainCredentialStore::enqueue(const OperationPtr& operation)
{
    std::weak_ptr<Operation> weak = operation;
    QTimer::singleShot(m_timeout, this, [this, weak] {
        if (const OperationPtr op = weak.lock())
            timedOut(op);
    });
    auto& queue = m_queues[operation->key];
    queue.push_back(operation);
    if (queue.size() == 1)
        begin(operation);
    else
        qCDebug(lcSecrets) << "queued" << verb(int(operation->kind)) << operation->key << "behind" << queue.size() - 1
                           << "operation(s)";
}

void KeychainCredentialStore::begin(const OperationPtr& operation)
{
    qCDebug(lcSecrets) << verb(int(operation->kind)) << operation->key << "in" << m_service;
    switch (operation->kind) {
    case Operation::Kind::Read:
        runJob(operation, KeychainBackend::Operation::Read, operation->key, {}, &KeychainCredentialStore::readFinished);
        break;
    case Operation::Kind::Write:
        // Index first: a write that lands after our timeout must still be found by "forget all".
        operation->addedToIndex = !m_index.contains(operation->key);
        if (auto indexed = m_index.add(operation->key); !indexed) {
            operation->addedToIndex = false;
            finishDone(operation, indexed.error());
            return;
        }
        runJob(operation, KeychainBackend::Operation::Write, operation->key, operation->value,
               &KeychainCredentialStore::writeFinished);
        break;
    case Operation::Kind::Remove:
        // Overwrite before deleting: on a locked gnome-keyring the write fails, the delete would not.
        runJob(operation, KeychainBackend::Operation::Write, operation->key, QString(),
               &KeychainCredentialStore::blankFinished);
        break;
    }
}

void KeychainCredentialStore::runJob(const OperationPtr& operation,
                                     KeychainBackend::Operation job,
                                     const QString& key,
                                     const QString& value,
                                     ReplyHandler handler)
{
    m_backend->start(job, m_service, key, value, this,
                     [this, operation, handler](const KeychainReply& reply) { (this->*handler)(operation, reply); });
}

void KeychainCredentialStore::readFinished(const OperationPtr& operation, const KeychainReply& reply)
{
    if (reply.error == QKeychain::NoError) {
        finishRead(operation, reply.value);
        return;
    }
    if (reply.error != QKeychain::EntryNotFound || operation->abandoned) {
        finishRead(operation, failure(operation, reply));
        return;
    }
    // A locked gnome-keyring also says "not found": only a writable keychain makes it true.
    runJob(operation, KeychainBackend::Operation::Write, probeKey(), QStringLiteral("ml-connector keychain check"),
           &KeychainCredentialStore::probeFinished);
}

void KeychainCredentialStore::probeFinished(const OperationPtr& operation, const KeychainReply& reply)
{
    if (reply.error != QKeychain::NoError) {
        finishRead(operation, failure(operation, reply));
        return;
    }
    // Nobody waits for the cleanup; QtKeychain runs it after the jobs already queued.
    m_backend->start(
        KeychainBackend::Operation::Remove, m_service, probeKey(), {}, this, [](const KeychainReply& cleanup) {
            if (cleanup.error != QKeychain::NoError)
                qCWarning(lcSecrets) << "could not delete the keychain probe entry:" << cleanup.errorString;
        });
    finishRead(operation, mapError(QKeychain::EntryNotFound, {}, operation->key));
}

void KeychainCredentialStore::writeFinished(const OperationPtr& operation, const KeychainReply& reply)
{
    if (reply.error == QKeychain::NoError) {
        finishDone(operation, Ok{});
        return;
    }
    if (operation->addedToIndex) {
        if (auto unindexed = m_index.removeKey(operation->key); !unindexed)
            qCWarning(lcSecrets) << unindexed.error().message;
    }
    finishDone(operation, failure(operation, reply));
}

void KeychainCredentialStore::blankFinished(const OperationPtr& operation, const KeychainReply& reply)
{
    if (reply.error != QKeychain::NoError) {
        finishDone(operation, failure(operation, reply));
        return;
    }
    runJob(operation, KeychainBackend::Operation::Remove, operation->key, {}, &KeychainCredentialStore::deleteFinished);
}

void KeychainCredentialStore::deleteFinished(const OperationPtr& operation, const KeychainReply& reply)
{
    if (reply.error != QKeychain::NoError && reply.error != QKeychain::EntryNotFound) {
        finishDone(operation, failure(operation, reply));
        return;
    }
    // The secret is gone; a stale name in the index costs only a harmless delete later.
    if (auto unindexed = m_index.removeKey(operation->key); !unindexed)
        qCWarning(lcSecrets) << unindexed.error().message;
    finishDone(operation, Ok{});
}

Error KeychainCredentialStore::failure(const OperationPtr& operation, const KeychainReply& reply) const
{
    qCWarning(lcSecrets).nospace() << verb(int(operation->kind)) << " " << operation->key << " in " << m_service
                                   << " failed: QtKeychain error " << int(reply.error) << " " << codeName(reply.error)
                                   << ": " << reply.errorString;
    return mapError(reply.error, reply.errorString, operation->key);
}

void KeychainCredentialStore::finishRead(const OperationPtr& operation, Result<QString> result)
{
    if (!operation->abandoned && operation->context)
        deliver<QString>(operation->context, operation->onRead, std::move(result));
    retire(operation);
}

void KeychainCredentialStore::finishDone(const OperationPtr& operation, Result<Ok> result)
{
    if (result)
        qCDebug(lcSecrets) << "done" << verb(int(operation->kind)) << operation->key;
    if (!operation->abandoned && operation->context)
        deliver<Ok>(operation->context, operation->onDone, std::move(result));
    retire(operation);
}

void KeychainCredentialStore::retire(const OperationPtr& operation)
{
    operation->finished = true;
    operation->onRead = nullptr;
    operation->onDone = nullptr;
    auto it = m_queues.find(operation->key);
    if (it == m_queues.end())
        return;
    auto& queue = it.value();
    queue.erase(std::remove(queue.begin(), queue.end(), operation), queue.end());
    if (queue.empty()) {
        m_queues.erase(it);
        return;
    }
    begin(queue.front());
}

void KeychainCredentialStore::timedOut(const OperationPtr& operation)
{
    if (operation->finished || operation->abandoned)
        return;
    operation->abandoned = true;
    const QString seconds = QString::number(double(m_timeout.count()) / 1000.0);
    qCWarning(lcSecrets) << "gave up" << verb(int(operation->kind)) << operation->key << "after" << m_timeout.count()
                         << "ms; the keychain job is left to finish";
    const Error error{Error::Kind::Timeout,
                      tr("The keychain did not answer within %1 s while %2 %3; it may be waiting for an unlock prompt")
                          .arg(seconds, QLatin1String(verb(int(operation->kind))), operation->key)};
    if (operation->context) {
        if (operation->kind == Operation::Kind::Read)
            deliver<QString>(operation->context, operation->onRead, error);
        else
            deliver<Ok>(operation->context, operation->onDone, error);
    }
    // One still waiting in the queue never starts; a running one keeps its key busy until it ends.
    auto it = m_queues.find(operation->key);
    if (it != m_queues.end() && !it.value().empty() && it.value().front() != operation) {
        operation->finished = true;
        auto& queue = it.value();
        queue.erase(std::remove(queue.begin(), queue.end(), operation), queue.end());
    }
}

} // namespace Core
