#include "storage/Database.h"

#include "Clock.h"
#include "Logging.h"
#include "storage/SqlUtil.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>

#include <algorithm>
#include <atomic>
#include <utility>

namespace Core {

namespace {

constexpr int kSqliteReadOnly = 8;
constexpr int kSqliteCorrupt = 11;
constexpr int kSqliteNotADb = 26;

// Connection names must be unique per process; a counter keeps two profiles (or two readers of the
// same file) from ever sharing one.
QString nextConnectionName(const QString& role)
{
    static std::atomic<quint64> counter{0};
    return QStringLiteral("ml-db-%1-%2").arg(role).arg(++counter);
}

QString sqliteName(const QString& path, const QString& vfs)
{
    if (vfs.isEmpty())
        return path;
    // A VFS can only be chosen through a URI filename (QSQLITE_OPEN_URI).
    return QUrl::fromLocalFile(QFileInfo(path).absoluteFilePath()).toString(QUrl::FullyEncoded) +
           QStringLiteral("?vfs=") + QString::fromLatin1(QUrl::toPercentEncoding(vfs));
}

QString connectOptions(const Database::Options& options, bool readOnly)
{
    QStringList parts{QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(options.busyTimeoutMs)};
    if (readOnly)
        parts << QStringLiteral("QSQLITE_OPEN_READONLY");
    if (!options.vfs.isEmpty())
        parts << QStringLiteral("QSQLITE_OPEN_URI");
    return parts.join(QLatin1Char(';'));
}

const QStringList kSidecarSuffixes{QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")};

} // namespace

// ---------------------------------------------------------------------------------------------------
// ReadConnection

ReadConnection::ReadConnection(QString name, QString path)
    : m_name(std::move(name))
    , m_path(std::move(path))
{ }

ReadConnection::ReadConnection(ReadConnection&& other) noexcept
    : m_name(std::exchange(other.m_name, QString()))
    , m_path(std::exchange(other.m_path, QString()))
{ }

ReadConnection& ReadConnection::operator=(ReadConnection&& other) noexcept
{
    if (this != &other) {
        release();
        m_name = std::exchange(other.m_name, QString());
        m_path = std::exchange(other.m_path, QString());
    }
    return *this;
}

ReadConnection::~ReadConnection()
{
    release();
}

QSqlDatabase ReadConnection::database() const
{
    return m_name.isEmpty() ? QSqlDatabase() : QSqlDatabase::database(m_name, false);
}

void ReadConnection::release()
{
    if (m_name.isEmpty())
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_name, false);
        db.close();
    } // the last copy goes here, before removeDatabase()
    QSqlDatabase::removeDatabase(m_name);
    m_name.clear();
}

// ---------------------------------------------------------------------------------------------------
// Database

Database::Database(QString path, QString connectionName, Options options)
    : m_path(std::move(path))
    , m_connectionName(std::move(connectionName))
    , m_options(std::move(options))
    , m_ownerThread(QThread::currentThread())
{ }

Database::~Database()
{
    close();
}

Database::JournalSettings Database::journalSettingsFor(const QString& reportedMode)
{
    JournalSettings settings;
    settings.wal = reportedMode.compare(QLatin1String("wal"), Qt::CaseInsensitive) == 0;
    settings.journalMode = settings.wal ? QStringLiteral("wal") : QStringLiteral("delete");
    // NORMAL is only crash-safe under WAL; a rollback journal needs FULL to survive power loss.
    settings.synchronous = settings.wal ? QStringLiteral("NORMAL") : QStringLiteral("FULL");
    return settings;
}

int Database::latestSchemaVersion()
{
    const auto steps = Migrations::builtin();
    return steps.isEmpty() ? 0 : steps.last().version;
}

Result<std::unique_ptr<Database>> Database::open(const QString& path, const Options& options)
{
    const QFileInfo info(path);
    if (path.isEmpty() || info.isDir())
        return Error(Error::Kind::Storage, QStringLiteral("Not a database file path: \"%1\"").arg(path));
    if (!QDir().mkpath(info.absolutePath())) {
        return Error(Error::Kind::Storage, QStringLiteral("Cannot create the folder %1 for the database")
                                               .arg(QDir::toNativeSeparators(info.absolutePath())));
    }
    const QString filePath = info.absoluteFilePath();

    std::unique_ptr<Database> db(new Database(filePath, nextConnectionName(QStringLiteral("writer")), options));
    bool corrupt = false;
    QString detail;
    const auto setUp = db->setUp(&corrupt, &detail);
    if (setUp)
        return db;
    if (!corrupt)
        return setUp.error();

    // Damaged: keep every byte for the user (or support) and start over beside it.
    db.reset();
    const Clock* clock = options.clock ? options.clock : SystemClock::instance();
    const auto moved = moveAside(filePath, clock);
    if (!moved)
        return moved.error();
    qCWarning(lcDb).noquote() << QStringLiteral("Database %1 failed its integrity check (%2); moved it to %3 and "
                                                "created a new one")
                                     .arg(QDir::toNativeSeparators(filePath), detail,
                                          QDir::toNativeSeparators(moved.value()));

    db.reset(new Database(filePath, nextConnectionName(QStringLiteral("writer")), options));
    bool stillCorrupt = false;
    QString ignored;
    const auto fresh = db->setUp(&stillCorrupt, &ignored);
    if (!fresh)
        return fresh.error();
    db->m_corruptMovedTo = moved.value();
    db->m_corruptionDetail = detail;
    return db;
}

Result<Ok> Database::setUp(bool* corrupt, QString* corruptionDetail)
{
    const QList<Migration> steps = m_options.migrations ? *m_options.migrations : Migrations::builtin();
    const int known = steps.isEmpty() ? 0 : steps.last().version;
    const auto refuseNewer = [&]() -> Result<Ok> {
        if (m_schemaVersion <= known)
            return Ok{};
        return Error(Error::Kind::Storage,
                     QStringLiteral("The database %1 was written by a newer ml-connector (schema %2, this version "
                                    "knows %3). Update ml-connector to open it; the file was left unchanged.")
                         .arg(QDir::toNativeSeparators(m_path))
                         .arg(m_schemaVersion)
                         .arg(known));
    };

    // Inspect an existing file through a read-only connection first. A damaged or too-new file must stay
    // byte for byte as it is, and a read-write connection would replay and checkpoint its WAL on close.
    bool inspected = false;
    const QFileInfo info(m_path);
    if (info.exists() && info.size() > 0) {
        const ReadConnection guard(nextConnectionName(QStringLiteral("check")), m_path); // removes it on return
        QSqlDatabase check = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), guard.connectionName());
        check.setDatabaseName(sqliteName(m_path, m_options.vfs));
        check.setConnectOptions(connectOptions(m_options, true));
        int code = -1;
        Result<Ok> checked = Ok{};
        if (check.open()) {
            checked = checkIntegrity(check, corrupt, corruptionDetail, &code);
        } else {
            code = SqlUtil::primaryCode(check.lastError());
            checked = sqlError(QStringLiteral("Opening the database"), check.lastError());
        }
        if (checked) {
            const auto version = readSchemaVersion(check);
            if (!version)
                return version.error();
            m_schemaVersion = version.value();
            if (const auto newer = refuseNewer(); !newer)
                return newer;
            inspected = true;
        } else if (*corrupt || code != kSqliteReadOnly) {
            return checked; // damaged, or locked/unreadable: the latter is never taken for damage
        }
        // SQLITE_READONLY: a hot rollback journal needs a writer to roll it back; check again below.
    }

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(sqliteName(m_path, m_options.vfs));
    db.setConnectOptions(connectOptions(m_options, false));
    if (!db.open())
        return sqlError(QStringLiteral("Opening the database"), db.lastError());
    if (!inspected) {
        int code = -1;
        if (const auto checked = checkIntegrity(db, corrupt, corruptionDetail, &code); !checked)
            return checked;
        const auto version = readSchemaVersion(db);
        if (!version)
            return version.error();
        m_schemaVersion = version.value();
        if (const auto newer = refuseNewer(); !newer)
            return newer;
    }

    if (const auto pragmas = applyPragmas(); !pragmas)
        return pragmas;
    return migrate(steps, known);
}

Result<int> Database::readSchemaVersion(const QSqlDatabase& db) const
{
    const auto version = SqlUtil::scalar(db, QStringLiteral("PRAGMA user_version"), m_path,
                                         QStringLiteral("Reading the schema version"));
    if (!version)
        return version.error();
    return version.value().toInt();
}

Result<Ok> Database::checkIntegrity(const QSqlDatabase& db, bool* corrupt, QString* detail, int* sqliteCode)
{
    QSqlQuery query(db);
    query.setForwardOnly(true);
    const auto failed = [&](const QSqlError& e) -> Result<Ok> {
        // Only a verdict of damage moves the file; "locked", I/O or permission errors are just errors
        // (moving or deleting a merely busy database would lose data).
        *sqliteCode = SqlUtil::primaryCode(e);
        if (*sqliteCode == kSqliteCorrupt || *sqliteCode == kSqliteNotADb) {
            *corrupt = true;
            *detail = e.databaseText();
        }
        return sqlError(QStringLiteral("Checking the database (PRAGMA quick_check)"), e);
    };
    if (!query.exec(QStringLiteral("PRAGMA quick_check")))
        return failed(query.lastError());
    QStringList problems;
    while (query.next()) {
        const QString line = query.value(0).toString();
        if (line != QLatin1String("ok"))
            problems << line;
        if (problems.size() >= 5)
            break;
    }
    if (query.lastError().isValid())
        return failed(query.lastError());
    if (!problems.isEmpty()) {
        *corrupt = true;
        *detail = problems.join(QStringLiteral("; "));
        return Error(Error::Kind::Storage,
                     QStringLiteral("The database %1 is damaged: %2").arg(QDir::toNativeSeparators(m_path), *detail));
    }
    return Ok{};
}

Result<Ok> Database::applyPragmas()
{
    const QSqlDatabase db = connection();
    const auto scalar = [&](const QString& sql) {
        return SqlUtil::scalar(db, sql, m_path, QStringLiteral("\"%1\"").arg(sql));
    };

    // Read the mode back: SQLite answers with the mode it actually uses, and keeps the old one where WAL
    // cannot work (no shared memory: network filesystems, some mounted volumes).
    QString reported;
    const auto wal = scalar(QStringLiteral("PRAGMA journal_mode=WAL"));
    if (wal)
        reported = wal.value().toString();
    else
        qCWarning(lcDb).noquote() << wal.error().message;
    m_journal = journalSettingsFor(reported);
    if (!m_journal.wal) {
        qCWarning(lcDb).noquote() << QStringLiteral("WAL is not available for %1 (journal_mode reported %2); falling "
                                                    "back to a DELETE journal with synchronous=FULL")
                                         .arg(QDir::toNativeSeparators(m_path),
                                              reported.isEmpty() ? QStringLiteral("an error") : reported);
        const auto fallback = scalar(QStringLiteral("PRAGMA journal_mode=DELETE"));
        if (!fallback)
            return fallback.error();
        if (fallback.value().toString().compare(QLatin1String("delete"), Qt::CaseInsensitive) != 0) {
            return Error(Error::Kind::Storage, QStringLiteral("Cannot set a journal mode on %1 (SQLite reports \"%2\")")
                                                   .arg(QDir::toNativeSeparators(m_path), fallback.value().toString()));
        }
    }

    const auto sync = SqlUtil::execSql(db, QStringLiteral("PRAGMA synchronous=") + m_journal.synchronous, m_path,
                                       QStringLiteral("Setting synchronous"));
    if (!sync)
        return sync;
    const auto syncNow = scalar(QStringLiteral("PRAGMA synchronous"));
    if (!syncNow)
        return syncNow.error();
    const int expectedSync = m_journal.wal ? 1 : 2; // NORMAL, FULL
    if (syncNow.value().toInt() != expectedSync) {
        return Error(Error::Kind::Storage, QStringLiteral("PRAGMA synchronous did not take effect on %1 (got %2)")
                                               .arg(QDir::toNativeSeparators(m_path))
                                               .arg(syncNow.value().toInt()));
    }

    const auto fk =
        SqlUtil::execSql(db, QStringLiteral("PRAGMA foreign_keys=ON"), m_path, QStringLiteral("Enabling foreign keys"));
    if (!fk)
        return fk;
    const auto fkNow = scalar(QStringLiteral("PRAGMA foreign_keys"));
    if (!fkNow)
        return fkNow.error();
    if (fkNow.value().toInt() != 1) {
        return Error(
            Error::Kind::Storage,
            QStringLiteral("PRAGMA foreign_keys=ON did not take effect on %1").arg(QDir::toNativeSeparators(m_path)));
    }

    // NORMAL (not EXCLUSIVE) so auditors can open the file read-only with other tools.
    const auto locking = scalar(QStringLiteral("PRAGMA locking_mode=NORMAL"));
    if (!locking)
        return locking.error();
    if (locking.value().toString().compare(QLatin1String("normal"), Qt::CaseInsensitive) != 0) {
        return Error(Error::Kind::Storage,
                     QStringLiteral("PRAGMA locking_mode=NORMAL did not take effect on %1 (got %2)")
                         .arg(QDir::toNativeSeparators(m_path), locking.value().toString()));
    }

    const auto busy = scalar(QStringLiteral("PRAGMA busy_timeout"));
    if (!busy)
        return busy.error();
    if (busy.value().toInt() != m_options.busyTimeoutMs) {
        qCWarning(lcDb) << "busy_timeout is" << busy.value().toInt() << "instead of" << m_options.busyTimeoutMs;
    }

    qCDebug(lcDb).noquote() << "Opened" << QDir::toNativeSeparators(m_path) << "journal" << m_journal.journalMode
                            << "synchronous" << m_journal.synchronous;
    return Ok{};
}

Result<Ok> Database::migrate(const QList<Migration>& steps, int knownVersion)
{
    for (int i = 0; i < steps.size(); ++i) {
        if (steps.at(i).version != i + 1 || !steps.at(i).apply)
            return Error(Error::Kind::Internal,
                         QStringLiteral("Migration steps must be numbered 1, 2, 3… without gaps"));
    }
    const int from = m_schemaVersion;
    if (from == knownVersion)
        return Ok{};

    const QSqlDatabase db = connection();
    const auto migrated = transaction([&]() -> Result<Ok> {
        for (const Migration& step : steps) {
            if (step.version <= from)
                continue;
            const auto applied = step.apply(db, m_path);
            if (!applied) {
                return Error(Error::Kind::Storage,
                             QStringLiteral("Migrating %1 to schema %2 (%3) failed: %4. The database was left at "
                                            "schema %5.")
                                 .arg(QDir::toNativeSeparators(m_path))
                                 .arg(step.version)
                                 .arg(step.name, applied.error().message)
                                 .arg(from));
            }
            // PRAGMA arguments cannot be bound; version is our own integer.
            const auto stamped = SqlUtil::execSql(db, QStringLiteral("PRAGMA user_version=%1").arg(step.version),
                                                  m_path, QStringLiteral("Setting the schema version"));
            if (!stamped)
                return stamped;
        }
        return Ok{};
    });
    if (!migrated) {
        qCWarning(lcDb).noquote() << migrated.error().message;
        return migrated;
    }
    qCInfo(lcDb).noquote() << "Migrated" << QDir::toNativeSeparators(m_path) << "from schema" << from << "to"
                           << knownVersion;
    m_schemaVersion = knownVersion;
    return Ok{};
}

Result<QString> Database::moveAside(const QString& path, const Clock* clock)
{
    const QString stamp = clock->now().toUTC().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    const QString base = path + QStringLiteral(".corrupt-") + stamp;
    QString target = base;
    const auto taken = [](const QString& candidate) {
        if (QFileInfo::exists(candidate))
            return true;
        return std::any_of(kSidecarSuffixes.cbegin(), kSidecarSuffixes.cend(),
                           [&](const QString& suffix) { return QFileInfo::exists(candidate + suffix); });
    };
    for (int n = 2; taken(target); ++n)
        target = base + QStringLiteral("-%1").arg(n);

    QFile file(path);
    if (!file.rename(target)) {
        return Error(Error::Kind::Storage,
                     QStringLiteral("The database %1 is damaged and could not be moved aside to %2 "
                                    "(%3). Nothing was deleted.")
                         .arg(QDir::toNativeSeparators(path), QDir::toNativeSeparators(target), file.errorString()));
    }
    // The -wal/-journal belong to the damaged file: left beside a fresh database they would be
    // replayed into it, so they must move too (named so SQLite pairs them with the moved file).
    for (const QString& suffix : kSidecarSuffixes) {
        QFile sidecar(path + suffix);
        if (!sidecar.exists())
            continue;
        if (!sidecar.rename(target + suffix)) {
            return Error(
                Error::Kind::Storage,
                QStringLiteral("The damaged database was moved to %1, but %2 could not be moved beside it (%3). "
                               "Nothing was deleted; move it by hand before starting again.")
                    .arg(QDir::toNativeSeparators(target), QDir::toNativeSeparators(path + suffix),
                         sidecar.errorString()));
        }
    }
    return target;
}

Result<Ok> Database::snapshotTo(const QString& copyPath) const
{
    QSqlQuery vacuum(connection());
    vacuum.prepare(QStringLiteral("VACUUM INTO ?"));
    vacuum.addBindValue(copyPath);
    if (!vacuum.exec())
        return Error(
            Error::Kind::Storage,
            QObject::tr("Cannot copy %1 to %2 for a dry run: %3").arg(m_path, copyPath, vacuum.lastError().text()));
    return Ok{};
}

QSqlDatabase Database::connection() const
{
    Q_ASSERT_X(isOwnerThread(), "Database::connection", "the writer connection belongs to the thread that opened it");
    return QSqlDatabase::database(m_connectionName, false);
}

bool Database::isOwnerThread() const
{
    return QThread::currentThread() == m_ownerThread;
}

Result<Ok> Database::checkThread() const
{
    if (m_connectionName.isEmpty())
        return Error(Error::Kind::Storage,
                     QStringLiteral("The database %1 is closed").arg(QDir::toNativeSeparators(m_path)));
    if (!isOwnerThread()) {
        return Error(Error::Kind::Internal,
                     QStringLiteral("The database %1 was used from a thread that does not own it; "
                                    "use openReadConnection() there")
                         .arg(QDir::toNativeSeparators(m_path)));
    }
    return Ok{};
}

Result<Ok> Database::transaction(const std::function<Result<Ok>()>& work)
{
    if (const auto thread = checkThread(); !thread)
        return thread;
    const QSqlDatabase db = connection();
    const bool outer = m_txDepth == 0;
    const QString savepoint = QStringLiteral("ml_sp_%1").arg(m_txDepth);
    // IMMEDIATE takes the write lock up front, so a transaction never fails half-way on a lock upgrade.
    const auto begun =
        SqlUtil::execSql(db, outer ? QStringLiteral("BEGIN IMMEDIATE") : QStringLiteral("SAVEPOINT ") + savepoint,
                         m_path, QStringLiteral("Starting a transaction"));
    if (!begun)
        return begun;

    ++m_txDepth;
    Result<Ok> result = work();
    --m_txDepth;

    if (result) {
        const auto committed =
            SqlUtil::execSql(db, outer ? QStringLiteral("COMMIT") : QStringLiteral("RELEASE ") + savepoint, m_path,
                             QStringLiteral("Committing a transaction"));
        if (committed)
            return Ok{};
        result = committed;
    }
    const auto rolledBack =
        outer
            ? SqlUtil::execSql(db, QStringLiteral("ROLLBACK"), m_path, QStringLiteral("Rolling back"))
            : SqlUtil::execSql(db, QStringLiteral("ROLLBACK TO ") + savepoint, m_path, QStringLiteral("Rolling back"));
    if (!rolledBack)
        qCWarning(lcDb).noquote() << rolledBack.error().message;
    if (!outer)
        (void)SqlUtil::execSql(db, QStringLiteral("RELEASE ") + savepoint, m_path, QStringLiteral("Releasing"));
    return result;
}

Result<ReadConnection> Database::openReadConnection() const
{
    return openReadConnection(m_path, m_options);
}

Result<ReadConnection> Database::openReadConnection(const QString& path, const Options& options)
{
    const QString name = nextConnectionName(QStringLiteral("read"));
    ReadConnection reader(name, QFileInfo(path).absoluteFilePath()); // removes the connection on any early return
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(sqliteName(path, options.vfs));
        db.setConnectOptions(connectOptions(options, true));
        if (!db.open())
            return SqlUtil::error(path, QStringLiteral("Opening a read connection"), db.lastError());
        // SQLite opens lazily: touch the schema so a missing or unreadable file fails here.
        const auto probe = SqlUtil::scalar(db, QStringLiteral("PRAGMA schema_version"), path,
                                           QStringLiteral("Opening a read connection"));
        if (!probe)
            return probe.error();
    }
    return reader;
}

void Database::close()
{
    if (m_connectionName.isEmpty())
        return;
    if (!isOwnerThread()) {
        qCWarning(lcDb) << "Database closed from a thread that does not own it:" << m_path;
    }
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        if (db.isOpen() && m_journal.wal && m_txDepth == 0) {
            // Leave a small file behind: fold the WAL back in (readers may keep it busy; that is fine).
            const auto checkpoint = SqlUtil::execSql(db, QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"), m_path,
                                                     QStringLiteral("Checkpointing"));
            if (!checkpoint)
                qCWarning(lcDb).noquote() << checkpoint.error().message;
        }
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
}

Error Database::sqlError(const QString& what, const QSqlError& error) const
{
    return SqlUtil::error(m_path, what, error);
}

} // namespace Core
