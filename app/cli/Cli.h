#pragma once

#include "Result.h"
#include "config/Profile.h"
#include "sync/SyncTypes.h"

#include <QCommandLineParser>
#include <QObject>
#include <QTemporaryDir>

#include <memory>

class QNetworkAccessManager;

namespace Core {
class CredentialStore;
class SyncService;
class SyncSession;
} // namespace Core

// ml-connector-cli: the desktop's engine for servers and scripts, over the same profile directory.
// Exit codes: 0 ok; 1 some records failed; 2 usage or config error; 3 auth error; 4 unreachable.
class Cli final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Cli)

public:
    enum ExitCode { Ok = 0, RecordsFailed = 1, Usage = 2, AuthFailed = 3, Unreachable = 4 };

    Cli(QObject* parent = nullptr);
    ~Cli() override;

    // Returns an exit code when the command finished at once, or -1 when it runs on in the event
    // loop and ends with QCoreApplication::exit(code).
    int start(const QStringList& arguments);

    static int exitCodeFor(const Core::Error& error);

private:
    int runConfig(const QStringList& args);
    int runSecret(const QStringList& args);
    int runPing(const QStringList& args);
    int runSync();
    int runReplay(const QStringList& args);
    int runChannels();
    int runAudit(const QStringList& args);
    int runServe();

    int fail(const Core::Error& error);
    int usage(const QString& message);
    void finish(int code);
    Core::Result<Core::SyncSession*> openSession(bool onACopy);
    void runEngineUntilIdle(std::function<void()> afterIdle);
    void reportCounts(const Core::SyncCounts& counts);
    void progress(const QString& line);

    QCommandLineParser m_parser;
    std::unique_ptr<Core::Profile> m_profile;
    QNetworkAccessManager* m_network;
    Core::CredentialStore* m_secrets = nullptr;
    std::unique_ptr<Core::SyncSession> m_session;
    std::unique_ptr<QTemporaryDir> m_dryRunDir;
    Core::SyncService* m_serve = nullptr;
    bool m_dryRun = false;
    bool m_listingDone = false;
    bool m_finished = false;
    bool m_progressToTerminal = false;
};
