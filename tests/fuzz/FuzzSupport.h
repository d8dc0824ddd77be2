#pragma once

// Shared by the fuzz harnesses: a quiet QCoreApplication, canned HTTP answers behind the real
// HttpClient/ApiClient stack, and the fuzz input split into parts.

#include "net/ApiClient.h"
#include "net/HttpClient.h"
#include "net/TokenSource.h"

#include <QCoreApplication>
#include <QList>
#include <QLoggingCategory>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>

#include <cstdio>
#include <cstdlib>
#include <memory>

namespace Fuzz {

// Stops the harness the way a sanitizer would: libFuzzer keeps the input as a crash.
[[noreturn]] inline void fail(const char* what)
{
    std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
    std::abort();
}

inline void quietMessages(QtMsgType type, const QMessageLogContext&, const QString& text)
{
    if (type == QtFatalMsg) {
        std::fprintf(stderr, "qFatal: %s\n", qPrintable(text));
        std::abort();
    }
}

// One QCoreApplication for the whole run; logging off (millions of inputs), fatal still aborts.
inline void initApplication()
{
    static int argc = 1;
    static char name[] = "ml-fuzz";
    static char* argv[] = {name, nullptr};
    if (!QCoreApplication::instance())
        new QCoreApplication(argc, argv);
    QLoggingCategory::setFilterRules(QStringLiteral("*=false"));
    qInstallMessageHandler(quietMessages);
}

// The input cut at every separator line; the last part runs to the end.
inline QList<QByteArray> splitParts(const QByteArray& data, const QByteArray& separator)
{
    QList<QByteArray> parts;
    qsizetype from = 0;
    while (true) {
        const qsizetype at = data.indexOf(separator, from);
        if (at < 0) {
            parts << data.mid(from);
            return parts;
        }
        parts << data.mid(from, at - from);
        from = at + separator.size();
    }
}

// An answer as a part of the input: "<status>\n<Header: value>…\n\n<body>" (status 0: no HTTP
// answer at all; no blank line: everything after the status line is the body).
struct CannedAnswer
{
    int status = 200;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;

    static CannedAnswer parse(const QByteArray& part)
    {
        CannedAnswer a;
        qsizetype lineEnd = part.indexOf('\n');
        const QByteArray statusLine = lineEnd < 0 ? part : part.left(lineEnd);
        bool ok = false;
        const int status = statusLine.trimmed().toInt(&ok);
        a.status = ok && status >= 0 && status < 1000 ? status : 200;
        if (lineEnd < 0)
            return a;
        const QByteArray rest = part.mid(lineEnd + 1);
        const qsizetype blank = rest.indexOf("\n\n");
        if (blank < 0) {
            a.body = rest;
            return a;
        }
        for (const QByteArray& line : rest.left(blank).split('\n')) {
            const qsizetype colon = line.indexOf(':');
            if (colon > 0)
                a.headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
        }
        a.body = rest.mid(blank + 2);
        return a;
    }
};

// A finished reply that serves a canned answer.
class CannedReply final : public QNetworkReply
{
public:
    CannedReply(QNetworkAccessManager::Operation op, const QNetworkRequest& request, const CannedAnswer& answer)
        : m_data(answer.body)
    {
        setRequest(request);
        setUrl(request.url());
        setOperation(op);
        if (answer.status > 0) {
            setAttribute(QNetworkRequest::HttpStatusCodeAttribute, answer.status);
            for (const auto& h : answer.headers)
                setRawHeader(h.first, h.second);
        } else {
            setError(QNetworkReply::ConnectionRefusedError, QStringLiteral("refused"));
        }
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
        setFinished(true);
        QMetaObject::invokeMethod(
            this,
            [this] {
                emit metaDataChanged();
                emit readyRead();
                emit finished();
            },
            Qt::QueuedConnection);
    }

    void abort() override { }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override { return m_data.size() - m_pos + QIODevice::bytesAvailable(); }

protected:
    qint64 readData(char* out, qint64 max) override
    {
        const qint64 n = qMin(max, qint64(m_data.size()) - m_pos);
        if (n <= 0)
            return -1;
        memcpy(out, m_data.constData() + m_pos, size_t(n));
        m_pos += n;
        return n;
    }

private:
    QByteArray m_data;
    qint64 m_pos = 0;
};

// Every request gets the next canned answer; once they run out, 204 No Content.
class CannedNetwork final : public QNetworkAccessManager
{
public:
    void load(const QList<QByteArray>& parts)
    {
        m_answers.clear();
        for (const QByteArray& p : parts)
            m_answers << CannedAnswer::parse(p);
        m_next = 0;
        m_requests = 0;
    }
    int requests() const { return m_requests; }

protected:
    QNetworkReply* createRequest(Operation op, const QNetworkRequest& request, QIODevice*) override
    {
        ++m_requests;
        CannedAnswer a;
        a.status = 204;
        if (m_next < m_answers.size())
            a = m_answers.at(m_next++);
        auto* reply = new CannedReply(op, request, a);
        reply->setParent(this);
        return reply;
    }

private:
    QList<CannedAnswer> m_answers;
    int m_next = 0;
    int m_requests = 0;
};

// A Bearer token that never expires and cannot be refreshed: a 401 reaches the client as it is.
class FixedTokens final : public Core::TokenSource
{
public:
    std::optional<Core::AccessToken> validToken() const override
    {
        return Core::AccessToken{QByteArrayLiteral("Bearer fuzz"), 1, {}};
    }
    void token(QObject*, Callback callback) override { callback(*validToken()); }
    void invalidate(quint64) override { }
    bool refreshMightHelp(const Core::HttpResponse&) const override { return false; }
    QString describe401(const Core::HttpResponse&) const override { return QStringLiteral("unauthorized"); }
};

// The real HttpClient and ApiClient over canned answers, with no retries (one answer per call).
struct CannedApi
{
    CannedNetwork network;
    Core::HttpClient http{&network};
    FixedTokens tokens;
    Core::ApiClient api{&http, &tokens, [] {
                            Core::RetryPolicy p;
                            p.maxAttempts = 1;
                            p.random = [] { return 0.0; };
                            return p;
                        }()};
    QObject context;
};

// Runs the event loop until `done` or nothing is left to do; every call must answer exactly once.
template <typename Done>
void runUntil(Done done)
{
    for (int round = 0; round < 100000 && !done(); ++round)
        QCoreApplication::processEvents(QEventLoop::AllEvents);
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    if (!done())
        fail("a call never answered its callback");
}

} // namespace Fuzz
