#pragma once

#include "secrets/CredentialKeyIndex.h"
#include "secrets/CredentialStore.h"
#include "secrets/KeychainBackend.h"

#include <QHash>

#include <chrono>
#include <deque>
#include <memory>

namespace Core {

// Secrets in the system keychain through QtKeychain, under the service "ml-connector/<profileId>",
// with the key names indexed in <profileDirectory>/credential-keys.json.
//
// - Operations on one key run one after the other, in call order; different keys may interleave.
// - Each call has a logical timeout (30 s by default): the caller then gets Kind::Timeout, but the
//   job is left to finish (never deleted) and the key's later operations wait for it.
// - Never falls back to plain text. With no keychain, calls fail with Kind::Unavailable and the
//   application decides what to do (e.g. keep secrets in a MemoryCredentialStore).
// - gnome-keyring quirks handled here: a locked keyring answers a read with "Entry not found" and a
//   delete with success while keeping the item. So a read that finds nothing checks the keychain is
//   writable (with a reserved probe entry) before saying "not configured", and a remove first
//   overwrites the value, which fails on a locked keyring, before deleting it.
class KeychainCredentialStore final : public CredentialStore
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeychainCredentialStore)

public:
    static constexpr std::chrono::milliseconds kDefaultTimeout{30000};

    KeychainCredentialStore(const QString& profileId, const QString& profileDirectory, QObject* parent = nullptr);
    // For tests: runs jobs through `backend` instead of QtKeychain.
    KeychainCredentialStore(const QString& profileId,
                            const QString& profileDirectory,
                            std::unique_ptr<KeychainBackend> backend,
                            QObject* parent = nullptr);
    ~KeychainCredentialStore() override;

    QString name() const override { return QStringLiteral("keychain"); }
    QString describe() const override;

    void read(const QString& key, QObject* context, ReadCallback callback) override;
    void write(const QString& key, const QString& value, QObject* context, DoneCallback callback) override;
    void remove(const QString& key, QObject* context, DoneCallback callback) override;
    QStringList knownKeys() const override { return m_index.keys(); }

    QString serviceName() const { return m_service; }
    QString indexFilePath() const { return m_index.filePath(); }
    std::chrono::milliseconds timeout() const { return m_timeout; }
    void setTimeout(std::chrono::milliseconds timeout) { m_timeout = timeout; }

    static QString serviceNameFor(const QString& profileId);
    // The entry written and deleted to tell a locked keychain from a missing secret; holds no secret.
    static QString probeKey() { return QStringLiteral("_keychain-check"); }
    // What people see for a QtKeychain failure (`code` is never NoError). Pure, for table tests.
    static Error mapError(QKeychain::Error code, const QString& errorString, const QString& key);

private:
    struct Operation;
    using OperationPtr = std::shared_ptr<Operation>;
    using ReplyHandler = void (KeychainCredentialStore::*)(const OperationPtr&, const KeychainReply&);

    void enqueue(const OperationPtr& operation);
    void begin(const OperationPtr& operation);
    void runJob(const OperationPtr& operation,
                KeychainBackend::Operation job,
                const QString& key,
                const QString& value,
                ReplyHandler handler);
    void readFinished(const OperationPtr& operation, const KeychainReply& reply);
    void probeFinished(const OperationPtr& operation, const KeychainReply& reply);
    void writeFinished(const OperationPtr& operation, const KeychainReply& reply);
    void blankFinished(const OperationPtr& operation, const KeychainReply& reply);
    void deleteFinished(const OperationPtr& operation, const KeychainReply& reply);
    void finishRead(const OperationPtr& operation, Result<QString> result);
    void finishDone(const OperationPtr& operation, Result<Ok> result);
    void retire(const OperationPtr& operation);
    void timedOut(const OperationPtr& operation);
    Error failure(const OperationPtr& operation, const KeychainReply& reply) const;

    std::unique_ptr<KeychainBackend> m_backend;
    QString m_service;
    CredentialKeyIndex m_index;
    std::chrono::milliseconds m_timeout = kDefaultTimeout;
    // Per key: the front operation is running, the rest wait for it.
    QHash<QString, std::deque<OperationPtr>> m_queues;
};

} // namespace Core
