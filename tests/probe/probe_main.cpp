// `switchboard probe` as a program of its own, for tst_probemode until ModeDispatcher
// dispatches the mode: exactly what ModeDispatcher::runHeadlessMode does with
// "switchboard probe …" (the mode's parser sees the program as "switchboard probe"), and
// what main() does with the outcome.
#include "app/ProbeMain.h"

#include <QStringList>

#include <cstdio>

int main(int argc, char **argv)
{
    QStringList arguments{QStringLiteral("switchboard probe")};
    for (int i = 1; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const sb::app::CommandLineOutcome outcome = sb::app::ProbeMain::run(argc, argv, arguments);
    if (!outcome.standardOutput.isEmpty())
        std::fputs(outcome.standardOutput.toLocal8Bit().constData(), stdout);
    if (!outcome.standardError.isEmpty())
        std::fputs(outcome.standardError.toLocal8Bit().constData(), stderr);
    return outcome.exitCode;
}
