#include "Application.h"
#include "CommandLine.h"
#include "SignalWatcher.h"
#include "SingleInstance.h"

#include <QApplication>
#include <QIcon>
#include <QTextStream>

int main(int argc, char* argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("ml-connector"));
    QApplication::setApplicationName(QStringLiteral("ml-connector"));
    QApplication::setApplicationVersion(QStringLiteral(ML_CONNECTOR_VERSION));
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/ml-connector.svg")));

    const CommandLine commandLine = CommandLine::parse(QApplication::arguments());
    if (!commandLine.error.isEmpty()) {
        QTextStream(stderr) << "ml-connector: " << commandLine.error << '\n';
        return 2;
    }
    // One instance per user (and one demo beside it): a second launch raises the first and leaves.
    SingleInstance instance(QApplication::applicationName(), commandLine.demo ? QStringLiteral("demo") : QString());
    if (!commandLine.selfCheck && !instance.tryBecomePrimary()) {
        instance.notifyPrimary();
        return 0;
    }
    Application application(commandLine);
    SignalWatcher termination;
    QObject::connect(&termination, &SignalWatcher::terminationRequested, &app, &QApplication::quit);
    QObject::connect(&instance, &SingleInstance::raiseRequested, &application, &Application::raiseWindow);
    const int startCode = application.start();
    if (startCode != 0)
        return startCode;
    return QApplication::exec();
}
