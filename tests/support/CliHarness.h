#pragma once

// Shared by the tests that run the real ml-connector-cli against ml-connector-sim (tests/security,
// and any integration test that wants it): run the CLI over a throw-away profile, collect every
// secret the simulator issued or accepts, scan files for them, read a process's memory figures.
// Needs SimTestClient.h (tests/integration) on the include path.

#include "SimTestClient.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QProcessEnvironment>
#include <QTemporaryDir>

#include <memory>

namespace CliTest {

struct Run
{
    int exitCode = -1; // -1: crashed or timed out
    QString out;
    QString err;
    QString all() const { return out + err; }
};

inline QString cliPath()
{
    return QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("ml-connector-cli"));
}

// The simulator's default credentials in the variables --secrets-from-env reads.
inline QProcessEnvironment secretsEnvironment()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("ZOHO_CLIENT_SECRET"), SimTest::kZohoClientSecret);
    env.insert(QStringLiteral("ZOHO_REFRESH_TOKEN"), SimTest::kZohoRefreshToken);
    env.insert(QStringLiteral("ORACLE_PASSWORD"), SimTest::kOraclePassword);
    env.insert(QStringLiteral("ORACLE_CLIENT_SECRET"), SimTest::kOracleClientSecret);
    return env;
}

// One profile directory and the environment every CLI run gets.
class Cli
{
public:
    explicit Cli(QProcessEnvironment env = secretsEnvironment())
        : m_env(std::move(env))
    { }

    bool valid() const { return m_dir.isValid(); }
    void keepFiles() { m_dir.setAutoRemove(false); } // to look at a failure
    QString profile() const { return m_dir.path(); }
    QString databasePath() const { return QDir(profile()).filePath(QStringLiteral("ml-connector.db")); }
    QProcessEnvironment& environment() { return m_env; }
    QStringList baseArguments(bool fromEnv = true) const
    {
        QStringList args{QStringLiteral("--profile"), profile()};
        if (fromEnv)
            args << QStringLiteral("--secrets-from-env");
        return args;
    }

    // Every run through another program first, e.g. dbus-run-session for a private keychain:
    // `program prefix... <cli> <arguments>`. An empty program runs the CLI directly.
    void setWrapper(const QString& program, const QStringList& prefix)
    {
        m_wrapper = program;
        m_wrapperPrefix = prefix;
    }

    // Runs to the end; stdout and stderr are also appended to the log files when set.
    Run run(const QStringList& args, const QByteArray& stdinBytes = {}, bool fromEnv = true, int timeoutMs = 240000)
    {
        QProcess process;
        process.setProcessEnvironment(m_env);
        if (m_wrapper.isEmpty())
            process.start(cliPath(), baseArguments(fromEnv) + args);
        else
            process.start(m_wrapper, m_wrapperPrefix + QStringList{cliPath()} + baseArguments(fromEnv) + args);
        Run r;
        if (!process.waitForStarted(30000)) {
            r.err = QStringLiteral("did not start: ") + process.errorString();
            return r;
        }
        if (!stdinBytes.isEmpty())
            process.write(stdinBytes);
        process.closeWriteChannel();
        if (!process.waitForFinished(timeoutMs)) {
            process.kill();
            process.waitForFinished();
            r.err = QStringLiteral("timed out");
        } else {
            r.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
        }
        const QByteArray out = process.readAllStandardOutput();
        const QByteArray err = process.readAllStandardError();
        appendLogs(out, err);
        r.out += QString::fromUtf8(out);
        r.err += QString::fromUtf8(err);
        return r;
    }

    // The simulator as both sides' server (zoho.dc=custom, http to loopback).
    QString configureFor(const QUrl& base, const QList<QPair<QString, QString>>& extra = {})
    {
        const QString b = base.toString(QUrl::StripTrailingSlash);
        QList<QPair<QString, QString>> settings{{QStringLiteral("zoho.dc"), QStringLiteral("custom")},
                                                {QStringLiteral("zoho.accounts_url"), b},
                                                {QStringLiteral("zoho.api_url"), b},
                                                {QStringLiteral("zoho.client_id"), SimTest::kZohoClientId},
                                                {QStringLiteral("oracle.pod_url"), b},
                                                {QStringLiteral("oracle.username"), SimTest::kOracleUser}};
        settings += extra;
        for (const auto& [key, value] : settings) {
            const Run r = run({QStringLiteral("config"), QStringLiteral("set"), key, value});
            if (r.exitCode != 0)
                return QStringLiteral("config set %1 failed: %2").arg(key, r.all());
        }
        return {};
    }

    // stdout/stderr of every run (and of serve) are appended here when set.
    void setLogFiles(const QString& out, const QString& err)
    {
        m_outLog = out;
        m_errLog = err;
    }
    void appendLogs(const QByteArray& out, const QByteArray& err) const
    {
        for (const auto& [path, bytes] : {std::make_pair(m_outLog, out), std::make_pair(m_errLog, err)}) {
            if (path.isEmpty() || bytes.isEmpty())
                continue;
            QFile f(path);
            if (f.open(QIODevice::WriteOnly | QIODevice::Append))
                f.write(bytes);
        }
    }

private:
    QTemporaryDir m_dir;
    QProcessEnvironment m_env;
    QString m_outLog;
    QString m_errLog;
    QString m_wrapper;
    QStringList m_wrapperPrefix;
};

// `ml-connector-cli serve` in the background; its output is kept for the test to read.
class Serve
{
public:
    explicit Serve(Cli& cli)
        : m_cli(cli)
    { }
    ~Serve() { stop(); }

    bool start()
    {
        m_process.setProcessEnvironment(m_cli.environment());
        QObject::connect(&m_process, &QProcess::readyReadStandardError, &m_process, [this] {
            const QByteArray bytes = m_process.readAllStandardError();
            m_err += bytes;
            m_cli.appendLogs({}, bytes);
        });
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process, [this] {
            const QByteArray bytes = m_process.readAllStandardOutput();
            m_out += bytes;
            m_cli.appendLogs(bytes, {});
        });
        m_process.start(cliPath(), m_cli.baseArguments() << QStringLiteral("serve"));
        return m_process.waitForStarted(30000);
    }

    // The webhook port from "serving: webhook at http://127.0.0.1:PORT/…"; 0 until it is printed.
    quint16 webhookPort() const
    {
        static const QRegularExpression re(QStringLiteral("webhook at http://[^ ]*:(\\d+)/"));
        const auto m = re.match(QString::fromUtf8(m_err));
        return m.hasMatch() ? quint16(m.captured(1).toUInt()) : 0;
    }
    qint64 pid() const { return m_process.processId(); }
    bool running() const { return m_process.state() == QProcess::Running; }
    QString output() const { return QString::fromUtf8(m_out + m_err); }

    // SIGTERM, then the drain; true when it exited 0.
    bool stop(int timeoutMs = 60000)
    {
        if (m_process.state() == QProcess::NotRunning)
            return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
        m_process.terminate();
        if (!m_process.waitForFinished(timeoutMs)) {
            m_process.kill();
            m_process.waitForFinished();
            return false;
        }
        m_out += m_process.readAllStandardOutput();
        m_err += m_process.readAllStandardError();
        return m_process.exitStatus() == QProcess::NormalExit && m_process.exitCode() == 0;
    }

private:
    Cli& m_cli;
    QProcess m_process;
    QByteArray m_out;
    QByteArray m_err;
};

// --- secrets ---

// A secret and the forms it travels in (raw, in an Authorization header, Basic-encoded, URL-encoded).
struct Needle
{
    QString label; // what it is, never the value (failure messages must not leak either)
    QByteArray bytes;
};

inline QList<Needle> needlesFor(const QString& label, const QString& secret)
{
    const QByteArray s = secret.toUtf8();
    QList<Needle> out{{label, s},
                      {label + QStringLiteral(" (Bearer header)"), "Bearer " + s},
                      {label + QStringLiteral(" (Zoho-oauthtoken header)"), "Zoho-oauthtoken " + s}};
    const QByteArray encoded = QUrl::toPercentEncoding(secret);
    if (encoded != s)
        out << Needle{label + QStringLiteral(" (URL-encoded)"), encoded};
    const QByteArray b64 = s.toBase64();
    if (b64.size() >= 12)
        out << Needle{label + QStringLiteral(" (base64)"), b64.left(b64.size() - 4)}; // stable prefix
    return out;
}

// Every secret /_sim/secrets lists (at least 8 characters; shorter values would match by chance),
// plus the Basic header of the Oracle user. channelTokens gets the channel verification tokens
// separately: the receiver must store those to check callbacks.
inline QList<Needle> simSecrets(SimTest::Client& control, QStringList* channelTokens = nullptr, int* count = nullptr)
{
    const QJsonObject o = control.get(QStringLiteral("/_sim/secrets")).json();
    QStringList channels;
    for (const auto& v : o.value(QStringLiteral("channel_tokens")).toArray())
        if (v.toString().size() >= 8)
            channels << v.toString();
    // "secrets" lists the channel tokens too; they are kept apart (stored by design).
    QStringList values;
    for (const QString& key : {QStringLiteral("secrets"), QStringLiteral("zoho"), QStringLiteral("oracle")})
        for (const auto& v : o.value(key).toArray())
            if (v.toString().size() >= 8 && !values.contains(v.toString()) && !channels.contains(v.toString()))
                values << v.toString();
    QList<Needle> needles;
    for (int i = 0; i < values.size(); ++i)
        needles += needlesFor(QStringLiteral("secret #%1 of /_sim/secrets").arg(i + 1), values.at(i));
    needles << Needle{QStringLiteral("Oracle Basic Authorization value"),
                      SimTest::basicAuth(SimTest::kOracleUser, SimTest::kOraclePassword)}
            << Needle{QStringLiteral("Oracle Basic credentials (base64 of user:password)"),
                      (SimTest::kOracleUser + QLatin1Char(':') + SimTest::kOraclePassword).toUtf8().toBase64()};
    if (channelTokens)
        *channelTokens = channels;
    if (count)
        *count = int(values.size());
    return needles;
}

struct Leak
{
    QString file;
    QString label;
};

// Which needles occur in the bytes (case-sensitive, exact).
inline QStringList findNeedles(const QByteArray& bytes, const QList<Needle>& needles)
{
    QStringList found;
    for (const Needle& n : needles)
        if (!n.bytes.isEmpty() && bytes.contains(n.bytes))
            found << n.label;
    return found;
}

inline QList<Leak> scanFiles(const QStringList& files, const QList<Needle>& needles)
{
    QList<Leak> leaks;
    for (const QString& path : files) {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly)) {
            leaks << Leak{path, QStringLiteral("(cannot be read: %1)").arg(f.errorString())};
            continue;
        }
        for (const QString& label : findNeedles(f.readAll(), needles))
            leaks << Leak{path, label};
    }
    return leaks;
}

inline QStringList filesUnder(const QString& dir)
{
    QStringList files;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        files << it.next();
    files.sort();
    return files;
}

inline QString describe(const QList<Leak>& leaks)
{
    QStringList lines;
    for (const Leak& l : leaks)
        lines << QStringLiteral("%1 in %2").arg(l.label, l.file);
    return lines.join(QLatin1Char('\n'));
}

// --- memory of a process (Linux /proc) ---

// A field of /proc/<pid>/status in KiB (VmHWM: peak resident set, VmRSS: now); -1 when unknown.
inline qint64 procStatusKb(qint64 pid, const QByteArray& field)
{
    QFile f(QStringLiteral("/proc/%1/status").arg(pid));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n')) {
        if (line.startsWith(QByteArray(field + ':')))
            return line.mid(field.size() + 1).trimmed().split(' ').value(0).toLongLong();
    }
    return -1;
}

// --- CSV (RFC 4180, as AuditLog writes it) ---

inline QList<QStringList> parseCsv(const QString& text)
{
    QList<QStringList> rows;
    QStringList row;
    QString cell;
    bool quoted = false;
    bool any = false;
    for (int i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == QLatin1Char('"') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('"')) {
                cell += c;
                ++i;
            } else if (c == QLatin1Char('"')) {
                quoted = false;
            } else {
                cell += c;
            }
            continue;
        }
        if (c == QLatin1Char('"') && cell.isEmpty()) {
            quoted = true;
            any = true;
        } else if (c == QLatin1Char(',')) {
            row << cell;
            cell.clear();
            any = true;
        } else if (c == QLatin1Char('\r') && i + 1 < text.size() && text.at(i + 1) == QLatin1Char('\n')) {
            row << cell;
            rows << row;
            row.clear();
            cell.clear();
            any = false;
            ++i;
        } else {
            cell += c;
            any = true;
        }
    }
    if (any || !cell.isEmpty()) {
        row << cell;
        rows << row;
    }
    return rows;
}

// A cell a spreadsheet would run as a formula (OWASP: =, +, -, @, tab, carriage return first).
inline bool isFormulaCell(const QString& cell)
{
    if (cell.isEmpty())
        return false;
    const QChar c = cell.at(0);
    return c == QLatin1Char('=') || c == QLatin1Char('+') || c == QLatin1Char('-') || c == QLatin1Char('@') ||
           c == QLatin1Char('\t') || c == QLatin1Char('\r');
}

} // namespace CliTest
