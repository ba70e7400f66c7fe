#include "app/NodeMain.h"

#include "app/CommandLineSupport.h"

#include <QCommandLineParser>

namespace sb::app {

CommandLineOutcome NodeMain::run(int, char **, const QStringList &arguments)
{
    QCommandLineParser parser;
    const QString header = QStringLiteral("switchboard node: one headless replica.\n\n");
    if (auto stop = CommandLineSupport::parse(parser, arguments, header))
        return *stop;
    return CommandLineOutcome::exitWith(
        1, {}, QStringLiteral("switchboard: node: the replica is not part of this build yet\n"));
}

} // namespace sb::app
