// Replicas view at scale: N replicas announce themselves in a real redis-server (sb:node:*
// hashes refreshed every second by a writer thread, as nodes do), the console's Replicas
// area (ReplicasAreaAssembly: worker-thread discovery, model, history, view with chart)
// polls them, and a 1 ms timer on the GUI thread measures how long the event loop stalls.
//
//   replicas_bench [--replicas 50] [--seconds 20]
//
// Prints the stall percentiles over the measured polls and exits 1 if p99 >= 16 ms.
#include "LoopStallMeter.h"
#include "RegistryWriter.h"
#include "app/ReplicasAreaAssembly.h"
#include "models/ReplicaModel.h"
#include "support/RedisServerProcess.h"
#include "ui/AreaView.h"
#include "ui/ReplicasView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QThread>
#include <QTimer>

#include <cstdio>

using namespace sb;

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("replicas"), QStringLiteral("Replicas in the registry."),
        QStringLiteral("N"), QStringLiteral("50") });
    parser.addOption({ QStringLiteral("seconds"), QStringLiteral("Measured seconds (one poll each)."),
        QStringLiteral("S"), QStringLiteral("20") });
    parser.process(app);
    const int replicas = qMax(1, parser.value(QStringLiteral("replicas")).toInt());
    const int seconds = qMax(1, parser.value(QStringLiteral("seconds")).toInt());

    testing::RedisServerProcess redis; // killed by pid at the end
    if (!redis.start()) {
        std::fprintf(stderr, "replicas_bench: %s\n", qPrintable(redis.errorString()));
        return 2;
    }
    const cluster::RedisUrl url = redis.url();

    QThread writerThread;
    auto *writer = new RegistryWriter(url, replicas);
    writer->moveToThread(&writerThread);
    QObject::connect(&writerThread, &QThread::finished, writer, &QObject::deleteLater);
    writerThread.start();
    QMetaObject::invokeMethod(
        writer, [writer] { writer->start(); }, Qt::QueuedConnection);

    ui::AreaView area(QStringLiteral("replicas"),
        ui::EmptyState { QStringLiteral("Replicas"), QStringLiteral("replicas"), QString() });
    area.resize(1400, 900);
    area.show();
    models::AttachmentState attachment;
    inspect::ReplicaDiscoveryConfig config;
    config.redis = url;
    auto assembly = std::make_unique<app::ReplicasAreaAssembly>(&area, config, &attachment);
    assembly->start();

    LoopStallMeter stalls("replicas_bench");
    int polls = 0;
    QObject::connect(assembly.get(), &app::ReplicasAreaAssembly::snapshotApplied, [&] {
        // Measure from the first poll that shows every replica.
        if (!stalls.measuring() && assembly->model()->rowCount() >= replicas)
            stalls.setMeasuring(true);
        else if (stalls.measuring())
            ++polls;
        if (polls >= seconds)
            app.quit();
    });
    QTimer::singleShot((seconds + 30) * 1000, &app, [&] {
        std::fprintf(stderr, "replicas_bench: timed out (%d polls measured)\n", polls);
        app.exit(2);
    });
    const int loop = app.exec();

    const auto figures = assembly->model()->figures();
    const int rows = assembly->model()->rowCount();
    assembly.reset();
    writerThread.quit();
    writerThread.wait(5000);
    if (loop != 0)
        return loop;

    const double p50 = stalls.percentile(0.50);
    const double p99 = stalls.percentile(0.99);
    const double worst = stalls.worst();
    std::printf("replicas=%d polls=%d rows=%d up=%d connections=%lld samples=%zu "
                "stall_p50_ms=%.2f stall_p99_ms=%.2f stall_max_ms=%.2f\n",
        replicas, polls, rows, figures.replicasUp, static_cast<long long>(figures.totalConnections),
        stalls.sampleCount(), p50, p99, worst);
    return p99 < 16.0 ? 0 : 1;
}
