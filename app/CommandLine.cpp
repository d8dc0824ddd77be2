#include "CommandLine.h"

#include <QCommandLineParser>
#include <QCoreApplication>

CommandLine CommandLine::parse(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "CommandLine", "Keeps Oracle Fusion Cloud ERP's customer master in sync with Zoho CRM."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QCoreApplication::translate("CommandLine", "Run against the bundled simulator of both APIs, with "
                                                   "demo data and a throw-away profile. Needs no credentials."));
    const QCommandLineOption selfCheck(
        QStringLiteral("self-check"),
        QCoreApplication::translate("CommandLine",
                                    "With --demo: check that both connections work, print the result and exit "
                                    "(0 when both are connected)."));
    const QCommandLineOption timeout(QStringLiteral("self-check-timeout"),
                                     QCoreApplication::translate("CommandLine", "Seconds the self-check may take."),
                                     QStringLiteral("seconds"), QStringLiteral("30"));
    const QCommandLineOption simulator(
        QStringLiteral("simulator"),
        QCoreApplication::translate("CommandLine", "Path of ml-connector-sim (default: beside this program)."),
        QStringLiteral("path"));
    const QCommandLineOption minimized(
        QStringLiteral("minimized"),
        QCoreApplication::translate(
            "CommandLine", "Start in the system tray (when the desktop has one; otherwise the window opens)."));
    const QCommandLineOption profile(
        QStringLiteral("profile"),
        QCoreApplication::translate("CommandLine",
                                    "Profile directory holding config.ini and the sync database (default: %1). "
                                    "The CLI takes the same directory.")
            .arg(QStringLiteral("~/.local/share/ml-connector/default")),
        QStringLiteral("directory"));
    parser.addOptions({demo, selfCheck, timeout, simulator, minimized, profile});
    parser.process(arguments); // exits on --help, --version and unknown options

    CommandLine cl;
    cl.demo = parser.isSet(demo);
    cl.selfCheck = parser.isSet(selfCheck);
    cl.minimized = parser.isSet(minimized);
    cl.simulatorPath = parser.value(simulator);
    cl.profileDirectory = parser.value(profile);
    bool ok = false;
    cl.selfCheckTimeoutS = parser.value(timeout).toInt(&ok);
    if (!ok || cl.selfCheckTimeoutS <= 0)
        cl.error =
            QCoreApplication::translate("CommandLine", "--self-check-timeout needs a positive number of seconds, "
                                                       "not \"%1\"")
                .arg(parser.value(timeout));
    else if (cl.demo && !cl.profileDirectory.isEmpty())
        cl.error =
            QCoreApplication::translate("CommandLine", "--demo always uses a throw-away profile; leave out --profile");
    else if (cl.selfCheck && !cl.demo)
        cl.error = QCoreApplication::translate("CommandLine", "--self-check works only together with --demo");
    return cl;
}
