#include "SettingsSupport.h"

#include "config/Profile.h"
#include "secrets/CredentialStore.h"

#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QVBoxLayout>
#include <QWidget>

namespace Gui::Settings {

void nameControl(QWidget* widget, const QString& objectName, const QString& accessibleName)
{
    widget->setObjectName(objectName);
    widget->setAccessibleName(accessibleName);
}

QLabel* makeKeychainNote(QWidget* parent)
{
    auto* note =
        new QLabel(QObject::tr("No keychain is available: secrets are kept in memory for this session only."), parent);
    nameControl(note, QStringLiteral("keychainNote"), QObject::tr("Keychain note"));
    note->setWordWrap(true);
    note->setVisible(false);
    return note;
}

void updateKeychainNote(QLabel* note, const Core::CredentialStore* store)
{
    note->setVisible(store && store->name() != QLatin1String("keychain"));
}

QStringList writeSettings(Core::Profile& profile, const SettingList& settings)
{
    QStringList problems;
    for (const auto& setting : settings) {
        const auto written = profile.set(setting.first, setting.second);
        if (!written)
            problems << written.error().message;
    }
    return problems;
}

void writeSecrets(Core::CredentialStore* store, SettingList secrets, QObject* context, DoneCallback done)
{
    if (secrets.isEmpty()) {
        if (done)
            done(Core::Ok{});
        return;
    }
    if (!store) {
        if (done)
            done(
                Core::Error{Core::Error::Kind::Unavailable, QObject::tr("No credential store to keep the secrets in")});
        return;
    }
    const auto next = secrets.takeFirst();
    QPointer<Core::CredentialStore> guard(store);
    store->write(
        next.first, next.second, context,
        [guard, secrets, context, done, key = next.first](Core::Result<Core::Ok> result) {
            if (!result) {
                Core::Error error = result.error();
                error.message = QObject::tr("Could not store %1: %2").arg(key, error.message);
                if (done)
                    done(error);
                return;
            }
            if (!guard) {
                if (done)
                    done(Core::Error{Core::Error::Kind::Unavailable, QObject::tr("The credential store went away")});
                return;
            }
            writeSecrets(guard, secrets, context, done);
        });
}

QString describeStatus(const Core::ConnectionStatus& status)
{
    if (status.detail.isEmpty())
        return status.summary;
    return status.summary + QLatin1Char('\n') + status.detail;
}

void showMessage(QLabel* label, const QString& text, bool problem)
{
    label->setText(text);
    label->setStyleSheet(problem ? QStringLiteral("color: #c0392b;") : QString());
    label->setProperty("problem", problem);
}

void applySettings(Core::Profile& profile,
                   const SettingList& settings,
                   Core::CredentialStore* store,
                   const SettingList& secrets,
                   QLabel* errors,
                   QObject* context,
                   DoneCallback done)
{
    const QStringList problems = writeSettings(profile, settings);
    if (!problems.isEmpty()) {
        showMessage(errors, problems.join(QLatin1Char('\n')), true);
        if (done)
            done(Core::Error{Core::Error::Kind::Config, problems.join(QLatin1Char('\n'))});
        return;
    }
    showMessage(errors, {}, false);
    QPointer<QLabel> label(errors);
    writeSecrets(store, secrets, context, [label, done](Core::Result<Core::Ok> result) {
        if (label && !result)
            showMessage(label, result.error().message, true);
        if (done)
            done(result);
    });
}

PageFooter addPageFooter(QWidget* page, QVBoxLayout* layout, const QString& side, const QString& sideLabel)
{
    PageFooter footer;
    footer.errors = new QLabel(page);
    nameControl(footer.errors, side + QStringLiteral("Errors"), QObject::tr("%1 settings problems").arg(sideLabel));
    footer.errors->setWordWrap(true);
    footer.errors->setTextFormat(Qt::PlainText);
    layout->addWidget(footer.errors);

    footer.test = new QPushButton(QObject::tr("&Test connection"), page);
    const QString titled = side.left(1).toUpper() + side.mid(1);
    nameControl(footer.test, QStringLiteral("test") + titled + QStringLiteral("Button"),
                QObject::tr("Test the %1 connection").arg(sideLabel));
    layout->addWidget(footer.test, 0, Qt::AlignLeft);

    footer.diagnosis = new QLabel(page);
    nameControl(footer.diagnosis, side + QStringLiteral("Diagnosis"),
                QObject::tr("%1 connection diagnosis").arg(sideLabel));
    footer.diagnosis->setWordWrap(true);
    footer.diagnosis->setTextFormat(Qt::PlainText);
    footer.diagnosis->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(footer.diagnosis);

    footer.keychainNote = makeKeychainNote(page);
    layout->addWidget(footer.keychainNote);
    layout->addStretch(1);
    return footer;
}

} // namespace Gui::Settings
