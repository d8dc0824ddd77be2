// Linked against mlcore alone; check_no_widgets.cmake inspects what it loads.
#include "demo/SimulatorLauncher.h"

#include <QCoreApplication>

int main(int argc, char* argv[])
{
    QCoreApplication app(argc, argv);
    Core::SimulatorLauncher launcher;
    return launcher.isRunning() ? 1 : 0;
}
