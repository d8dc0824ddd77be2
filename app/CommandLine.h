#pragma once

#include <QString>
#include <QStringList>

// What the user asked for on the command line.
struct CommandLine
{
    bool demo = false;
    bool selfCheck = false;
    bool minimized = false;
    int selfCheckTimeoutS = 30;
    QString simulatorPath;
    QString profileDirectory; // empty: Core::Profile::defaultDirectory()
    QString error;            // set when the arguments cannot be used

    static CommandLine parse(const QStringList& arguments);
};
