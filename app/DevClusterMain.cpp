#include "app/DevClusterMain.h"

#include "app/DevClusterCommandLine.h"

namespace sb::app {

CommandLineOutcome DevClusterMain::run(int, char **, const QStringList &arguments)
{
    DevClusterCommandLine commandLine;
    const CommandLineOutcome outcome = commandLine.parse(arguments);
    if (!outcome.run)
        return outcome;
    return CommandLineOutcome::exitWith(
        1, {}, QStringLiteral("switchboard: devcluster: not part of this build yet\n"));
}

} // namespace sb::app
