// Kafka area at scale: librdkafka's mock cluster (3 brokers) with one topic of N
// partitions (default 2,000) receiving records, G consumer groups whose committed offsets
// move every second (a committer thread, as live consumers would), and the console's Kafka
// area (KafkaAreaAssembly: worker-thread inspector, models, view with the lag chart)
// watching them. Reports how long each lag refresh takes (every partition's log-end and
// committed offsets, the Burrow verdicts) and how long the GUI event loop stalls.
//
//   kafka_lag_bench [--partitions 2000] [--groups 3] [--seconds 20]
//
// Then, in the same run against the same cluster, the peer in bench/peers (kafkajs's
// admin client doing the same refresh) when Node.js and `npm ci` in bench/peers are there.
//
// Exits 1 if a refresh's p99 is >= 500 ms or the stall p99 is >= 16 ms.
#include "KafkaLagTraffic.h"
#include "LoopStallMeter.h"
#include "app/KafkaAreaAssembly.h"
#include "cluster/KafkaMockCluster.h"
#include "models/KafkaFigures.h"
#include "models/KafkaGroupModel.h"
#include "ui/AreaView.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QProcess>
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
    parser.addOption({ QStringLiteral("partitions"), QStringLiteral("Partitions of the topic."),
        QStringLiteral("N"), QStringLiteral("2000") });
    parser.addOption({ QStringLiteral("groups"), QStringLiteral("Consumer groups watched."),
        QStringLiteral("G"), QStringLiteral("3") });
    parser.addOption({ QStringLiteral("seconds"), QStringLiteral("Measured seconds."), QStringLiteral("S"),
        QStringLiteral("20") });
    parser.process(app);
    const int partitions = qBound(1, parser.value(QStringLiteral("partitions")).toInt(), 100000);
    const int groups = qBound(1, parser.value(QStringLiteral("groups")).toInt(), 100);
    const int seconds = qMax(1, parser.value(QStringLiteral("seconds")).toInt());

    cluster::KafkaMockCluster cluster;
    QString error;
    if (!cluster.start(3, &error) || !cluster.createTopic("bench.orders", partitions, &error)) {
        std::fprintf(stderr, "kafka_lag_bench: mock cluster: %s\n", qPrintable(error));
        return 2;
    }

    QThread trafficThread;
    auto *traffic = new KafkaLagTraffic(cluster.bootstrapServers(), "bench.orders", partitions, groups);
    traffic->moveToThread(&trafficThread);
    QObject::connect(&trafficThread, &QThread::finished, traffic, &QObject::deleteLater);
    trafficThread.start();
    QMetaObject::invokeMethod(
        traffic, [traffic] { traffic->start(); }, Qt::QueuedConnection);

    ui::AreaView area(QStringLiteral("kafka"),
        ui::EmptyState { QStringLiteral("Kafka"), QStringLiteral("kafka"), QString() });
    area.resize(1400, 900);
    area.show();
    models::AttachmentState attachment;
    inspect::KafkaInspectorConfig config;
    config.settings.setBootstrapServers(cluster.bootstrapServers());
    for (int g = 0; g < groups; ++g)
        config.groups.append(KafkaLagTraffic::groupName(g));
    config.pollIntervalMs = 1000;
    auto assembly = std::make_unique<app::KafkaAreaAssembly>(&area, config, &attachment);

    LoopStallMeter stalls("kafka_lag_bench");
    std::vector<double> refreshMs;
    int polls = 0;
    int rowsShown = 0;
    QObject::connect(assembly.get(), &app::KafkaAreaAssembly::snapshotApplied, [&] {
        const auto *model = assembly->groups();
        int partitionsSeen = 0;
        for (int row = 0; row < model->rowCount(); ++row)
            partitionsSeen += int(model->group(row).partitions.size());
        // Measure from the first poll that shows every group's every partition.
        if (!stalls.measuring() && partitionsSeen >= partitions * groups) {
            stalls.setMeasuring(true);
            return;
        }
        if (!stalls.measuring())
            return;
        rowsShown = partitionsSeen;
        refreshMs.push_back(double(assembly->figures().pollMs));
        ++polls;
        if (polls >= seconds)
            app.quit();
    });
    assembly->start();
    QTimer::singleShot((seconds + 60) * 1000, &app, [&] {
        std::fprintf(stderr, "kafka_lag_bench: timed out (%d polls measured)\n", polls);
        app.exit(2);
    });
    const int loop = app.exec();
    assembly.reset();
    // The peer, while the traffic still runs (it blocks this thread; nothing is measured here any more).
    const QString peerDir = QStringLiteral(SB_SOURCE_DIR "/bench/peers");
    QString peerLine = QStringLiteral("peer=kafkajs skipped (run `npm ci` in bench/peers)");
    if (loop == 0 && QFileInfo::exists(peerDir + QStringLiteral("/node_modules/kafkajs"))) {
        QProcess peer;
        peer.setWorkingDirectory(peerDir);
        peer.start(QStringLiteral("node"),
            { QStringLiteral("kafkajs_lag.js"), QString::fromUtf8(cluster.bootstrapServers()),
                QStringLiteral("bench.orders"), config.groups.join(QLatin1Char(',')),
                QString::number(qMin(seconds, 20)) });
        peer.waitForFinished((seconds + 60) * 1000);
        peerLine = QString::fromUtf8(peer.readAllStandardOutput() + peer.readAllStandardError()).trimmed();
    }
    trafficThread.quit();
    trafficThread.wait(10000);
    if (loop != 0)
        return loop;

    const double refreshP50 = percentileOf(refreshMs, 0.50);
    const double refreshP99 = percentileOf(refreshMs, 0.99);
    std::printf("partitions=%d groups=%d polls=%d partition_rows=%d refresh_p50_ms=%.0f refresh_p99_ms=%.0f "
                "stall_p50_ms=%.2f stall_p99_ms=%.2f stall_max_ms=%.2f samples=%zu\n",
        partitions, groups, polls, rowsShown, refreshP50, refreshP99, stalls.percentile(0.50),
        stalls.percentile(0.99), stalls.worst(), stalls.sampleCount());
    std::printf("%s\n", qPrintable(peerLine));
    return refreshP99 < 500.0 && stalls.percentile(0.99) < 16.0 ? 0 : 1;
}
