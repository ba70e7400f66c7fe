#include "app/ModeDispatcher.h"

#include "app/DevClusterMain.h"
#include "app/FaultMain.h"
#include "app/NodeMain.h"
#include "app/ProbeMain.h"
#include "app/TapMain.h"
#include "app/TraceMain.h"

#include <QCoreApplication>

namespace sb::app {

std::optional<CommandLineOutcome> ModeDispatcher::runHeadlessMode(
    int argc, char **argv, const QStringList &arguments)
{
    if (arguments.size() < 2)
        return std::nullopt;
    const QString mode = arguments.at(1);
    // The mode's own parser sees "switchboard node ..." as program "switchboard node".
    QStringList rest = arguments.mid(2);
    rest.prepend(arguments.at(0) + u' ' + mode);
    if (mode == u"node")
        return NodeMain::run(argc, argv, rest);
    if (mode == u"devcluster")
        return DevClusterMain::run(argc, argv, rest);
    if (mode == u"fault")
        return FaultMain::run(argc, argv, rest);
    if (mode == u"probe")
        return ProbeMain::run(argc, argv, rest);
    if (mode == u"tap")
        return TapMain::run(argc, argv, rest);
    if (mode == u"trace")
        return TraceMain::run(argc, argv, rest);
    return std::nullopt;
}

} // namespace sb::app
