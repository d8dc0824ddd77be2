// Policies of the sources, checked by reading them, and at run time:
// - TLS verification is never weakened (no ignoreSslErrors, VerifyNone, custom CA sets, old protocols);
// - SQL is built from constants with bound values: no value is spliced into SQL with + or .arg();
//   the few identifier-only interpolations are allow-listed below, each with its reason;
// - an https call to a server with a self-signed certificate fails with a TLS error through the
//   product's HttpClient and ConnectionTester;
// - plain http is refused for any host but this machine (UrlPolicy, Profile, OracleEndpoint).
// Each scanner is also run on planted violations, so a scanner that finds nothing cannot pass.
#include "config/Profile.h"
#include "net/ConnectionTester.h"
#include "net/Connections.h"
#include "net/HttpClient.h"
#include "net/UrlPolicy.h"
#include "oracle/OracleEndpoint.h"
#include "secrets/MemoryCredentialStore.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace Core;

namespace {

struct Finding
{
    QString where; // file:line
    QString what;
};

// The source text with comments and the contents of string and character literals blanked (kept
// the same length, so offsets and line numbers still match). Literals become "" with spaces inside.
QString codeOnly(const QString& text, QList<QPair<int, int>>* literals = nullptr)
{
    QString out = text;
    enum { Code, Line, Block, Str, Chr } state = Code;
    int start = 0;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        const QChar next = i + 1 < text.size() ? text.at(i + 1) : QChar();
        switch (state) {
        case Code:
            if (c == QLatin1Char('/') && next == QLatin1Char('/')) {
                state = Line;
                out[i] = QLatin1Char(' ');
            } else if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
                state = Block;
                out[i] = QLatin1Char(' ');
            } else if (c == QLatin1Char('"')) {
                state = Str;
                start = i;
            } else if (c == QLatin1Char('\'') && !(i > 0 && text.at(i - 1).isDigit())) {
                state = Chr;
            }
            break;
        case Line:
            if (c == QLatin1Char('\n'))
                state = Code;
            else
                out[i] = QLatin1Char(' ');
            break;
        case Block:
            if (c == QLatin1Char('*') && next == QLatin1Char('/')) {
                out[i] = out[i + 1] = QLatin1Char(' ');
                ++i;
                state = Code;
            } else if (c != QLatin1Char('\n')) {
                out[i] = QLatin1Char(' ');
            }
            break;
        case Str:
        case Chr:
            if (c == QLatin1Char('\\')) {
                out[i] = QLatin1Char(' ');
                if (i + 1 < text.size())
                    out[++i] = QLatin1Char(' ');
            } else if ((state == Str && c == QLatin1Char('"')) || (state == Chr && c == QLatin1Char('\''))) {
                if (state == Str && literals)
                    literals->append({start, i});
                state = Code;
            } else {
                out[i] = QLatin1Char(' ');
            }
            break;
        }
    }
    return out;
}

int lineOf(const QString& text, int offset)
{
    return int(QStringView(text).left(offset).count(QLatin1Char('\n'))) + 1;
}

// Anything that turns TLS verification off or weakens it. The product never needs any of them.
QList<Finding> tlsFindings(const QString& file, const QString& text)
{
    static const QRegularExpression bad(QStringLiteral(
        "\\b(ignoreSslErrors|VerifyNone|QueryPeer|setPeerVerifyMode|setPeerVerifyDepth|setCaCertificates|"
        "addCaCertificates?|setDefaultConfiguration|setSslConfiguration|setMissingCertificateIsFatal|"
        "setProtocol|SslV2|SslV3|TlsV1_0|TlsV1_1|AnyProtocol|UnknownProtocol|setCiphers|"
        "QSslError::NoError|sslErrors)\\b"));
    const QString code = codeOnly(text);
    QList<Finding> found;
    auto it = bad.globalMatch(code);
    while (it.hasNext()) {
        const auto m = it.next();
        found << Finding{QStringLiteral("%1:%2").arg(file).arg(lineOf(code, int(m.capturedStart()))), m.captured(1)};
    }
    return found;
}

// Interpolations into SQL that are allowed: identifiers and numbers the code itself makes, never a
// value from a user, a record or the network. Keyed by file name and expression.
const QHash<QString, QString>& sqlAllowList()
{
    static const QHash<QString, QString> list{
        {QStringLiteral("AuditLog.cpp|kColumns"), QStringLiteral("a constant column list")},
        {QStringLiteral("AuditLog.cpp|st.where"),
         QStringLiteral("WHERE built from constant fragments with ? placeholders; values are bound")},
        {QStringLiteral("AuditLog.cpp|st.value().where"), QStringLiteral("the same WHERE")},
        {QStringLiteral("AuditLog.cpp|st.value().sql"), QStringLiteral("the SELECT built from the same constants")},
        {QStringLiteral("AuditLog.cpp|where.join"), QStringLiteral("constant fragments with ? placeholders")},
        {QStringLiteral("LinkStore.cpp|kColumns"), QStringLiteral("a constant column list")},
        {QStringLiteral("AuditStats.cpp|kBucketSql"), QStringLiteral("a constant SELECT with ? placeholders")},
        {QStringLiteral("QueueDepth.cpp|kSql"), QStringLiteral("a constant SELECT (EXPLAIN QUERY PLAN of it)")},
        {QStringLiteral("ChannelStore.cpp|where"), QStringLiteral("callers pass constant WHERE text with ?")},
        {QStringLiteral("LinkStore.cpp|kPlaceholders"), QStringLiteral("constant ? placeholders")},
        {QStringLiteral("OutboxStore.cpp|kColumns"), QStringLiteral("a constant column list")},
        {QStringLiteral("OutboxStore.cpp|tail"),
         QStringLiteral("callers pass constant WHERE/ORDER text with ? placeholders")},
        {QStringLiteral("OutboxStore.cpp|order"), QStringLiteral("one of two constant ORDER BY clauses")},
        {QStringLiteral("MappingStore.cpp|tail"), QStringLiteral("callers pass constant clauses with ?")},
        {QStringLiteral("Database.cpp|m_journal.synchronous"),
         QStringLiteral("NORMAL or FULL, chosen by the code from the journal mode")},
        {QStringLiteral("Database.cpp|step.version"), QStringLiteral("the integer schema version of a migration")},
        {QStringLiteral("Database.cpp|savepoint"), QStringLiteral("ml_sp_<depth>, made by the code")},
    };
    return list;
}

// SQL statements whose text is built from non-literals. A statement is any C++ statement holding a
// string literal that reads as SQL; every operand joined to it with + or passed to .arg() must be a
// literal or on the allow-list.
QList<Finding> sqlFindings(const QString& file, const QString& text)
{
    static const QRegularExpression sqlLiteral(
        QStringLiteral("^\\s*(SELECT|INSERT|UPDATE|DELETE|REPLACE|PRAGMA|CREATE|DROP|ALTER|VACUUM|BEGIN|COMMIT|"
                       "ROLLBACK|SAVEPOINT|RELEASE|WITH|EXPLAIN|ATTACH|WHERE|ORDER BY|LIMIT)\\b|"
                       "\\b(FROM|WHERE|VALUES|SET)\\b.*(\\?|=|\\bAND\\b)")); // upper case, as the code writes SQL
    static const QRegularExpression operand(
        QStringLiteral("[A-Za-z_][A-Za-z0-9_]*(\\s*(\\.|->)\\s*[A-Za-z_][A-Za-z0-9_]*(\\(\\))?)*"));
    QList<QPair<int, int>> literals;
    const QString code = codeOnly(text, &literals);
    const QString base = QFileInfo(file).fileName();
    QList<Finding> found;
    QSet<int> seenStatements;
    for (const auto& [from, to] : std::as_const(literals)) {
        const QString content = text.mid(from + 1, to - from - 1);
        if (!sqlLiteral.match(content).hasMatch())
            continue;
        // The statement around the literal: from the previous ; { } to the next ;.
        int begin = from;
        while (begin > 0 && !QStringLiteral(";{}").contains(code.at(begin - 1)))
            --begin;
        int end = to;
        while (end < code.size() && code.at(end) != QLatin1Char(';'))
            ++end;
        if (seenStatements.contains(begin))
            continue;
        seenStatements.insert(begin);
        const QString stmt = code.mid(begin, end - begin);
        // Text for people (an error, a translated message, a log line) that happens to name SQL.
        static const QRegularExpression prose(
            QStringLiteral("\\bError\\s*[({]|\\btr\\s*\\(|\\bqC?(Warning|Info|Debug|Critical)\\b"));
        if (prose.match(code.mid(begin, from - begin)).hasMatch())
            continue;
        // Operands next to a + (not ++, not +=) and the arguments of .arg(...).
        QStringList suspects;
        static const QRegularExpression plus(QStringLiteral("(?<![+=])\\+(?![+=])"));
        auto pit = plus.globalMatch(stmt);
        while (pit.hasNext()) {
            const int at = int(pit.next().capturedStart());
            // right operand
            const QString right = stmt.mid(at + 1).trimmed();
            const auto r =
                operand.match(right, 0, QRegularExpression::NormalMatch, QRegularExpression::AnchorAtOffsetMatchOption);
            if (r.hasMatch() && !r.captured(0).startsWith(QLatin1String("QStringLiteral")) &&
                !r.captured(0).startsWith(QLatin1String("QLatin1String")) &&
                !r.captured(0).startsWith(QLatin1String("QByteArrayLiteral")))
                suspects << QString(r.captured(0)).remove(QLatin1Char(' '));
            // left operand: the identifier chain ending just before the +
            QString left = stmt.left(at).trimmed();
            static const QRegularExpression tail(QStringLiteral("([A-Za-z_][A-Za-z0-9_.>()-]*)$"));
            const auto l = tail.match(left);
            if (l.hasMatch() && !left.endsWith(QLatin1Char(')')))
                suspects << l.captured(1);
        }
        static const QRegularExpression arg(QStringLiteral("\\.arg\\(([^)]*)\\)"));
        auto ait = arg.globalMatch(stmt);
        while (ait.hasNext()) {
            for (const QString& a : ait.next().captured(1).split(QLatin1Char(','))) {
                const QString t = a.trimmed();
                if (!t.isEmpty() && !t.startsWith(QLatin1Char('"')))
                    suspects << QString(t).remove(QLatin1Char(' '));
            }
        }
        suspects.removeDuplicates();
        for (const QString& s : std::as_const(suspects)) {
            if (s.isEmpty() || s.at(0).isDigit())
                continue;
            if (sqlAllowList().contains(base + QLatin1Char('|') + s))
                continue;
            found << Finding{QStringLiteral("%1:%2").arg(file).arg(lineOf(code, from)),
                             QStringLiteral("\"%1\" is spliced into SQL").arg(s)};
        }
    }
    // exec()/prepare() with a non-literal anywhere but the one helper that forwards its argument.
    if (base != QLatin1String("SqlUtil.cpp")) {
        static const QRegularExpression direct(QStringLiteral("\\.(exec|prepare)\\(\\s*([^)\\s][^)]*)\\)"));
        auto dit = direct.globalMatch(code);
        while (dit.hasNext()) {
            const auto m = dit.next();
            const QString argText = m.captured(2).trimmed();
            if (argText.startsWith(QLatin1String("QStringLiteral(\"")) || argText.startsWith(QLatin1Char('"')))
                continue;
            // Not a QSqlQuery: QProcess, QEventLoop, dialogs and the like take no SQL.
            if (!code.contains(QLatin1String("QSqlQuery")))
                continue;
            found << Finding{QStringLiteral("%1:%2").arg(file).arg(lineOf(code, int(m.capturedStart()))),
                             QStringLiteral("%1(%2) takes SQL that is not a literal").arg(m.captured(1), argText)};
        }
    }
    return found;
}

QStringList productSources()
{
    QStringList files;
    for (const QString& dir : {QStringLiteral("core"), QStringLiteral("ui"), QStringLiteral("app")}) {
        QDirIterator it(QStringLiteral(ML_SOURCE_DIR) + QLatin1Char('/') + dir,
                        {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext())
            files << it.next();
    }
    files.sort();
    return files;
}

QString readText(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QString describe(const QList<Finding>& findings)
{
    QStringList lines;
    for (const Finding& f : findings)
        lines << f.where + QStringLiteral(": ") + f.what;
    return lines.join(QLatin1Char('\n'));
}

template <typename Pred>
bool waitFor(Pred pred, int ms = 60000)
{
    QElapsedTimer t;
    t.start();
    while (!pred()) {
        if (t.elapsed() > ms)
            return false;
        QTest::qWait(10);
    }
    return true;
}

} // namespace

class tst_SourcePolicies : public QObject
{
    Q_OBJECT

private slots:
    void theScannersFindPlantedViolations()
    {
        const QString planted =
            QStringLiteral("void f(QNetworkReply* r) { r->ignoreSslErrors(); }\n"
                           "void g(QSslConfiguration c) { c.setPeerVerifyMode(QSslSocket::VerifyNone); }\n"
                           "// ignoreSslErrors in a comment is fine\n"
                           "const char* s = \"VerifyNone in a string is fine\";\n");
        const auto tls = tlsFindings(QStringLiteral("planted.cpp"), planted);
        QCOMPARE(tls.size(), 3);

        const QString sql = QStringLiteral(
            "void a(QSqlQuery& q, const QString& id) { q.exec(QStringLiteral(\"SELECT * FROM t WHERE id=\") + id); }\n"
            "void b(QSqlQuery& q, const QString& name) {\n"
            "    SqlUtil::run(q, QStringLiteral(\"DELETE FROM t WHERE name='%1'\").arg(name), {}, f, w); }\n"
            "void c(QSqlQuery& q, const QString& sql) { q.prepare(sql); }\n"
            "void d(QSqlQuery& q, const QString& v) { SqlUtil::run(q, QStringLiteral(\"UPDATE t SET a=? WHERE b=?\"), {v, v}, f, w); }\n"
            "void e(QSqlQuery& q) { SqlUtil::run(q, QStringLiteral(\"SELECT \") + kColumns + QStringLiteral(\" FROM t\"), {}, f, w); }\n");
        const auto found = sqlFindings(QStringLiteral("Planted.cpp"), sql);
        QVERIFY2(found.size() == 4, qPrintable(describe(found))); // id, name, prepare(sql), kColumns here
        const QString text = describe(found);
        QVERIFY2(text.contains(QLatin1String("\"id\"")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("\"name\"")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("prepare(sql)")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("\"kColumns\"")), qPrintable(text)); // not allow-listed here
        QVERIFY2(!text.contains(QLatin1String("\"v\"")), qPrintable(text));       // bound, not spliced
    }

    void tlsVerificationIsNeverWeakened()
    {
        const QStringList files = productSources();
        QVERIFY(files.size() > 50);
        QList<Finding> all;
        for (const QString& f : files)
            all += tlsFindings(f, readText(f));
        QVERIFY2(all.isEmpty(), qPrintable(describe(all)));
    }

    void sqlIsParameterisedEverywhere()
    {
        const QStringList files = productSources();
        QList<Finding> all;
        int statements = 0;
        for (const QString& f : files) {
            const QString text = readText(f);
            statements += int(text.count(QLatin1String("SqlUtil::")) + text.count(QLatin1String("QSqlQuery")));
            all += sqlFindings(f, text);
        }
        QVERIFY(statements > 30); // the scan did see the storage code
        QVERIFY2(all.isEmpty(), qPrintable(describe(all)));
    }

    void aSelfSignedCertificateFailsWithATlsError()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        // A test-only certificate, made here and thrown away with the directory.
        QTemporaryDir dir;
        const QString openssl = QStandardPaths::findExecutable(QStringLiteral("openssl"));
        if (openssl.isEmpty())
            QSKIP("openssl is not installed");
        QProcess gen;
        gen.start(openssl, {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"),
                            QStringLiteral("rsa:2048"), QStringLiteral("-nodes"), QStringLiteral("-days"),
                            QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                            QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost"),
                            QStringLiteral("-keyout"), dir.filePath(QStringLiteral("key.pem")), QStringLiteral("-out"),
                            dir.filePath(QStringLiteral("cert.pem"))});
        QVERIFY(gen.waitForFinished(120000));
        QVERIFY2(gen.exitCode() == 0, gen.readAllStandardError().constData());
        QFile certFile(dir.filePath(QStringLiteral("cert.pem")));
        QFile keyFile(dir.filePath(QStringLiteral("key.pem")));
        QVERIFY(certFile.open(QIODevice::ReadOnly) && keyFile.open(QIODevice::ReadOnly));
        const QSslCertificate cert(certFile.readAll(), QSsl::Pem);
        const QSslKey key(keyFile.readAll(), QSsl::Rsa, QSsl::Pem);
        QVERIFY(!cert.isNull() && !key.isNull());

        QSslServer server;
        QSslConfiguration serverConfig = QSslConfiguration::defaultConfiguration();
        serverConfig.setLocalCertificate(cert);
        serverConfig.setPrivateKey(key);
        server.setSslConfiguration(serverConfig);
        int handshakes = 0;
        connect(&server, &QSslServer::startedEncryptionHandshake, this, [&](QSslSocket*) { ++handshakes; });
        connect(&server, &QTcpServer::pendingConnectionAvailable, this, [&] {
            while (server.hasPendingConnections()) {
                QTcpSocket* socket = server.nextPendingConnection();
                connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                    socket->readAll();
                    socket->write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
                    socket->disconnectFromHost();
                });
            }
        });
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        const QString base = QStringLiteral("https://127.0.0.1:%1").arg(server.serverPort());

        // Control: a client that trusts this certificate gets through, so the server itself works.
        {
            QSslSocket trusting;
            QSslConfiguration c = QSslConfiguration::defaultConfiguration();
            c.setCaCertificates({cert});
            trusting.setSslConfiguration(c);
            trusting.connectToHostEncrypted(QStringLiteral("127.0.0.1"), server.serverPort());
            QVERIFY2(waitFor([&] {
                         return trusting.isEncrypted() || trusting.state() == QAbstractSocket::UnconnectedState;
                     }),
                     "the control handshake did not finish");
            QVERIFY2(trusting.isEncrypted(), qPrintable(trusting.errorString()));
        }

        // The product's HTTP client: a transport error that names TLS, not an answer.
        QNetworkAccessManager nam;
        HttpClient http(&nam);
        std::optional<Result<HttpResponse>> result;
        HttpRequest request;
        request.url = QUrl(base + QStringLiteral("/crm/v8/Contacts"));
        request.label = QStringLiteral("tls.check");
        request.timeoutMs = 60000;
        http.send(request, this, [&](Result<HttpResponse> r) { result = std::move(r); });
        QVERIFY(waitFor([&] { return result.has_value(); }));
        QVERIFY2(!result->ok(), "an https call to a self-signed certificate must fail");
        QCOMPARE(result->error().kind, Error::Kind::Network);
        static const QRegularExpression tlsWords(QStringLiteral("SSL|TLS|certificate|handshake"),
                                                 QRegularExpression::CaseInsensitiveOption);
        QVERIFY2(tlsWords.match(result->error().message).hasMatch(), qPrintable(result->error().message));
        QVERIFY(handshakes >= 1); // it did reach the server: the failure is the certificate

        // "Test connection" through the same path says it could not connect.
        MemoryCredentialStore secrets;
        ZohoConnection zoho;
        zoho.dataCentre = QStringLiteral("custom");
        zoho.accountsUrl = base;
        zoho.apiUrl = base;
        zoho.clientId = QStringLiteral("tls-check-client");
        std::optional<bool> stored;
        secrets.write(QStringLiteral("zoho/client_secret"), QStringLiteral("tls-check-secret"), this,
                      [&](Result<Ok> r) { stored = r.ok(); });
        secrets.write(QStringLiteral("zoho/refresh_token"), QStringLiteral("tls-check-refresh"), this,
                      [](Result<Ok>) {});
        QVERIFY(waitFor([&] { return stored.has_value(); }));
        Connections connections(&nam, &secrets, zoho, OracleConnection{});
        ConnectionTester tester(&connections);
        std::optional<ConnectionStatus> final;
        connect(&tester, &ConnectionTester::statusChanged, this, [&](Service, const ConnectionStatus& s) {
            if (s.state != ConnectionStatus::State::Checking)
                final = s;
        });
        const int before = handshakes;
        tester.testZoho();
        QVERIFY(waitFor([&] { return final.has_value(); }, 120000));
        QCOMPARE(final->state, ConnectionStatus::State::Failed);
        QVERIFY2(handshakes > before, qPrintable(final->detail));
    }

    void plainHttpIsRefusedExceptForThisMachine_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("allowed");
        QTest::newRow("remote name") << "http://accounts.zoho.com" << false;
        QTest::newRow("private v4") << "http://10.0.0.1:8080" << false;
        QTest::newRow("lan v4") << "http://192.168.1.10" << false;
        QTest::newRow("any v4") << "http://0.0.0.0:8080" << false;
        QTest::newRow("v6 global") << "http://[2001:db8::1]:8080" << false;
        QTest::newRow("loopback-looking name") << "http://127.0.0.1.example.com" << false;
        QTest::newRow("localhost-looking name") << "http://localhost.example.com" << false;
        QTest::newRow("ftp") << "ftp://127.0.0.1" << false;
        QTest::newRow("https remote") << "https://accounts.zoho.com" << true;
        QTest::newRow("127.0.0.1") << "http://127.0.0.1:8080" << true;
        QTest::newRow("127.x") << "http://127.1.2.3:8080" << true;
        QTest::newRow("::1") << "http://[::1]:8080" << true;
        QTest::newRow("localhost") << "http://localhost:8080" << true;
        QTest::newRow("LOCALHOST") << "http://LOCALHOST:8080" << true;
    }

    void plainHttpIsRefusedExceptForThisMachine()
    {
        QFETCH(QString, url);
        QFETCH(bool, allowed);
        QCOMPARE(UrlPolicy::checkServiceUrl(url, QStringLiteral("zoho.accounts_url")).ok(), allowed);
        QCOMPARE(OracleEndpoint::fromPodUrl(url).ok(), allowed);
        QTemporaryDir dir;
        auto profile = Profile::open(dir.path());
        QVERIFY(profile.ok());
        for (const QString& key : {QStringLiteral("zoho.accounts_url"), QStringLiteral("zoho.api_url"),
                                   QStringLiteral("oracle.pod_url"), QStringLiteral("oracle.token_url")}) {
            const auto set = profile.value().set(key, url);
            QVERIFY2(set.ok() == allowed,
                     qPrintable(key + QStringLiteral(": ") + (set.ok() ? QString() : set.error().message)));
            if (!allowed)
                QVERIFY(profile.value().value(key) != url); // nothing was stored
        }
    }
};

QTEST_GUILESS_MAIN(tst_SourcePolicies)
#include "tst_SourcePolicies.moc"
