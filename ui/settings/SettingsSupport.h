#pragma once

#include "Result.h"
#include "net/ConnectionStatus.h"

#include <QList>
#include <QPair>
#include <QString>

#include <functional>

class QLabel;
class QPushButton;
class QVBoxLayout;
class QObject;
class QWidget;

namespace Core {
class CredentialStore;
class Profile;
} // namespace Core

namespace Gui::Settings {

using DoneCallback = std::function<void(Core::Result<Core::Ok>)>;
// Setting name (as Profile::set takes it) and value.
using SettingList = QList<QPair<QString, QString>>;

// Gives a control its object name (for tests and style sheets) and accessible name (for screen readers).
void nameControl(QWidget* widget, const QString& objectName, const QString& accessibleName);

// The note shown when secrets cannot outlive the session; hidden for a keychain.
QLabel* makeKeychainNote(QWidget* parent);
void updateKeychainNote(QLabel* note, const Core::CredentialStore* store);

// Writes each setting through Profile::set and returns the problems, one line each; stops at nothing,
// so the person sees every problem at once.
QStringList writeSettings(Core::Profile& profile, const SettingList& settings);

// Writes secrets (credential-store key, value) one after the other; `done` gets the first failure.
void writeSecrets(Core::CredentialStore* store, SettingList secrets, QObject* context, DoneCallback done);

// A page's apply: every setting through Profile::set (all problems shown in `errors` at once, and
// nothing further written), then the secrets to the store; `done` gets the outcome.
void applySettings(Core::Profile& profile,
                   const SettingList& settings,
                   Core::CredentialStore* store,
                   const SettingList& secrets,
                   QLabel* errors,
                   QObject* context,
                   DoneCallback done);

// A connection test's outcome in plain words: the summary, then the detail on the next line.
QString describeStatus(const Core::ConnectionStatus& status);

// The bottom of a settings page: problems, the Test connection button, its diagnosis and the
// keychain note, added to `layout` with object and accessible names built from `side`.
struct PageFooter
{
    QLabel* errors = nullptr;
    QPushButton* test = nullptr;
    QLabel* diagnosis = nullptr;
    QLabel* keychainNote = nullptr;
};
PageFooter addPageFooter(QWidget* page, QVBoxLayout* layout, const QString& side, const QString& sideLabel);

// Shows a message in `label` in red (problems) or in the normal text colour.
void showMessage(QLabel* label, const QString& text, bool problem);

} // namespace Gui::Settings
