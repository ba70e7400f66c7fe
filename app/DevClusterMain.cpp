#include "app/DevClusterMain.h"

#include "app/DevCluster.h"
#include "app/DevClusterCommandLine.h"
#include "app/ModeDispatcher.h"
#include "app/SignalNotifier.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <cstdio>

namespace sb::app {

CommandLineOutcome DevClusterMain::run(int argc, char **argv, const QStringList &arguments)
{
    DevClusterCommandLine commandLine;
    const CommandLineOutcome outcome = commandLine.parse(arguments);
    if (!outcome.run)
        return outcome;

    QCoreApplication app(argc, argv);
    ModeDispatcher::identifyApplication();
    DevCluster cluster(commandLine.options(), QCoreApplication::applicationFilePath());
    SignalNotifier terminationSignals;
    int exitCode = 0;
    QObject::connect(&cluster, &DevCluster::progress, [](const QString &step) {
        std::fprintf(stderr, "devcluster: %s\n", qPrintable(step));
    });
    QObject::connect(&cluster, &DevCluster::ready, [](const QJsonObject &endpoints) {
        std::printf("ready %s\n", QJsonDocument(endpoints).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
    });
    QObject::connect(&cluster, &DevCluster::failed, [&](const QString &part, const QString &reason) {
        std::fprintf(stderr, "devcluster: %s failed: %s\n", qPrintable(part), qPrintable(reason));
        exitCode = 1;
        cluster.stop(2000);
    });
    QObject::connect(&terminationSignals, &SignalNotifier::terminationRequested, &cluster, [&] { cluster.stop(); });
    QObject::connect(&cluster, &DevCluster::stopped, &app, [&] { QCoreApplication::exit(exitCode); });
    cluster.start();
    return CommandLineOutcome::exitWith(app.exec(), {}, {});
}

} // namespace sb::app
