#include "Clock.h"
#include "storage/ChannelStore.h"
#include "storage/CursorStore.h"
#include "storage/Database.h"
#include "storage/EchoStore.h"
#include "storage/LinkStore.h"
#include "storage/MappingStore.h"

#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Core;

namespace {

class FixedClock final : public Clock
{
public:
    explicit FixedClock(QDateTime at)
        : m_at(std::move(at))
    { }
    QDateTime now() const override { return m_at; }

private:
    QDateTime m_at;
};

// A plain QSQLITE connection that bypasses Database, to prepare fixtures and inspect files.
class RawDb
{
public:
    explicit RawDb(const QString& path)
        : m_name(QStringLiteral("raw-%1").arg(++s_counter))
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        db.open();
    }
    ~RawDb()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    bool exec(const QString& sql) const
    {
        QSqlQuery q(db());
        const bool ok = q.exec(sql);
        if (!ok)
            qWarning("%s: %s", qPrintable(sql), qPrintable(q.lastError().text()));
        return ok;
    }
    QVariant scalar(const QString& sql) const
    {
        QSqlQuery q(db());
        if (!q.exec(sql) || !q.next())
            return QVariant();
        return q.value(0);
    }
    bool hasTable(const QString& name) const
    {
        QSqlQuery q(db());
        q.prepare(QStringLiteral("SELECT 1 FROM sqlite_master WHERE type='table' AND name=?"));
        q.addBindValue(name);
        return q.exec() && q.next();
    }

private:
    static inline int s_counter = 0;
    QString m_name;
};

QVariant pragma(const Database& db, const QString& name)
{
    QSqlQuery q(db.connection());
    if (!q.exec(QStringLiteral("PRAGMA ") + name) || !q.next())
        return QVariant();
    return q.value(0);
}

QByteArray fileBytes(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QByteArray();
    return f.readAll();
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

std::unique_ptr<Database> openOrFail(const QString& path, const Database::Options& options = {})
{
    auto opened = Database::open(path, options);
    if (!opened) {
        qWarning("open failed: %s", qPrintable(opened.error().message));
        return nullptr;
    }
    return std::move(opened.value());
}

QByteArray garbage(int size)
{
    QByteArray bytes;
    bytes.reserve(size);
    quint32 x = 2463534242u;
    for (int i = 0; i < size; ++i) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bytes.append(static_cast<char>(x & 0xff));
    }
    return bytes;
}

const QStringList kTables{QStringLiteral("outbox"),        QStringLiteral("audit_event"),
                          QStringLiteral("record_link"),   QStringLiteral("poll_cursor"),
                          QStringLiteral("channel"),       QStringLiteral("mapping_version"),
                          QStringLiteral("writeback_echo")};

} // namespace

class tst_Database : public QObject
{
    Q_OBJECT

private slots:
    void init()
    {
        // Connections must be removed only after every copy is gone, and used only in their own thread.
        QTest::failOnWarning(QRegularExpression(QStringLiteral("still in use|does not belong|open failed")));
    }

    void freshFileGetsSchemaAndPragmas()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("profiles/p1/app.db")); // folders are created
        auto db = openOrFail(path);
        QVERIFY(db);
        QCOMPARE(db->schemaVersion(), Database::latestSchemaVersion());
        QCOMPARE(Database::latestSchemaVersion(), 2);
        QVERIFY(!db->recoveredFromCorruption());

        // Read back from SQLite itself, not from our own bookkeeping.
        QVERIFY(db->walEnabled());
        QCOMPARE(pragma(*db, QStringLiteral("journal_mode")).toString(), QStringLiteral("wal"));
        QCOMPARE(pragma(*db, QStringLiteral("synchronous")).toInt(), 1); // NORMAL
        QCOMPARE(pragma(*db, QStringLiteral("foreign_keys")).toInt(), 1);
        QCOMPARE(pragma(*db, QStringLiteral("busy_timeout")).toInt(), 5000);
        QCOMPARE(pragma(*db, QStringLiteral("locking_mode")).toString(), QStringLiteral("normal"));
        QCOMPARE(pragma(*db, QStringLiteral("user_version")).toInt(), 2);
        QVERIFY(QFile::exists(path + QStringLiteral("-wal")));

        QSqlQuery q(db->connection());
        QVERIFY(q.exec(QStringLiteral("SELECT name FROM sqlite_master WHERE type IN ('table','index')")));
        QStringList names;
        while (q.next())
            names << q.value(0).toString();
        for (const QString& table : kTables)
            QVERIFY2(names.contains(table), qPrintable(table));
        for (const char* index :
             {"idx_outbox_state_next", "idx_outbox_record", "idx_audit_ts", "idx_audit_zoho_ts", "idx_audit_party_ts",
              "idx_audit_outcome_ts", "idx_audit_module_ts", "idx_audit_source_ts", "idx_record_link_party",
              "idx_audit_direction_ts", "zoho_credit"})
            QVERIFY2(names.contains(QLatin1String(index)), index);
    }

    void outboxStateIsChecked()
    {
        QTemporaryDir dir;
        auto db = openOrFail(dir.filePath(QStringLiteral("app.db")));
        QVERIFY(db);
        QSqlQuery q(db->connection());
        QVERIFY(!q.exec(QStringLiteral("INSERT INTO outbox(dedupe_key, kind, source, payload, state, next_attempt_at, "
                                       "created_at, updated_at) VALUES('k','poll','poll','{}','bogus',0,0,0)")));
    }

    void busyTimeoutWaitsForTheLock()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("app.db"));
        Database::Options options;
        options.busyTimeoutMs = 400;
        auto db = openOrFail(path, options);
        QVERIFY(db);
        QCOMPARE(pragma(*db, QStringLiteral("busy_timeout")).toInt(), 400);

        RawDb other(path);
        QVERIFY(other.exec(QStringLiteral("BEGIN IMMEDIATE"))); // another process holding the write lock
        CursorStore cursors(*db);
        QElapsedTimer timer;
        timer.start();
        const auto blocked =
            db->transaction([&]() -> Result<Ok> { return cursors.set(QStringLiteral("a"), QStringLiteral("1")); });
        const qint64 waited = timer.elapsed();
        QVERIFY(!blocked);
        QCOMPARE(blocked.error().kind, Error::Kind::Storage);
        QVERIFY2(waited >= 300, qPrintable(QString::number(waited))); // waited instead of failing at once
        QVERIFY2(blocked.error().message.contains(path), qPrintable(blocked.error().message));
        QVERIFY(other.exec(QStringLiteral("ROLLBACK")));
        QVERIFY(cursors.set(QStringLiteral("a"), QStringLiteral("1")));
    }

    void journalDecision_data()
    {
        QTest::addColumn<QString>("reported");
        QTest::addColumn<bool>("wal");
        QTest::addColumn<QString>("synchronous");
        QTest::newRow("wal") << QStringLiteral("wal") << true << QStringLiteral("NORMAL");
        QTest::newRow("WAL") << QStringLiteral("WAL") << true << QStringLiteral("NORMAL");
        QTest::newRow("kept delete") << QStringLiteral("delete") << false << QStringLiteral("FULL");
        QTest::newRow("memory") << QStringLiteral("memory") << false << QStringLiteral("FULL");
        QTest::newRow("pragma failed") << QString() << false << QStringLiteral("FULL");
    }

    void journalDecision()
    {
        QFETCH(QString, reported);
        QFETCH(bool, wal);
        QFETCH(QString, synchronous);
        const auto settings = Database::journalSettingsFor(reported);
        QCOMPARE(settings.wal, wal);
        QCOMPARE(settings.synchronous, synchronous);
        QCOMPARE(settings.journalMode, wal ? QStringLiteral("wal") : QStringLiteral("delete"));
    }

    void walFallsBackWhereSharedMemoryIsMissing()
    {
        // The "unix-none" VFS has no shared memory, like a network filesystem: SQLite keeps the old
        // journal mode when asked for WAL, and the Database must notice and fall back for real.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("app.db"));
        Database::Options options;
        options.vfs = QStringLiteral("unix-none");
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("WAL is not available")));
        auto db = openOrFail(path, options);
        QVERIFY(db);
        QVERIFY(!db->walEnabled());
        QCOMPARE(db->journalMode(), QStringLiteral("delete"));
        QCOMPARE(pragma(*db, QStringLiteral("journal_mode")).toString(), QStringLiteral("delete"));
        QCOMPARE(pragma(*db, QStringLiteral("synchronous")).toInt(), 2); // FULL without WAL
        QCOMPARE(pragma(*db, QStringLiteral("foreign_keys")).toInt(), 1);
        QCOMPARE(db->schemaVersion(), 2);
        CursorStore cursors(*db);
        QVERIFY(cursors.set(QStringLiteral("c"), QStringLiteral("v")));
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")));
        auto reader = db->openReadConnection();
        QVERIFY(reader);
        QSqlQuery q(reader.value().database());
        QVERIFY(q.exec(QStringLiteral("SELECT value FROM poll_cursor WHERE name='c'")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("v"));
    }

    void migratesAnEmptyFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("app.db"));
        QVERIFY(writeFile(path, QByteArray()));
        auto db = openOrFail(path);
        QVERIFY(db);
        QCOMPARE(db->schemaVersion(), 2);
        QVERIFY(!db->recoveredFromCorruption());
    }

    void migratesAVersion0FileAndKeepsItsData()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("app.db"));
        {
            RawDb raw(path);
            QVERIFY(raw.exec(QStringLiteral("CREATE TABLE legacy(x TEXT)")));
            QVERIFY(raw.exec(QStringLiteral("INSERT INTO legacy VALUES('kept')")));
            QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 0);
        }
        auto db = openOrFail(path);
        QVERIFY(db);
        QCOMPARE(db->schemaVersion(), 2);
        QSqlQuery q(db->connection());
        QVERIFY(q.exec(QStringLiteral("SELECT x FROM legacy")) && q.next());
        QCOMPARE(q.value(0).toString(), QStringLiteral("kept"));
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM outbox")) && q.next());
        QCOMPARE(q.value(0).toInt(), 0);
    }

    void failedMigrationRollsBackEverything()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("app.db"));
        Database::Options broken;
        QList<Migration> steps = Migrations::builtin();
        steps << Migration::fromSql(3, QStringLiteral("broken step"),
                                    {QStringLiteral("CREATE TABLE half_done(x INTEGER)"),
                                     QStringLiteral("ALTER TABLE no_such_table ADD COLUMN y TEXT")});
        broken.migrations = steps;

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("Migrating .* to schema 3")));
        const auto fromEmpty = Database::open(path, broken);
        QVERIFY(!fromEmpty);
        QCOMPARE(fromEmpty.error().kind, Error::Kind::Storage);
        QVERIFY2(fromEmpty.error().message.contains(QStringLiteral("schema 3 (broken step)")),
                 qPrintable(fromEmpty.error().message));
        QVERIFY2(fromEmpty.error().message.contains(QStringLiteral("no_such_table")),
                 qPrintable(fromEmpty.error().message));
        {
            // Steps 1 and 2 ran in one transaction: nothing of either is left.
            RawDb raw(path);
            QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 0);
            QVERIFY(!raw.hasTable(QStringLiteral("outbox")));
            QVERIFY(!raw.hasTable(QStringLiteral("half_done")));
        }

        // From v2 with data: still v2, data intact, and the app keeps working with the known schema.
        {
            auto db = openOrFail(path);
            QVERIFY(db);
            QVERIFY(CursorStore(*db).set(QStringLiteral("k"), QStringLiteral("v")));
        }
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("Migrating .* to schema 3")));
        QVERIFY(!Database::open(path, broken));
        {
            RawDb raw(path);
            QCOMPARE(raw.scalar(QStringLiteral("PRAGMA user_version")).toInt(), 2);
            QVERIFY(!raw.hasTable(QStringLiteral("half_done")));
            QCOMPARE(raw.scalar(QStringLiteral("SELECT value FROM poll_cursor WHERE name='k'")).toString(),
                     QStringLiteral("v"));
        }

        // A good step 3 then applies on top of the current schema.
        Database::Options good;
        QList<Migration> goodSteps = Migrations::builtin();
        goodSteps << Migration::fromSql(3, QStringLiteral("add notes"), {QStringLiteral("CREATE TABLE notes(x TEXT)")});
        good.migrations = goodSteps;
        auto db = openOrFail(path, good);
        QVERIFY(db);
        QCOMPARE(db->schemaVersion(), 3);
        QCOMPARE(pragma(*db, QStringLiteral("user_version")).toInt(), 3);
    }

    void newerSchemaIsRefusedAndLeftAlone()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("app.db"));
        {
            auto db = openOrFail(path);
            QVERIFY(db);
        }
        {
            RawDb raw(path);
            QVERIFY(raw.exec(QStringLiteral("PRAGMA user_version=7")));
        }
        const QByteArray before = fileBytes(path);
        const auto opened = Database::open(path);
        QVERIFY(!opened);
        QCOMPARE(opened.error().kind, Error::Kind::Storage);
        QVERIFY2(opened.error().message.contains(
                     QStringLiteral("was written by a newer ml-connector (schema 7, this version knows 2)")),
                 qPrintable(opened.error().message));
        QVERIFY(opened.error().message.contains(path));
        QCOMPARE(fileBytes(path), before);
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("*corrupt*")}, QDir::Files), QStringList());
    }

    void garbageFileIsMovedAsideNotDeleted()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("app.db"));
        const QByteArray junk = garbage(8192);
        const QByteArray junkWal = garbage(1000).toHex();
        QVERIFY(writeFile(path, junk));
        QVERIFY(writeFile(path + QStringLiteral("-wal"), junkWal));

        const FixedClock clock(QDateTime(QDate(2026, 1, 15), QTime(9, 30, 5), Qt::UTC));
        Database::Options options;
        options.clock = &clock;
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("failed its integrity check")));
        auto db = openOrFail(path, options);
        QVERIFY(db);
        QVERIFY(db->recoveredFromCorruption());
        const QString moved = path + QStringLiteral(".corrupt-20260115-093005");
        QCOMPARE(db->corruptFileMovedTo(), moved);
        QCOMPARE(fileBytes(moved), junk); // every original byte kept
        QCOMPARE(fileBytes(moved + QStringLiteral("-wal")), junkWal);
        QVERIFY(!db->corruptionDetail().isEmpty());

        // The fresh database at the original path works.
        QCOMPARE(db->schemaVersion(), 2);
        QVERIFY(db->walEnabled());
        QVERIFY(CursorStore(*db).set(QStringLiteral("k"), QStringLiteral("v")));
        db.reset();

        // A second damaged file in the same second does not overwrite the first one.
        QVERIFY(writeFile(path, junk));
        QFile::remove(path + QStringLiteral("-wal"));
        QFile::remove(path + QStringLiteral("-shm"));
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("failed its integrity check")));
        auto again = openOrFail(path, options);
        QVERIFY(again);
        QCOMPARE(again->corruptFileMovedTo(), moved + QStringLiteral("-2"));
        QCOMPARE(fileBytes(moved), junk);
        QCOMPARE(fileBytes(moved + QStringLiteral("-2")), junk);
    }

    void truncatedDatabaseIsMovedAside()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("app.db"));
        {
            auto db = openOrFail(path);
            QVERIFY(db);
            CursorStore cursors(*db);
            const auto filled = db->transaction([&]() -> Result<Ok> {
                for (int i = 0; i < 3000; ++i) {
                    const auto set = cursors.set(QStringLiteral("cursor-%1").arg(i), QString(300, QLatin1Char('x')));
                    if (!set)
                        return set;
                }
                return Ok{};
            });
            QVERIFY(filled);
        } // closing checkpoints the WAL into the file
        QVERIFY(!QFile::exists(path + QStringLiteral("-wal")) || QFileInfo(path + QStringLiteral("-wal")).size() == 0);
        const qint64 size = QFileInfo(path).size();
        QVERIFY(size > 500000);
        QFile file(path);
        QVERIFY(file.resize(size / 2));
        const QByteArray truncated = fileBytes(path);

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("failed its integrity check")));
        auto db = openOrFail(path);
        QVERIFY(db);
        QVERIFY(db->recoveredFromCorruption());
        QVERIFY(db->corruptFileMovedTo().startsWith(path + QStringLiteral(".corrupt-")));
        QCOMPARE(fileBytes(db->corruptFileMovedTo()), truncated);
        QCOMPARE(CursorStore(*db).get(QStringLiteral("cursor-1")).value(), std::optional<QString>());
        QVERIFY(CursorStore(*db).set(QStringLiteral("cursor-1"), QStringLiteral("fresh")));
    }

    void damagedFileKeepsItsWalUntouched()
    {
        // A crash image (file + committed WAL frames) whose main file is damaged: neither file may be
        // changed by the check, so the WAL must not be replayed into the damaged file or deleted.
        QTemporaryDir dir;
        const QString live = dir.filePath(QStringLiteral("live.db"));
        const QString path = dir.filePath(QStringLiteral("app.db"));
        {
            auto db = openOrFail(live);
            QVERIFY(db);
            CursorStore cursors(*db);
            QVERIFY(db->transaction([&]() -> Result<Ok> {
                for (int i = 0; i < 3000; ++i) {
                    if (const auto set = cursors.set(QStringLiteral("c%1").arg(i), QString(300, QLatin1Char('x')));
                        !set)
                        return set;
                }
                return Ok{};
            }));
            QVERIFY(db->connection().exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")).isActive());
            QVERIFY(cursors.set(QStringLiteral("c1"), QStringLiteral("changed after the checkpoint")));
            QVERIFY(QFile::copy(live, path));
            QVERIFY(QFile::copy(live + QStringLiteral("-wal"), path + QStringLiteral("-wal")));
        }
        QByteArray bytes = fileBytes(path);
        QVERIFY(bytes.size() > 400000);
        bytes.replace(8 * 4096, 100 * 4096, garbage(100 * 4096));
        QVERIFY(writeFile(path, bytes));
        const QByteArray wal = fileBytes(path + QStringLiteral("-wal"));
        QVERIFY(!wal.isEmpty());

        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("failed its integrity check")));
        auto db = openOrFail(path);
        QVERIFY(db);
        QVERIFY(db->recoveredFromCorruption());
        QCOMPARE(fileBytes(db->corruptFileMovedTo()), bytes);
        QCOMPARE(fileBytes(db->corruptFileMovedTo() + QStringLiteral("-wal")), wal);
    }

    void hotJournalIsRolledBackNotTakenForDamage()
    {
        // A crash in the middle of a DELETE-journal transaction leaves a hot journal. A read-only check
        // cannot roll it back (SQLITE_READONLY_ROLLBACK); the writer must, and the data must survive.
        QTemporaryDir dir;
        const QString live = dir.filePath(QStringLiteral("live.db"));
        const QString path = dir.filePath(QStringLiteral("app.db"));
        {
            Database::Options noWal;
            noWal.vfs = QStringLiteral("unix-none");
            QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("WAL is not available")));
            auto db = openOrFail(live, noWal);
            QVERIFY(db);
            CursorStore cursors(*db);
            QVERIFY(db->transaction([&]() -> Result<Ok> {
                for (int i = 0; i < 2000; ++i) {
                    if (const auto set = cursors.set(QStringLiteral("c%1").arg(i), QString(200, QLatin1Char('x')));
                        !set)
                        return set;
                }
                return Ok{};
            }));
        }
        {
            RawDb raw(live);
            QVERIFY(raw.exec(QStringLiteral("PRAGMA cache_size=10"))); // spill: the file changes mid-transaction
            QVERIFY(raw.exec(QStringLiteral("BEGIN")));
            QVERIFY(raw.exec(QStringLiteral("UPDATE poll_cursor SET value = 'half-written ' || value")));
            QVERIFY(QFile::exists(live + QStringLiteral("-journal")));
            QVERIFY(QFile::copy(live, path));
            QVERIFY(QFile::copy(live + QStringLiteral("-journal"), path + QStringLiteral("-journal")));
            QVERIFY(raw.exec(QStringLiteral("ROLLBACK")));
        }
        auto db = openOrFail(path);
        QVERIFY(db);
        QVERIFY(!db->recoveredFromCorruption());
        QCOMPARE(CursorStore(*db).get(QStringLiteral("c7")).value(),
                 std::optional<QString>(QString(200, QLatin1Char('x'))));
        QVERIFY(!QFile::exists(path + QStringLiteral("-journal")));
    }

    void lockedDatabaseIsAnErrorNotCorruption()
    {
        // A busy file must never be mistaken for a damaged one (Nextcloud deleted such files).
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("app.db"));
        {
            auto db = openOrFail(path);
            QVERIFY(db);
        }
        RawDb other(path);
        QVERIFY(other.exec(QStringLiteral("PRAGMA locking_mode=EXCLUSIVE")));
        QVERIFY(other.exec(QStringLiteral("BEGIN EXCLUSIVE")));
        Database::Options options;
        options.busyTimeoutMs = 200;
        const auto opened = Database::open(path, options);
        QVERIFY(!opened);
        QVERIFY2(opened.error().message.contains(QStringLiteral("locked")), qPrintable(opened.error().message));
        QCOMPARE(QDir(dir.path()).entryList({QStringLiteral("*corrupt*")}, QDir::Files), QStringList());
        QVERIFY(other.exec(QStringLiteral("ROLLBACK")));
    }

    void readConnectionSeesCommitsAndCannotWrite()
    {
        QTemporaryDir dir;
        auto db = openOrFail(dir.filePath(QStringLiteral("app.db")));
        QVERIFY(db);
        CursorStore cursors(*db);
        QVERIFY(cursors.set(QStringLiteral("a"), QStringLiteral("1")));

        auto opened = db->openReadConnection();
        QVERIFY(opened);
        ReadConnection reader = std::move(opened.value());
        QVERIFY(reader.isValid());
        QVERIFY(reader.connectionName() != QSqlDatabase::database().connectionName());
        const auto readValue = [&](const QString& name) {
            QSqlQuery q(reader.database());
            q.prepare(QStringLiteral("SELECT value FROM poll_cursor WHERE name=?"));
            q.addBindValue(name);
            return (q.exec() && q.next()) ? q.value(0).toString() : QString();
        };
        QCOMPARE(readValue(QStringLiteral("a")), QStringLiteral("1"));

        // Uncommitted writes stay invisible; the reader is not blocked by the open write transaction.
        const auto tx = db->transaction([&]() -> Result<Ok> {
            const auto set = cursors.set(QStringLiteral("b"), QStringLiteral("2"));
            if (!set)
                return set;
            if (!readValue(QStringLiteral("b")).isNull())
                return Error(Error::Kind::Internal, QStringLiteral("reader saw an uncommitted write"));
            return Ok{};
        });
        QVERIFY2(tx, tx ? "" : qPrintable(tx.error().message));
        QCOMPARE(readValue(QStringLiteral("b")), QStringLiteral("2"));

        {
            QSqlQuery q(reader.database());
            QVERIFY(!q.exec(QStringLiteral("INSERT INTO poll_cursor(name, value, updated_at) VALUES('c','3',0)")));
            QVERIFY2(q.lastError().databaseText().contains(QStringLiteral("readonly")),
                     qPrintable(q.lastError().text()));
            QVERIFY(!q.exec(QStringLiteral("DELETE FROM poll_cursor")));
        }
        QCOMPARE(cursors.get(QStringLiteral("a")).value(), std::optional<QString>(QStringLiteral("1")));
    }

    void connectionsAreRemovedWhenDone()
    {
        QTemporaryDir dir;
        auto db = openOrFail(dir.filePath(QStringLiteral("app.db")));
        QVERIFY(db);
        QString readerName;
        {
            auto reader = db->openReadConnection();
            QVERIFY(reader);
            readerName = reader.value().connectionName();
            QVERIFY(QSqlDatabase::connectionNames().contains(readerName));
            QSqlQuery q(reader.value().database());
            QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM outbox")));
        } // the query goes first, then the ReadConnection: no "still in use" warning
        QVERIFY(!QSqlDatabase::connectionNames().contains(readerName));

        const QStringList before = QSqlDatabase::connectionNames();
        QCOMPARE(before.size(), 1); // the writer
        auto second = openOrFail(dir.filePath(QStringLiteral("other.db")));
        QVERIFY(second);
        QCOMPARE(QSqlDatabase::connectionNames().size(), 2); // unique names per Database
        second.reset();
        db.reset();
        QCOMPARE(QSqlDatabase::connectionNames(), QStringList());
    }

    void readConnectionInAnotherThread()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("app.db"));
        auto db = openOrFail(path);
        QVERIFY(db);
        QVERIFY(CursorStore(*db).set(QStringLiteral("a"), QStringLiteral("1")));

        QString seen;
        QString error;
        Result<Ok> misuse = Ok{};
        std::unique_ptr<QThread> worker(QThread::create([&] {
            // The worker opens and closes its own connection; the writer is not touched.
            auto reader = Database::openReadConnection(path, Database::Options());
            if (!reader) {
                error = reader.error().message;
                return;
            }
            {
                QSqlQuery q(reader.value().database());
                if (q.exec(QStringLiteral("SELECT value FROM poll_cursor WHERE name='a'")) && q.next())
                    seen = q.value(0).toString();
            }
            misuse = db->transaction([] { return Result<Ok>(Ok{}); });
        }));
        worker->start();
        QVERIFY(worker->wait(10000));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(seen, QStringLiteral("1"));
        QVERIFY(!misuse); // writing from a foreign thread is refused, not attempted
        QCOMPARE(misuse.error().kind, Error::Kind::Internal);
    }

    void transactionCommitsOrRollsBack()
    {
        QTemporaryDir dir;
        auto db = openOrFail(dir.filePath(QStringLiteral("app.db")));
        QVERIFY(db);
        CursorStore cursors(*db);

        QVERIFY(db->transaction([&]() -> Result<Ok> { return cursors.set(QStringLiteral("a"), QStringLiteral("1")); }));
        QCOMPARE(cursors.get(QStringLiteral("a")).value(), std::optional<QString>(QStringLiteral("1")));

        const auto failed = db->transaction([&]() -> Result<Ok> {
            const auto set = cursors.set(QStringLiteral("b"), QStringLiteral("2"));
            if (!set)
                return set;
            return Error(Error::Kind::InvalidInput, QStringLiteral("changed my mind"));
        });
        QVERIFY(!failed);
        QCOMPARE(failed.error().message, QStringLiteral("changed my mind"));
        QCOMPARE(cursors.get(QStringLiteral("b")).value(), std::optional<QString>());
        QVERIFY(!db->inTransaction());

        // Nested: the inner failure rolls back only the inner part.
        const auto outer = db->transaction([&]() -> Result<Ok> {
            if (const auto set = cursors.set(QStringLiteral("outer"), QStringLiteral("1")); !set)
                return set;
            const auto inner = db->transaction([&]() -> Result<Ok> {
                if (const auto set = cursors.set(QStringLiteral("inner"), QStringLiteral("1")); !set)
                    return set;
                return Error(Error::Kind::Conflict, QStringLiteral("inner fails"));
            });
            if (inner)
                return Error(Error::Kind::Internal, QStringLiteral("inner should have failed"));
            return Ok{};
        });
        QVERIFY(outer);
        QCOMPARE(cursors.get(QStringLiteral("outer")).value(), std::optional<QString>(QStringLiteral("1")));
        QCOMPARE(cursors.get(QStringLiteral("inner")).value(), std::optional<QString>());
    }

    void reopenKeepsDataAndSkipsMigration()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("app.db"));
        {
            auto db = openOrFail(path);
            QVERIFY(db);
            QVERIFY(CursorStore(*db).set(QStringLiteral("a"), QStringLiteral("1")));
        }
        auto db = openOrFail(path);
        QVERIFY(db);
        QCOMPARE(db->schemaVersion(), 2);
        QCOMPARE(CursorStore(*db).get(QStringLiteral("a")).value(), std::optional<QString>(QStringLiteral("1")));
    }

    void linkStore()
    {
        QTemporaryDir dir;
        auto db = openOrFail(dir.filePath(QStringLiteral("app.db")));
        QVERIFY(db);
        LinkStore links(*db);
        RecordLink link;
        link.module = QStringLiteral("Accounts");
        link.zohoId = QStringLiteral("z1");
        link.partyNumber = QStringLiteral("P100");
        link.partyId = QStringLiteral("300000001");
        link.etag = QStringLiteral("e1");
        link.mappingVersion = 3;
        link.syncedAtMs = 1700000000000;
        QVERIFY(links.upsert(link));
        auto found = links.find(QStringLiteral("Accounts"), QStringLiteral("z1"));
        QVERIFY(found && found.value().has_value());
        QCOMPARE(found.value()->partyNumber, QStringLiteral("P100"));
        QCOMPARE(found.value()->partyId, QStringLiteral("300000001"));
        QCOMPARE(found.value()->mappingVersion, std::optional<int>(3));
        QCOMPARE(found.value()->syncedAtMs, std::optional<qint64>(1700000000000));
        QVERIFY(found.value()->accountNumber.isNull());

        link.etag = QStringLiteral("e2");
        link.syncedAtMs.reset();
        QVERIFY(links.upsert(link));
        found = links.find(QStringLiteral("Accounts"), QStringLiteral("z1"));
        QCOMPARE(found.value()->etag, QStringLiteral("e2"));
        QCOMPARE(found.value()->syncedAtMs, std::optional<qint64>());
        QCOMPARE(links.count().value(), 1);

        RecordLink other = link;
        other.module = QStringLiteral("Contacts");
        QVERIFY(links.upsert(other));
        QCOMPARE(links.findByPartyNumber(QStringLiteral("P100")).value().size(), 2);
        QVERIFY(!links.find(QStringLiteral("Accounts"), QStringLiteral("nope")).value().has_value());
        QCOMPARE(links.remove(QStringLiteral("Accounts"), QStringLiteral("z1")).value(), true);
        QCOMPARE(links.remove(QStringLiteral("Accounts"), QStringLiteral("z1")).value(), false);
        RecordLink incomplete;
        incomplete.module = QStringLiteral("Accounts");
        QCOMPARE(links.upsert(incomplete).error().kind, Error::Kind::InvalidInput);
    }

    void cursorChannelMappingEchoStores()
    {
        QTemporaryDir dir;
        const FixedClock clock(QDateTime::fromMSecsSinceEpoch(1750000000000, Qt::UTC));
        auto db = openOrFail(dir.filePath(QStringLiteral("app.db")));
        QVERIFY(db);

        CursorStore cursors(*db, &clock);
        QCOMPARE(cursors.get(QStringLiteral("Accounts")).value(), std::optional<QString>());
        QVERIFY(cursors.set(QStringLiteral("Accounts"), QStringLiteral("2026-01-01T00:00:00Z")));
        QVERIFY(cursors.set(QStringLiteral("Accounts"), QStringLiteral("2026-01-02T00:00:00Z")));
        QCOMPARE(cursors.get(QStringLiteral("Accounts")).value(),
                 std::optional<QString>(QStringLiteral("2026-01-02T00:00:00Z")));
        QVERIFY(cursors.remove(QStringLiteral("Accounts")).value());

        ChannelStore channels(*db, &clock);
        ChannelRecord c;
        c.module = QStringLiteral("Accounts");
        c.channelId = QStringLiteral("1000");
        c.token = QStringLiteral("verify-me");
        c.events = QStringLiteral("Accounts.all");
        c.expiresAtMs = 1750000000000 + 3600000;
        c.state = QStringLiteral("active");
        QVERIFY(channels.upsert(c));
        ChannelRecord d = c;
        d.module = QStringLiteral("Contacts");
        d.expiresAtMs = 1750000000000 + 60000;
        QVERIFY(channels.upsert(d));
        const auto found = channels.find(QStringLiteral("Accounts")).value();
        QVERIFY(found.has_value());
        QCOMPARE(found->token, QStringLiteral("verify-me"));
        QCOMPARE(found->updatedAtMs, qint64(1750000000000));
        QVERIFY(found->lastError.isNull());
        QCOMPARE(channels.list().value().size(), 2);
        const auto soon = channels.expiringBefore(1750000000000 + 120000).value();
        QCOMPARE(soon.size(), 1);
        QCOMPARE(soon.first().module, QStringLiteral("Contacts"));
        QVERIFY(channels.remove(QStringLiteral("Contacts")).value());

        MappingStore mappings(*db, &clock);
        QVERIFY(!mappings.latest().value().has_value());
        QCOMPARE(mappings.add(QStringLiteral("{\"v\":1}"), QStringLiteral("first")).value(), 1);
        QCOMPARE(mappings.add(QStringLiteral("{\"v\":2}")).value(), 2);
        QCOMPARE(mappings.latest().value()->json, QStringLiteral("{\"v\":2}"));
        QCOMPARE(mappings.get(1).value()->note, QStringLiteral("first"));
        QVERIFY(mappings.get(2).value()->note.isNull());
        QCOMPARE(mappings.list().value().size(), 2);
        QVERIFY(!mappings.add(QString()));

        EchoStore echoes(*db, &clock);
        QVERIFY(echoes.remember(QStringLiteral("Accounts"), QStringLiteral("z1"),
                                QStringLiteral("2026-01-01T10:00:00+00:00"),
                                QStringLiteral("[\"Oracle_Party_Number\"]")));
        QVERIFY(echoes.remember(QStringLiteral("Accounts"), QStringLiteral("z1"),
                                QStringLiteral("2026-01-01T10:00:00+00:00")));
        QVERIFY(
            echoes
                .contains(QStringLiteral("Accounts"), QStringLiteral("z1"), QStringLiteral("2026-01-01T10:00:00+00:00"))
                .value());
        QVERIFY(!echoes
                     .contains(QStringLiteral("Accounts"), QStringLiteral("z1"),
                               QStringLiteral("2026-01-01T10:00:01+00:00"))
                     .value());
        QCOMPARE(echoes.prune(1750000000000).value(), 0);
        QCOMPARE(echoes.prune(1750000000001).value(), 1);
    }
};

QTEST_GUILESS_MAIN(tst_Database)
#include "tst_Database.moc"
