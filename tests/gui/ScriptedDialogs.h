#pragma once

#include "common/Dialogs.h"

#include <QList>
#include <QStringList>
#include <QTimer>

// Answers the widgets' questions from a script, later from the event loop as real dialogs do, and
// keeps what was asked so tests can check the wording.
class ScriptedDialogs final : public Gui::Dialogs
{
public:
    QStringList paths;   // the next chooseFile answers, front first; then `path`
    QString path;        // empty: cancel
    QList<bool> answers; // the next confirm answers, front first; then `answer`
    bool answer = false;
    QList<FileRequest> fileRequests;
    QList<Question> questions;
    QStringList notices;

    void chooseFile(QWidget*, const FileRequest& request, std::function<void(const QString&)> done) override
    {
        fileRequests << request;
        const QString chosen = paths.isEmpty() ? path : paths.takeFirst();
        QTimer::singleShot(0, [done, chosen] { done(chosen); });
    }

    void confirm(QWidget*, const Question& question, std::function<void(bool)> done) override
    {
        questions << question;
        const bool yes = answers.isEmpty() ? answer : answers.takeFirst();
        QTimer::singleShot(0, [done, yes] { done(yes); });
    }

    void tell(QWidget*, const QString& title, const QString& text) override
    {
        notices << title + QLatin1String(": ") + text;
    }
};
