#include "Cli.h"

#include <QCoreApplication>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("ml-connector"));
    QCoreApplication::setApplicationName(QStringLiteral("ml-connector-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ML_CONNECTOR_VERSION));
    Cli cli;
    const int code = cli.start(QCoreApplication::arguments());
    if (code >= 0)
        return code;
    return QCoreApplication::exec();
}
