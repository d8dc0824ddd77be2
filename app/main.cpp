#include "Application.h"
#include "CommandLine.h"

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
    Application application(commandLine);
    const int startCode = application.start();
    if (startCode != 0)
        return startCode;
    return QApplication::exec();
}
