#include "Dialogs.h"

#include <QFileDialog>
#include <QMessageBox>
#include <QPushButton>

namespace Gui {

void QtDialogs::chooseFile(QWidget* parent, const FileRequest& request, std::function<void(const QString&)> done)
{
    auto* dialog = new QFileDialog(parent, request.title, QString(), request.nameFilter);
    dialog->setObjectName(QStringLiteral("fileDialog"));
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    const bool save = request.mode == FileMode::Save;
    dialog->setAcceptMode(save ? QFileDialog::AcceptSave : QFileDialog::AcceptOpen);
    dialog->setFileMode(save ? QFileDialog::AnyFile : QFileDialog::ExistingFile);
    if (!request.defaultSuffix.isEmpty())
        dialog->setDefaultSuffix(request.defaultSuffix);
    // Exactly one answer: the chosen file, or an empty path when the dialog closes without one.
    auto answered = std::make_shared<bool>(false);
    QObject::connect(dialog, &QFileDialog::fileSelected, dialog, [done, answered](const QString& path) {
        *answered = true;
        done(path);
    });
    QObject::connect(dialog, &QDialog::rejected, dialog, [done, answered] {
        if (!*answered) {
            *answered = true;
            done(QString());
        }
    });
    dialog->open();
}

void QtDialogs::confirm(QWidget* parent, const Question& question, std::function<void(bool)> done)
{
    auto* box = new QMessageBox(QMessageBox::Question, question.title, question.text, QMessageBox::Cancel, parent);
    box->setObjectName(QStringLiteral("confirmDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setInformativeText(question.detail);
    QPushButton* accept = box->addButton(question.acceptText.isEmpty() ? QMessageBox::tr("OK") : question.acceptText,
                                         QMessageBox::AcceptRole);
    box->setDefaultButton(QMessageBox::Cancel);
    QObject::connect(box, &QMessageBox::finished, box,
                     [box, accept, done](int) { done(box->clickedButton() == accept); });
    box->open();
}

void QtDialogs::tell(QWidget* parent, const QString& title, const QString& text)
{
    auto* box = new QMessageBox(QMessageBox::Information, title, text, QMessageBox::Ok, parent);
    box->setObjectName(QStringLiteral("noticeDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

} // namespace Gui
