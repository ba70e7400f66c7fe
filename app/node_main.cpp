// switchboard-node: the replica and the development cluster, without the console. It links
// QtCore, QtNetwork, QtWebSockets, hiredis and librdkafka only (no Widgets, Gui or Charts:
// tests/installer checks with ldd), so a server runs it without X or GL libraries.
#include "app/CommandLineOutcome.h"
#include "app/DevClusterMain.h"
#include "app/NodeMain.h"

#include <QStringList>

using namespace sb::app;

namespace {
const char kUsage[]
    = "Usage: switchboard-node node [options]        a replica (see `switchboard-node node --help`)\n"
      "       switchboard-node devcluster [options]  Redis + Kafka (mock) + N replicas on loopback\n"
      "       switchboard-node --version\n"
      "The console is `switchboard`; it runs the same modes as `switchboard node|devcluster`.\n";
} // namespace

int main(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    const QString mode = arguments.value(1);
    if (mode == u"node" || mode == u"devcluster") {
        // The mode's own parser sees "switchboard-node node ..." as program "switchboard-node node".
        QStringList rest = arguments.mid(2);
        rest.prepend(arguments.at(0) + u' ' + mode);
        return (mode == u"node" ? NodeMain::run(argc, argv, rest) : DevClusterMain::run(argc, argv, rest))
            .finish();
    }
    if (mode == u"--version" || mode == u"-v")
        return CommandLineOutcome::exitWith(0, QStringLiteral("switchboard-node " SB_VERSION "\n"), {})
            .finish();
    if (mode == u"--help" || mode == u"-h")
        return CommandLineOutcome::exitWith(0, QString::fromLatin1(kUsage), {}).finish();
    const QString why = mode.isEmpty()
        ? QStringLiteral("switchboard-node: no mode given\n")
        : QStringLiteral("switchboard-node: unknown mode '") + mode + QStringLiteral("'\n");
    return CommandLineOutcome::exitWith(2, {}, why + QString::fromLatin1(kUsage)).finish();
}
