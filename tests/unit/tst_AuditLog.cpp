#include "Clock.h"
#include "audit/AuditLog.h"
#include "storage/Database.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace Core;

namespace {

constexpr qint64 kT0 = 1767225600000; // 2026-01-01T00:00:00Z

class FixedClock final : public Clock
{
public:
    QDateTime now() const override { return QDateTime::fromMSecsSinceEpoch(kT0 + 999999, Qt::UTC); }
};

AuditEvent makeEvent(qint64 ts,
                     const QString& zohoId,
                     const QString& outcome,
                     const QString& module = QStringLiteral("Accounts"),
                     const QString& source = QStringLiteral("webhook"))
{
    AuditEvent e;
    e.tsMs = ts;
    e.source = source;
    e.module = module;
    e.zohoId = zohoId;
    e.direction = QStringLiteral("to_oracle");
    e.action = QStringLiteral("update");
    e.outcome = outcome;
    return e;
}

QList<qint64> idsOf(const QList<AuditEvent>& events)
{
    QList<qint64> ids;
    for (const AuditEvent& e : events)
        ids << e.id;
    return ids;
}

// A strict RFC 4180 reader for checking the export (quoted cells, doubled quotes, CRLF records).
QList<QStringList> parseCsv(const QString& text)
{
    QList<QStringList> rows;
    QStringList row;
    QString cell;
    bool quoted = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                    cell += QLatin1Char('"');
                    ++i;
                } else {
                    quoted = false;
                }
            } else {
                cell += c;
            }
        } else if (c == QLatin1Char('"')) {
            quoted = true;
        } else if (c == QLatin1Char(',')) {
            row << cell;
            cell.clear();
        } else if (c == QLatin1Char('\r') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n')) {
            row << cell;
            cell.clear();
            rows << row;
            row.clear();
            ++i;
        } else {
            cell += c;
        }
    }
    return rows;
}

} // namespace

class tst_AuditLog : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    FixedClock m_clock;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<AuditLog> m_audit;
    int m_run = 0;
    // ids of the standard fixture, by name
    qint64 m_a1 = 0, m_a2 = 0, m_a3 = 0, m_b1 = 0, m_b2 = 0, m_c1 = 0;

    void seed()
    {
        // a: z-100 (Accounts, webhook) ok -> failed -> ok; b: z-200 (Contacts, poll) failed, dead;
        // c: no Zoho id (reverse direction, manual) dry_run.
        AuditEvent a1 = makeEvent(kT0 + 1000, QStringLiteral("z-100"), QStringLiteral("ok"));
        a1.partyNumber = QStringLiteral("P-1");
        a1.httpStatus = 201;
        a1.durationMs = 180;
        a1.attempt = 1;
        a1.outboxId = 11;
        a1.mappingVersion = 3;
        a1.action = QStringLiteral("create");
        AuditEvent a2 = makeEvent(kT0 + 2000, QStringLiteral("z-100"), QStringLiteral("failed"));
        a2.partyNumber = QStringLiteral("P-1");
        a2.reasonClass = QStringLiteral("throttled");
        a2.reason = QStringLiteral("Oracle answered 429 Too Many Requests");
        a2.httpStatus = 429;
        AuditEvent a3 = makeEvent(kT0 + 3000, QStringLiteral("z-100"), QStringLiteral("ok"));
        a3.partyNumber = QStringLiteral("P-1");
        AuditEvent b1 = makeEvent(kT0 + 2500, QStringLiteral("z-200"), QStringLiteral("failed"),
                                  QStringLiteral("Contacts"), QStringLiteral("poll"));
        b1.reasonClass = QStringLiteral("invalid_data");
        b1.reason = QStringLiteral("Country 'Atlantis' has no ISO code");
        AuditEvent b2 = makeEvent(kT0 + 4000, QStringLiteral("z-200"), QStringLiteral("dead"),
                                  QStringLiteral("Contacts"), QStringLiteral("poll"));
        b2.reason = QStringLiteral("gave up after 8 attempts");
        AuditEvent c1 = makeEvent(kT0 + 5000, QString(), QStringLiteral("dry_run"), QStringLiteral("Accounts"),
                                  QStringLiteral("manual"));
        c1.direction = QStringLiteral("to_zoho");
        c1.action = QStringLiteral("writeback");
        c1.partyNumber = QStringLiteral("P-9");
        const QList<AuditEvent> all{a1, a2, a3, b1, b2, c1};
        QList<qint64*> targets{&m_a1, &m_a2, &m_a3, &m_b1, &m_b2, &m_c1};
        for (int i = 0; i < all.size(); ++i) {
            const auto id = m_audit->append(all.at(i));
            QVERIFY2(id, id ? "" : qPrintable(id.error().message));
            *targets[i] = id.value();
        }
    }

private slots:
    void init()
    {
        QTest::failOnWarning(QRegularExpression(QStringLiteral("still in use|does not belong")));
        auto opened = Database::open(m_dir.filePath(QStringLiteral("audit-%1.db").arg(++m_run)));
        QVERIFY(opened);
        m_db = std::move(opened.value());
        m_audit = std::make_unique<AuditLog>(*m_db, &m_clock);
        seed();
    }

    void cleanup()
    {
        m_audit.reset();
        m_db.reset();
    }

    void appendRoundTripsEveryColumn()
    {
        const auto found = m_audit->query(AuditFilter());
        QVERIFY(found);
        QCOMPARE(found.value().size(), 6);
        const AuditEvent a1 = found.value().last();
        QCOMPARE(a1.id, m_a1);
        QCOMPARE(a1.tsMs, kT0 + 1000);
        QCOMPARE(a1.source, QStringLiteral("webhook"));
        QCOMPARE(a1.module, QStringLiteral("Accounts"));
        QCOMPARE(a1.zohoId, QStringLiteral("z-100"));
        QCOMPARE(a1.partyNumber, QStringLiteral("P-1"));
        QCOMPARE(a1.direction, QStringLiteral("to_oracle"));
        QCOMPARE(a1.action, QStringLiteral("create"));
        QCOMPARE(a1.outcome, QStringLiteral("ok"));
        QCOMPARE(a1.httpStatus, std::optional<int>(201));
        QCOMPARE(a1.durationMs, std::optional<qint64>(180));
        QCOMPARE(a1.attempt, std::optional<int>(1));
        QCOMPARE(a1.outboxId, std::optional<qint64>(11));
        QCOMPARE(a1.mappingVersion, std::optional<int>(3));
        QVERIFY(a1.reasonClass.isNull());
        QVERIFY(a1.reason.isNull());
        QVERIFY(a1.request.isNull());

        AuditEvent now = makeEvent(0, QStringLiteral("z-now"), QStringLiteral("ok"));
        const auto id = m_audit->append(now);
        QVERIFY(id);
        QCOMPARE(m_audit->timeline(QStringLiteral("z-now")).value().first().tsMs, kT0 + 999999); // ts 0 means now
    }

    void appendValidates()
    {
        AuditEvent noOutcome = makeEvent(kT0, QStringLiteral("z"), QString());
        QCOMPARE(m_audit->append(noOutcome).error().kind, Error::Kind::InvalidInput);
        AuditEvent badDirection = makeEvent(kT0, QStringLiteral("z"), QStringLiteral("ok"));
        badDirection.direction = QStringLiteral("sideways");
        QCOMPARE(m_audit->append(badDirection).error().kind, Error::Kind::InvalidInput);
        AuditEvent noSource = makeEvent(kT0, QStringLiteral("z"), QStringLiteral("ok"));
        noSource.source.clear();
        QCOMPARE(m_audit->append(noSource).error().kind, Error::Kind::InvalidInput);
        // A bad event in a batch stops the whole batch.
        QVERIFY(!m_audit->appendMany({makeEvent(kT0, QStringLiteral("ok-1"), QStringLiteral("ok")), badDirection}));
        QCOMPARE(m_audit->count(AuditFilter()).value(), 6);
        QCOMPARE(m_audit
                     ->appendMany({makeEvent(kT0, QStringLiteral("ok-1"), QStringLiteral("ok")),
                                   makeEvent(kT0, QStringLiteral("ok-2"), QStringLiteral("ok"))})
                     .value(),
                 2);
        QCOMPARE(m_audit->count(AuditFilter()).value(), 8);
    }

    void filters_data()
    {
        QTest::addColumn<AuditFilter>("filter");
        QTest::addColumn<QStringList>("expected"); // names, newest first

        const auto f = [](auto setUp) {
            AuditFilter filter;
            setUp(filter);
            return filter;
        };
        QTest::newRow("all") << AuditFilter() << QStringList{"c1", "b2", "a3", "b1", "a2", "a1"};
        QTest::newRow("from") << f([](AuditFilter& x) { x.fromMs = kT0 + 3000; }) << QStringList{"c1", "b2", "a3"};
        QTest::newRow("to (exclusive)") << f([](AuditFilter& x) { x.toMs = kT0 + 2500; }) << QStringList{"a2", "a1"};
        QTest::newRow("window") << f([](AuditFilter& x) {
            x.fromMs = kT0 + 2000;
            x.toMs = kT0 + 4000;
        }) << QStringList{"a3", "b1", "a2"};
        QTest::newRow("outcome") << f([](AuditFilter& x) { x.outcomes = {QStringLiteral("failed")}; })
                                 << QStringList{"b1", "a2"};
        QTest::newRow("outcomes") << f([](AuditFilter& x) {
            x.outcomes = {QStringLiteral("failed"), QStringLiteral("dead")};
        }) << QStringList{"b2", "b1", "a2"};
        QTest::newRow("module") << f([](AuditFilter& x) { x.module = QStringLiteral("Contacts"); })
                                << QStringList{"b2", "b1"};
        QTest::newRow("source") << f([](AuditFilter& x) { x.source = QStringLiteral("manual"); }) << QStringList{"c1"};
        QTest::newRow("zoho id") << f([](AuditFilter& x) { x.zohoId = QStringLiteral("z-100"); })
                                 << QStringList{"a3", "a2", "a1"};
        QTest::newRow("zoho id is exact")
            << f([](AuditFilter& x) { x.zohoId = QStringLiteral("z-10"); }) << QStringList{};
        QTest::newRow("party number") << f([](AuditFilter& x) { x.partyNumber = QStringLiteral("P-9"); })
                                      << QStringList{"c1"};
        QTest::newRow("text in reason, any case")
            << f([](AuditFilter& x) { x.text = QStringLiteral("too many"); }) << QStringList{"a2"};
        QTest::newRow("text in zoho id") << f([](AuditFilter& x) { x.text = QStringLiteral("-20"); })
                                         << QStringList{"b2", "b1"};
        QTest::newRow("text in party number")
            << f([](AuditFilter& x) { x.text = QStringLiteral("p-9"); }) << QStringList{"c1"};
        QTest::newRow("text wildcards are literal")
            << f([](AuditFilter& x) { x.text = QStringLiteral("%"); }) << QStringList{};
        QTest::newRow("text underscore is literal")
            << f([](AuditFilter& x) { x.text = QStringLiteral("z_100"); }) << QStringList{};
        QTest::newRow("combined") << f([](AuditFilter& x) {
            x.zohoId = QStringLiteral("z-100");
            x.outcomes = {QStringLiteral("ok")};
            x.fromMs = kT0 + 1500;
        }) << QStringList{"a3"};
    }

    void filters()
    {
        QFETCH(AuditFilter, filter);
        QFETCH(QStringList, expected);
        const QHash<QString, qint64> ids{{"a1", m_a1}, {"a2", m_a2}, {"a3", m_a3},
                                         {"b1", m_b1}, {"b2", m_b2}, {"c1", m_c1}};
        QList<qint64> expectedIds;
        for (const QString& name : expected)
            expectedIds << ids.value(name);
        const auto found = m_audit->query(filter);
        QVERIFY2(found, found ? "" : qPrintable(found.error().message));
        QCOMPARE(idsOf(found.value()), expectedIds);
        QCOMPARE(m_audit->count(filter).value(), qint64(expected.size()));
    }

    void pagingByOffsetAndKeyset()
    {
        // Two more events sharing a1's timestamp, so keyset paging has ties to get right.
        const qint64 t1 = m_audit->append(makeEvent(kT0 + 1000, QStringLiteral("z-300"), QStringLiteral("ok"))).value();
        const qint64 t2 = m_audit->append(makeEvent(kT0 + 1000, QStringLiteral("z-301"), QStringLiteral("ok"))).value();
        const QList<qint64> all{m_c1, m_b2, m_a3, m_b1, m_a2, t2, t1, m_a1};
        QCOMPARE(idsOf(m_audit->query(AuditFilter()).value()), all);

        AuditFilter page;
        page.limit = 3;
        QCOMPARE(idsOf(m_audit->query(page).value()), all.mid(0, 3));
        page.offset = 3;
        QCOMPARE(idsOf(m_audit->query(page).value()), all.mid(3, 3));

        AuditFilter keyset;
        keyset.limit = 3;
        QList<qint64> walked;
        for (;;) {
            const QList<AuditEvent> chunk = m_audit->query(keyset).value();
            if (chunk.isEmpty())
                break;
            walked << idsOf(chunk);
            keyset.beforeId = chunk.last().id;
        }
        QCOMPARE(walked, all);
        QCOMPARE(m_audit->count(page).value(), 8); // paging does not change the count
    }

    void timelineIsOldestFirst()
    {
        QCOMPARE(idsOf(m_audit->timeline(QStringLiteral("z-100")).value()), (QList<qint64>{m_a1, m_a2, m_a3}));
        QCOMPARE(idsOf(m_audit->timeline(QStringLiteral("z-100"), 2).value()), (QList<qint64>{m_a1, m_a2}));
        QVERIFY(m_audit->timeline(QStringLiteral("nobody")).value().isEmpty());
    }

    void payloadsAreSizeCapped()
    {
        AuditEvent big = makeEvent(kT0, QStringLiteral("z-big"), QStringLiteral("failed"));
        big.request = QString(20000, QLatin1Char('q'));
        // 'a' + 5000 two-byte characters: the 8 KiB cut falls inside a character and must back up.
        big.response = QLatin1Char('a') + QString(5000, QChar(0x00E9));
        QVERIFY(m_audit->append(big));
        const AuditEvent stored = m_audit->timeline(QStringLiteral("z-big")).value().first();
        QCOMPARE(stored.request, QString(8192, QLatin1Char('q')) + QStringLiteral("…[truncated 11808 bytes]"));
        QVERIFY(stored.response.startsWith(QLatin1Char('a') + QString(4095, QChar(0x00E9)) +
                                           QStringLiteral("…[truncated")));
        QVERIFY(stored.response.endsWith(QStringLiteral("…[truncated 1810 bytes]")));
        QVERIFY(!stored.response.contains(QChar(QChar::ReplacementCharacter)));

        AuditEvent small = makeEvent(kT0, QStringLiteral("z-small"), QStringLiteral("ok"));
        small.request = QString(8192, QLatin1Char('s')); // exactly at the cap: kept whole
        QVERIFY(m_audit->append(small));
        QCOMPARE(m_audit->timeline(QStringLiteral("z-small")).value().first().request, small.request);

        m_audit->setMaxPayloadBytes(100);
        AuditEvent capped = makeEvent(kT0, QStringLiteral("z-cap"), QStringLiteral("ok"));
        capped.request = QString(150, QLatin1Char('x'));
        QVERIFY(m_audit->append(capped));
        QCOMPARE(m_audit->timeline(QStringLiteral("z-cap")).value().first().request,
                 QString(100, QLatin1Char('x')) + QStringLiteral("…[truncated 50 bytes]"));
    }

    void csvCellEscaping_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("cell");
        QTest::newRow("plain") << QStringLiteral("hello") << QStringLiteral("hello");
        QTest::newRow("empty") << QString() << QString();
        QTest::newRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
        QTest::newRow("quote") << QStringLiteral("say \"hi\"") << QStringLiteral("\"say \"\"hi\"\"\"");
        QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
        QTest::newRow("formula") << QStringLiteral("=1+1") << QStringLiteral("'=1+1");
        QTest::newRow("plus") << QStringLiteral("+33 1") << QStringLiteral("'+33 1");
        QTest::newRow("minus") << QStringLiteral("-2") << QStringLiteral("'-2");
        QTest::newRow("at") << QStringLiteral("@SUM(A1)") << QStringLiteral("'@SUM(A1)");
        QTest::newRow("tab") << QStringLiteral("\tx") << QStringLiteral("'\tx");
        QTest::newRow("carriage return") << QStringLiteral("\rx") << QStringLiteral("\"'\rx\"");
        QTest::newRow("formula with comma") << QStringLiteral("=HYPERLINK(\"http://x\",\"y\")")
                                            << QStringLiteral("\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        QTest::newRow("inner equals is fine") << QStringLiteral("a=b") << QStringLiteral("a=b");
    }

    void csvCellEscaping()
    {
        QFETCH(QString, value);
        QFETCH(QString, cell);
        QCOMPARE(AuditLog::csvCell(value), cell);
    }

    void exportsCsv()
    {
        AuditEvent tricky = makeEvent(kT0 + 6000, QStringLiteral("z-csv"), QStringLiteral("failed"));
        tricky.reason = QStringLiteral("bad \"name\", see\nline two");
        tricky.partyNumber = QStringLiteral("=cmd|' /C calc'!A0");
        tricky.request = QStringLiteral("@import");
        tricky.response = QStringLiteral("-1");
        QVERIFY(m_audit->append(tricky));

        QBuffer out;
        QVERIFY(out.open(QIODevice::WriteOnly));
        const auto rows = m_audit->exportTo(out, AuditLog::Format::Csv, AuditFilter());
        QVERIFY(rows);
        QCOMPARE(rows.value(), 7);
        const QString text = QString::fromUtf8(out.data());
        QVERIFY(text.endsWith(QStringLiteral("\r\n")));
        const QList<QStringList> parsed = parseCsv(text);
        QCOMPARE(parsed.size(), 8);
        QCOMPARE(parsed.first(), AuditLog::columnNames());
        for (const QStringList& row : parsed)
            QCOMPARE(row.size(), AuditLog::columnNames().size());

        const QStringList header = parsed.first();
        const QStringList first = parsed.at(1); // newest: the tricky one
        const auto col = [&](const char* name) { return first.at(header.indexOf(QLatin1String(name))); };
        QCOMPARE(col("zoho_id"), QStringLiteral("z-csv"));
        QCOMPARE(col("reason"), tricky.reason); // quotes, comma and newline survive the round trip
        QCOMPARE(col("party_number"), QStringLiteral("'=cmd|' /C calc'!A0"));
        QCOMPARE(col("request"), QStringLiteral("'@import"));
        QCOMPARE(col("response"), QStringLiteral("'-1"));
        QCOMPARE(col("ts"), QString::number(kT0 + 6000));
        QCOMPARE(col("time_utc"), QStringLiteral("2026-01-01T00:00:06.000Z"));
        QCOMPARE(col("http_status"), QString());

        const QStringList a1 = parsed.last();
        QCOMPARE(a1.at(header.indexOf(QLatin1String("http_status"))), QStringLiteral("201"));
        QCOMPARE(a1.at(header.indexOf(QLatin1String("mapping_version"))), QStringLiteral("3"));

        // The filter applies; paging does not.
        QBuffer filtered;
        QVERIFY(filtered.open(QIODevice::WriteOnly));
        AuditFilter onlyFailed;
        onlyFailed.outcomes = {QStringLiteral("failed")};
        onlyFailed.limit = 1;
        QCOMPARE(m_audit->exportTo(filtered, AuditLog::Format::Csv, onlyFailed).value(), 3);
        QCOMPARE(parseCsv(QString::fromUtf8(filtered.data())).size(), 4);

        QBuffer closed;
        QCOMPARE(m_audit->exportTo(closed, AuditLog::Format::Csv, AuditFilter()).error().kind,
                 Error::Kind::InvalidInput);
    }

    void exportsJsonLines()
    {
        AuditEvent tricky = makeEvent(kT0 + 6000, QStringLiteral("z-json"), QStringLiteral("failed"));
        tricky.reason = QStringLiteral("multi\nline \"quoted\" \u00e9");
        QVERIFY(m_audit->append(tricky));

        QBuffer out;
        QVERIFY(out.open(QIODevice::WriteOnly));
        QCOMPARE(m_audit->exportTo(out, AuditLog::Format::Jsonl, AuditFilter()).value(), 7);
        QByteArray data = out.data();
        QVERIFY(data.endsWith('\n'));
        data.chop(1);
        const QList<QByteArray> lines = data.split('\n');
        QCOMPARE(lines.size(), 7);
        for (const QByteArray& line : lines) {
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            QVERIFY2(error.error == QJsonParseError::NoError && doc.isObject(), line.constData());
            QCOMPARE(doc.object().size(), AuditLog::columnNames().size());
        }
        const QJsonObject newest = QJsonDocument::fromJson(lines.first()).object();
        QCOMPARE(newest.value(QStringLiteral("zoho_id")).toString(), QStringLiteral("z-json"));
        QCOMPARE(newest.value(QStringLiteral("reason")).toString(), tricky.reason);
        QVERIFY(newest.value(QStringLiteral("http_status")).isNull());
        QCOMPARE(newest.value(QStringLiteral("ts")).toInteger(), kT0 + 6000);
        const QJsonObject oldest = QJsonDocument::fromJson(lines.last()).object();
        QCOMPARE(oldest.value(QStringLiteral("id")).toInteger(), m_a1);
        QCOMPARE(oldest.value(QStringLiteral("http_status")).toInt(), 201);
        QCOMPARE(oldest.value(QStringLiteral("outbox_id")).toInteger(), 11);
    }

    void pruneRemovesOnlyOldEvents()
    {
        QCOMPARE(m_audit->prune(kT0 + 2500).value(), 2); // a1, a2
        QCOMPARE(idsOf(m_audit->query(AuditFilter()).value()), (QList<qint64>{m_c1, m_b2, m_a3, m_b1}));
        QCOMPARE(m_audit->prune(kT0).value(), 0);

        // More than one internal batch.
        QList<AuditEvent> bulk;
        for (int i = 0; i < 12000; ++i)
            bulk << makeEvent(kT0 - 100000 + i, QStringLiteral("old-%1").arg(i), QStringLiteral("ok"));
        QCOMPARE(m_audit->appendMany(bulk).value(), 12000);
        QCOMPARE(m_audit->prune(kT0).value(), 12000);
        QCOMPARE(m_audit->count(AuditFilter()).value(), 4);
    }

    void sqlInjectionFindsNothingAndBreaksNothing_data()
    {
        QTest::addColumn<AuditFilter>("filter");
        const QString attacks[] = {QStringLiteral("' OR '1'='1"), QStringLiteral("z-100' --"),
                                   QStringLiteral("'; DROP TABLE audit_event; --"),
                                   QStringLiteral("%' OR 1=1 OR zoho_id LIKE '%"), QStringLiteral("\") OR 1=1 --")};
        int n = 0;
        for (const QString& attack : attacks) {
            ++n;
            AuditFilter zoho;
            zoho.zohoId = attack;
            QTest::addRow("zoho_id %d", n) << zoho;
            AuditFilter module;
            module.module = attack;
            QTest::addRow("module %d", n) << module;
            AuditFilter party;
            party.partyNumber = attack;
            QTest::addRow("party %d", n) << party;
            AuditFilter source;
            source.source = attack;
            QTest::addRow("source %d", n) << source;
            AuditFilter outcome;
            outcome.outcomes = {attack, QStringLiteral("ok') OR ('1'='1")};
            QTest::addRow("outcomes %d", n) << outcome;
            AuditFilter text;
            text.text = attack;
            QTest::addRow("text %d", n) << text;
        }
    }

    void sqlInjectionFindsNothingAndBreaksNothing()
    {
        QFETCH(AuditFilter, filter);
        const auto found = m_audit->query(filter);
        QVERIFY2(found, found ? "" : qPrintable(found.error().message));
        QCOMPARE(found.value().size(), 0);
        QCOMPARE(m_audit->count(filter).value(), 0);
        QBuffer out;
        QVERIFY(out.open(QIODevice::WriteOnly));
        QCOMPARE(m_audit->exportTo(out, AuditLog::Format::Jsonl, filter).value(), 0);
        QCOMPARE(m_audit->count(AuditFilter()).value(), 6); // the table is still there, whole
        QSqlQuery q(m_db->connection());
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM sqlite_master WHERE type='table'")) && q.next());
        QCOMPARE(q.value(0).toInt(), 8); // schema 2 added zoho_credit
    }

    void queriesUseIndexes_data()
    {
        QTest::addColumn<AuditFilter>("filter");
        QTest::addColumn<QString>("index");
        const auto f = [](auto setUp) {
            AuditFilter filter;
            setUp(filter);
            return filter;
        };
        QTest::newRow("first page") << AuditFilter() << QStringLiteral("idx_audit_ts");
        QTest::newRow("time window") << f([](AuditFilter& x) {
            x.fromMs = kT0;
            x.toMs = kT0 + 10;
        }) << QStringLiteral("idx_audit_ts");
        QTest::newRow("zoho id") << f([](AuditFilter& x) { x.zohoId = QStringLiteral("z-100"); })
                                 << QStringLiteral("idx_audit_zoho_ts");
        QTest::newRow("zoho id + time") << f([](AuditFilter& x) {
            x.zohoId = QStringLiteral("z-100");
            x.fromMs = kT0;
        }) << QStringLiteral("idx_audit_zoho_ts");
        QTest::newRow("outcome") << f([](AuditFilter& x) { x.outcomes = {QStringLiteral("failed")}; })
                                 << QStringLiteral("idx_audit_outcome_ts");
        QTest::newRow("outcome + time") << f([](AuditFilter& x) {
            x.outcomes = {QStringLiteral("failed")};
            x.toMs = kT0 + 5;
        }) << QStringLiteral("idx_audit_outcome_ts");
        QTest::newRow("party") << f([](AuditFilter& x) { x.partyNumber = QStringLiteral("P-1"); })
                               << QStringLiteral("idx_audit_party_ts");
        QTest::newRow("module") << f([](AuditFilter& x) { x.module = QStringLiteral("Accounts"); })
                                << QStringLiteral("idx_audit_module_ts");
        QTest::newRow("source") << f([](AuditFilter& x) { x.source = QStringLiteral("poll"); })
                                << QStringLiteral("idx_audit_source_ts");
        QTest::newRow("keyset page") << f([](AuditFilter& x) { x.beforeId = 3; }) << QStringLiteral("idx_audit_ts");
    }

    void queriesUseIndexes()
    {
        QFETCH(AuditFilter, filter);
        QFETCH(QString, index);
        const auto plan = m_audit->queryPlan(filter);
        QVERIFY(plan);
        const QString text = plan.value().join(QStringLiteral(" | "));
        QVERIFY2(text.contains(QStringLiteral("USING INDEX ") + index) ||
                     text.contains(QStringLiteral("USING COVERING INDEX ") + index),
                 qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral("TEMP B-TREE")), qPrintable(text)); // no sort of the whole match
        QVERIFY2(!text.contains(QRegularExpression(QStringLiteral("SCAN audit_event$|SCAN audit_event \\|"))),
                 qPrintable(text));
    }

    void readConnectionQueriesInAnotherThread()
    {
        auto opened = m_db->openReadConnection();
        QVERIFY(opened);
        {
            ReadConnection reader = std::move(opened.value());
            AuditFilter filter;
            filter.zohoId = QStringLiteral("z-100");
            QCOMPARE(idsOf(m_audit->query(filter, &reader).value()), (QList<qint64>{m_a3, m_a2, m_a1}));
            QCOMPARE(m_audit->count(AuditFilter(), &reader).value(), 6);
            QCOMPARE(m_audit->timeline(QStringLiteral("z-200"), 10, &reader).value().size(), 2);
        }

        // A reader thread: its own connection, the AuditLog's read API, no use of the writer.
        QList<qint64> seen;
        QString error;
        const QString path = m_db->path();
        const AuditLog* audit = m_audit.get();
        std::unique_ptr<QThread> worker(QThread::create([&] {
            auto reader = Database::openReadConnection(path, Database::Options());
            if (!reader) {
                error = reader.error().message;
                return;
            }
            AuditFilter failed;
            failed.outcomes = {QStringLiteral("failed")};
            const auto found = audit->query(failed, &reader.value());
            if (!found) {
                error = found.error().message;
                return;
            }
            seen = idsOf(found.value());
        }));
        worker->start();
        QVERIFY(worker->wait(10000));
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(seen, (QList<qint64>{m_b1, m_a2}));
    }
};

QTEST_GUILESS_MAIN(tst_AuditLog)
#include "tst_AuditLog.moc"
