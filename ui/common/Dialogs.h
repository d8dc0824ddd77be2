#pragma once

#include <QString>

#include <functional>

class QWidget;

namespace Gui {

// How the widgets ask the person something: a file to open or save, a yes/no question, a notice.
// Answers always arrive through a callback (the Qt implementation opens window-modal dialogs with
// open(), never exec()), so no nested event loop runs and tests can script every answer.
class Dialogs
{
public:
    enum class FileMode { Open, Save };

    struct FileRequest
    {
        FileMode mode = FileMode::Open;
        QString title;
        QString nameFilter;    // QFileDialog syntax, e.g. "Mapping JSON (*.json)"
        QString defaultSuffix; // added to a saved name that has none
    };

    struct Question
    {
        QString title;
        QString text;
        QString detail;
        QString acceptText; // the button that says yes, e.g. "Replay 12 records"
    };

    virtual ~Dialogs() = default;

    // `done` gets the chosen path, or an empty one when the person cancels.
    virtual void chooseFile(QWidget* parent, const FileRequest& request, std::function<void(const QString&)> done) = 0;
    // `done` gets true only when the person accepts.
    virtual void confirm(QWidget* parent, const Question& question, std::function<void(bool)> done) = 0;
    virtual void tell(QWidget* parent, const QString& title, const QString& text) = 0;
};

// The real dialogs.
class QtDialogs final : public Dialogs
{
public:
    void chooseFile(QWidget* parent, const FileRequest& request, std::function<void(const QString&)> done) override;
    void confirm(QWidget* parent, const Question& question, std::function<void(bool)> done) override;
    void tell(QWidget* parent, const QString& title, const QString& text) override;
};

} // namespace Gui
