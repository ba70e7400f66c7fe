#include "app/DevClusterMain.h"

#include "app/DemoTraffic.h"
#include "app/DevCluster.h"
#include "app/DevClusterCommandLine.h"
#include "app/FaultActions.h"
#include "app/FaultControlServer.h"
#include "app/FaultEventLog.h"
#include "app/ModeDispatcher.h"
#include "app/SignalNotifier.h"

#include <QCoreApplication>
#include <QJsonDocument>

#include <cstdio>
#include <memory>

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
    // Fault injection on this cluster, from `switchboard fault` (or any HTTP client) on loopback.
    FaultEventLog faultLog;
    FaultActions faults(&cluster, &faultLog);
    FaultControlServer control(&faults, &faultLog, commandLine.options().controlLimits);
    QString controlError;
    if (!control.listen(&controlError))
        return CommandLineOutcome::exitWith(1, {}, QStringLiteral("devcluster: ") + controlError + u'\n');
    QObject::connect(&faultLog, &FaultEventLog::finished, [&faultLog](int id) {
        if (const FaultEventLog::Event *event = faultLog.eventWithId(id))
            std::fprintf(stderr, "devcluster: fault %d (%s): %s\n", id, qPrintable(event->action),
                qPrintable(event->effect.join(QStringLiteral("; "))));
    });
    QObject::connect(&cluster, &DevCluster::progress,
        [](const QString &step) { std::fprintf(stderr, "devcluster: %s\n", qPrintable(step)); });
    QObject::connect(&cluster, &DevCluster::notice,
        [](const QString &line) { std::fprintf(stderr, "devcluster: %s\n", qPrintable(line)); });
    if (commandLine.options().childLogs) {
        QObject::connect(&cluster, &DevCluster::childOutput, [](const QString &child, const QString &line) {
            std::fprintf(stderr, "%s | %s\n", qPrintable(child), qPrintable(line));
        });
    }
    std::unique_ptr<DemoTraffic> traffic;
    const double rate = commandLine.options().demoTrafficPerSecond;
    QObject::connect(&cluster, &DevCluster::ready, [&traffic, rate, &control](const QJsonObject &endpoints) {
        QJsonObject announced = endpoints;
        announced.insert(QStringLiteral("control"), control.url());
        std::printf("ready %s\n", QJsonDocument(announced).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
        if (rate > 0) {
            traffic = std::make_unique<DemoTraffic>(rate);
            traffic->start(DemoTraffic::replicaUrls(endpoints));
        }
    });
    QObject::connect(&cluster, &DevCluster::failed, [&](const QString &part, const QString &reason) {
        std::fprintf(stderr, "devcluster: %s failed: %s\n", qPrintable(part), qPrintable(reason));
        exitCode = 1;
        cluster.stop(2000);
    });
    QObject::connect(&terminationSignals, &SignalNotifier::terminationRequested, &cluster, [&] {
        traffic.reset(); // the clients go first, so the replicas drain at once
        cluster.stop();
    });
    QObject::connect(&cluster, &DevCluster::stopped, &app, [&] { QCoreApplication::exit(exitCode); });
    cluster.start();
    return CommandLineOutcome::exitWith(app.exec(), {}, {});
}

} // namespace sb::app
