#include "QtKeychainBackend.h"

#include <QMetaObject>
#include <QObject>

#include <utility>

namespace Core {

void QtKeychainBackend::start(Operation operation,
                              const QString& service,
                              const QString& key,
                              const QString& value,
                              QObject* context,
                              std::function<void(const KeychainReply&)> done)
{
    // No parent and auto-delete: backends call back into a job after any timeout of ours, so
    // nothing but QtKeychain itself may ever delete it. A job that never finishes leaks, by design.
    QKeychain::Job* job = nullptr;
    switch (operation) {
    case Operation::Read:
        job = new QKeychain::ReadPasswordJob(service);
        break;
    case Operation::Write: {
        auto* write = new QKeychain::WritePasswordJob(service);
        write->setTextData(value);
        job = write;
        break;
    }
    case Operation::Remove:
        job = new QKeychain::DeletePasswordJob(service);
        break;
    }
    job->setKey(key);
    job->setAutoDelete(true);
    // Never: QtKeychain's fallback writes the secret to QSettings in plain text.
    job->setInsecureFallback(false);

    // Copy the outcome out while the job is alive (it deletes itself after finished), then hand it
    // over through the event loop: a job may finish inside start() when it fails early.
    QObject::connect(job, &QKeychain::Job::finished, context, [context, done = std::move(done)](QKeychain::Job* j) {
        KeychainReply reply;
        reply.error = j->error();
        reply.errorString = j->errorString();
        if (auto* read = qobject_cast<QKeychain::ReadPasswordJob*>(j); read && reply.error == QKeychain::NoError)
            reply.value = read->textData();
        QMetaObject::invokeMethod(
            context, [done, reply]() { done(reply); }, Qt::QueuedConnection);
    });
    job->start();
}

} // namespace Core
