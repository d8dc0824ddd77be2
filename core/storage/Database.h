#pragma once

#include "Result.h"
#include "storage/Migrations.h"

#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

class QThread;

namespace Core {

class Clock;

// A reader's own read-only connection (QSQLITE_OPEN_READONLY) to a profile's database, for UI models
// and CLI queries. It belongs to the thread that opened it and must be destroyed there. It holds no
// QSqlDatabase copy itself, so removeDatabase() in the destructor only warns if a caller still keeps a
// QSqlQuery or QSqlDatabase from database() alive: let those go out of scope first.
class ReadConnection
{
public:
    ReadConnection() = default;
    ReadConnection(ReadConnection&& other) noexcept;
    ReadConnection& operator=(ReadConnection&& other) noexcept;
    ReadConnection(const ReadConnection&) = delete;
    ReadConnection& operator=(const ReadConnection&) = delete;
    ~ReadConnection();

    bool isValid() const { return !m_name.isEmpty(); }
    QString connectionName() const { return m_name; }
    QString path() const { return m_path; }
    QSqlDatabase database() const;

private:
    friend class Database;
    ReadConnection(QString name, QString path);
    void release();

    QString m_name;
    QString m_path;
};

// One SQLite file per profile, opened through Qt Sql.
//
// Threading design: the Database object owns the single writer connection, in the thread that opened
// it (the GUI/main thread), and every write goes through it in short transactions. Under WAL with
// synchronous=NORMAL a commit does not fsync, so a write costs well under a millisecond and does not
// need a writer thread; this keeps the code free of cross-thread SQL and of SQLITE_BUSY storms between
// writers. Readers (UI models, the CLI, a worker thread) use openReadConnection(), which gives each of
// them a connection of their own; WAL lets them read while the writer commits.
//
// open() never deletes anything: a file that fails PRAGMA quick_check (or is not a database) is renamed
// aside to "<name>.corrupt-<yyyyMMdd-HHmmss>" (UTC) with its -wal/-shm/-journal, a fresh database is
// created, and recoveredFromCorruption() tells the caller so the user can be told. A file written by a
// newer schema is refused and left untouched.
class Database
{
public:
    struct Options
    {
        int busyTimeoutMs = 5000;
        // SQLite VFS to open the file with; empty means the default. A VFS without shared memory
        // ("unix-none") behaves like a network filesystem: WAL is impossible there.
        QString vfs;
        const Clock* clock = nullptr; // for the corrupt-file name; null means the system clock
        // Replaces the built-in migrations (a test hook, e.g. to inject a failing step).
        std::optional<QList<Migration>> migrations;
    };

    // What journal_mode=WAL reported decides the rest: WAL + synchronous=NORMAL, or DELETE + FULL.
    struct JournalSettings
    {
        bool wal = false;
        QString journalMode; // "wal" or "delete"
        QString synchronous; // "NORMAL" or "FULL"
    };
    static JournalSettings journalSettingsFor(const QString& reportedMode);

    static Result<std::unique_ptr<Database>> open(const QString& path, const Options& options);
    static Result<std::unique_ptr<Database>> open(const QString& path) { return open(path, Options()); }

    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    // The writer connection; use it only in the owner thread.
    QSqlDatabase connection() const;
    QString path() const { return m_path; }
    bool isOwnerThread() const;
    // A consistent copy of the whole database in a new file (VACUUM INTO), for dry runs that must
    // leave the real outbox, links and audit trail untouched.
    Result<Ok> snapshotTo(const QString& copyPath) const;

    bool walEnabled() const { return m_journal.wal; }
    QString journalMode() const { return m_journal.journalMode; }
    bool recoveredFromCorruption() const { return !m_corruptMovedTo.isEmpty(); }
    QString corruptFileMovedTo() const { return m_corruptMovedTo; }
    QString corruptionDetail() const { return m_corruptionDetail; }
    int schemaVersion() const { return m_schemaVersion; }
    static int latestSchemaVersion();

    // Runs work in one write transaction (BEGIN IMMEDIATE) and commits, or rolls back when work or the
    // commit fails. Nested calls become savepoints. Owner thread only.
    Result<Ok> transaction(const std::function<Result<Ok>()>& work);
    bool inTransaction() const { return m_txDepth > 0; }

    // A new read-only connection for the calling thread (any thread).
    Result<ReadConnection> openReadConnection() const;
    static Result<ReadConnection> openReadConnection(const QString& path, const Options& options);

    // Folds the WAL back into the file and closes the writer (also done by the destructor).
    void close();

    // A Storage error naming this file, for the stores built on top.
    Error sqlError(const QString& what, const QSqlError& error) const;

private:
    Database(QString path, QString connectionName, Options options);
    Result<Ok> setUp(bool* corrupt, QString* corruptionDetail);
    Result<Ok> checkIntegrity(const QSqlDatabase& db, bool* corrupt, QString* detail, int* sqliteCode);
    Result<int> readSchemaVersion(const QSqlDatabase& db) const;
    Result<Ok> applyPragmas();
    Result<Ok> migrate(const QList<Migration>& steps, int knownVersion);
    Result<Ok> checkThread() const;
    static Result<QString> moveAside(const QString& path, const Clock* clock);

    QString m_path;
    QString m_connectionName;
    Options m_options;
    QThread* m_ownerThread = nullptr;
    JournalSettings m_journal;
    QString m_corruptMovedTo;
    QString m_corruptionDetail;
    int m_schemaVersion = 0;
    int m_txDepth = 0;
};

} // namespace Core
