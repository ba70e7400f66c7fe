// The whole console at scale, all loads at once: one console (ConsoleController with a
// saved profile and the main window, as `switchboard --profile NAME` runs it) attached to
//  - a redis-server holding --keys keys (RedisSeed's mix: a tenth are sb:session:* hashes
//    the Sessions lens reads) where --replicas replicas announce themselves every second
//    (RegistryWriter, as nodes do);
//  - librdkafka's mock cluster with one topic of --partitions partitions and --groups
//    consumer groups whose offsets move every second (KafkaLagTraffic).
// Once the Replicas area lists every replica, the Kafka area every group's every partition
// and the Redis area its first page, it presses "Scan all" in the Redis area, as a user
// would, and measures until every key is listed and at least --seconds have passed: the
// GUI event loop's stalls (LoopStallMeter), each Kafka lag refresh, the replica polls
// applied, the full scan's time. The per-area benches (replicas_bench, kafka_lag_bench,
// redis_scan_bench) measure each load alone.
//
// With --tap-rate, every replica announces a SyntheticTapServer's address, the profile names
// an admin user, and the Traffic area taps them all (at that many frames a second in all).
// With --recording-samples, the session recording is taken at --recording-interval-ms
// instead of the console's 5 s (ScaleRecording) from the start of the measure, saved plain
// and compressed to --recording-file.sbrec.json[.gz] at the end, and its sizes printed.
//
//   console_scale_bench [--replicas 50] [--partitions 2000] [--groups 3] [--keys 1000000] [--seconds 30]
//       [--tap-rate 0] [--recording-samples 0] [--recording-interval-ms 5000]
//       [--recording-file console_scale_recording]
//
// Exits 1 if the stall p99 is >= 16 ms or the lag refresh p99 is >= 500 ms.
#include "KafkaLagTraffic.h"
#include "LoadAverage.h"
#include "LoopStallMeter.h"
#include "RedisSeed.h"
#include "RegistryWriter.h"
#include "ResidentMemory.h"
#include "ScaleRecording.h"
#include "SyntheticTapServer.h"
#include "app/ConsoleController.h"
#include "app/ConsoleOptions.h"
#include "app/KafkaAreaAssembly.h"
#include "app/RedisAreaAssembly.h"
#include "app/ReplicasAreaAssembly.h"
#include "cluster/KafkaMockCluster.h"
#include "inspect/RedisKeyScanner.h"
#include "inspect/RedisScanProgress.h"
#include "models/KafkaFigures.h"
#include "models/KafkaGroupModel.h"
#include "models/ProfileStore.h"
#include "models/RedisKeyModel.h"
#include "models/ReplicaModel.h"
#include "protocol/Gzip.h"
#include "support/RedisSeeder.h"
#include "support/RedisServerProcess.h"
#include "ui/MainWindow.h"
#include "ui/SnapshotSource.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QPushButton>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace sb;

namespace {

// A load generator on a thread of its own; stopped (and its object deleted there) on exit.
template<typename Load> class LoadThread
{
public:
    explicit LoadThread(Load *load)
    {
        load->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, load, &QObject::deleteLater);
        m_thread.start();
        QMetaObject::invokeMethod(
            load, [load] { load->start(); }, Qt::QueuedConnection);
    }
    ~LoadThread()
    {
        m_thread.quit();
        m_thread.wait(10000);
    }

private:
    QThread m_thread;
};

// Every replica's /admin/tap (a SyntheticTapServer each), all on one thread of their own.
class TapServers
{
public:
    TapServers(int replicas, double framesPerSecond)
    {
        m_thread.setObjectName(QStringLiteral("taps"));
        for (int i = 0; i < replicas; ++i) {
            auto *server = new SyntheticTapServer(
                QStringLiteral("bench-%1").arg(i, 3, 10, QLatin1Char('0')), i, framesPerSecond / replicas);
            server->moveToThread(&m_thread);
            QObject::connect(&m_thread, &QThread::finished, server, &QObject::deleteLater);
            m_servers.push_back(server);
        }
        m_thread.start();
    }
    ~TapServers()
    {
        m_thread.quit();
        m_thread.wait(10000);
    }
    // Each server's host:port, listening and sending once a reader attaches; empty if one cannot listen.
    QList<QByteArray> listen()
    {
        QList<QByteArray> addresses;
        for (SyntheticTapServer *server : m_servers) {
            quint16 port = 0;
            QMetaObject::invokeMethod(
                server,
                [server, &port] {
                    port = server->listen();
                    server->startSending();
                },
                Qt::BlockingQueuedConnection);
            if (port == 0)
                return {};
            addresses.append("127.0.0.1:" + QByteArray::number(port));
        }
        m_sending.start();
        return addresses;
    }
    bool allAttached() const
    {
        return std::all_of(m_servers.begin(), m_servers.end(),
            [](const SyntheticTapServer *server) { return server->readerAttached(); });
    }
    qint64 generated() const
    {
        qint64 total = 0;
        for (const SyntheticTapServer *server : m_servers)
            total += server->generated();
        return total;
    }
    // Frames a second since the servers began (each paces itself from then on, and catches
    // up at 100 ms' worth a tick once its reader is attached).
    double rate() const
    {
        return m_sending.isValid()
            ? double(generated()) * 1000.0 / double(qMax<qint64>(1, m_sending.elapsed()))
            : 0;
    }

private:
    QThread m_thread;
    std::vector<SyntheticTapServer *> m_servers;
    QElapsedTimer m_sending;
};

int partitionRowsShown(const models::KafkaGroupModel *groups)
{
    int rows = 0;
    for (int row = 0; row < groups->rowCount(); ++row)
        rows += int(groups->group(row).partitions.size());
    return rows;
}

// Saves the recording plain and compressed, and prints what it holds and costs.
bool printRecording(const ScaleRecording &recording, const QString &file, const TapServers *taps)
{
    ScaleRecording::Saved saved;
    QString error;
    if (!recording.save(file, &saved, &error)) {
        std::fprintf(stderr, "console_scale_bench: saving the recording: %s\n", qPrintable(error));
        return false;
    }
    const int samples = recording.sampleCount();
    std::printf("recording: samples=%d span_s=%.1f sample_ms_avg=%.1f sample_ms_max=%.1f "
                "tap_frames_generated=%lld (%.0f/s) frames_kept=%lld frames_omitted=%lld\n",
        samples, recording.spanSeconds(), recording.sampleMsAverage(), recording.sampleMsMax(),
        taps ? taps->generated() : 0LL, taps ? taps->rate() : 0.0, saved.framesKept, saved.framesOmitted);
    std::printf("recording: plain_bytes=%lld gz_bytes=%lld (%.1fx) samples_plain_bytes=%lld "
                "samples_gz_bytes=%lld plain_bytes_per_sample=%.0f gz_bytes_per_sample=%.0f\n",
        saved.plainBytes, saved.gzipBytes,
        saved.gzipBytes ? double(saved.plainBytes) / double(saved.gzipBytes) : 0.0, saved.samplesPlainBytes,
        saved.samplesGzipBytes, double(saved.samplesPlainBytes) / qMax(1, samples),
        double(saved.samplesGzipBytes) / qMax(1, samples));
    std::printf(
        "recording: traffic_section_ms=%lld plain_save_ms=%lld gz_save_ms=%lld files=%s.sbrec.json[.gz]\n",
        saved.sectionMs, saved.plainSaveMs, saved.gzipSaveMs, qPrintable(file));
    return true;
}

} // namespace

int main(int argc, char **argv)
{
    // The console keeps its settings, profiles and window state here, never in the user's.
    QTemporaryDir home;
    qputenv("XDG_CONFIG_HOME", (home.path() + QStringLiteral("/config")).toUtf8());
    qputenv("XDG_DATA_HOME", (home.path() + QStringLiteral("/data")).toUtf8());
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCoreApplication::setOrganizationName(QStringLiteral("switchboard"));
    QCoreApplication::setApplicationName(QStringLiteral("switchboard"));
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({ QStringLiteral("replicas"), QStringLiteral("Replicas in the registry."),
        QStringLiteral("N"), QStringLiteral("50") });
    parser.addOption({ QStringLiteral("partitions"), QStringLiteral("Partitions of the watched topic."),
        QStringLiteral("N"), QStringLiteral("2000") });
    parser.addOption({ QStringLiteral("groups"), QStringLiteral("Consumer groups watched."),
        QStringLiteral("G"), QStringLiteral("3") });
    parser.addOption({ QStringLiteral("keys"), QStringLiteral("Keys in Redis."), QStringLiteral("N"),
        QStringLiteral("1000000") });
    parser.addOption({ QStringLiteral("seconds"), QStringLiteral("Least measured seconds."),
        QStringLiteral("S"), QStringLiteral("30") });
    parser.addOption({ QStringLiteral("tap-rate"),
        QStringLiteral("Frames per second from all replicas' taps together (0: no Traffic area)."),
        QStringLiteral("N"), QStringLiteral("0") });
    parser.addOption({ QStringLiteral("recording-samples"),
        QStringLiteral("Recording samples to take and save (0: none)."), QStringLiteral("N"),
        QStringLiteral("0") });
    parser.addOption({ QStringLiteral("recording-interval-ms"),
        QStringLiteral("Between recording samples (the console's own: 5000)."), QStringLiteral("MS"),
        QStringLiteral("5000") });
    parser.addOption({ QStringLiteral("recording-file"),
        QStringLiteral("Where the recording goes (.sbrec.json and .sbrec.json.gz appended)."),
        QStringLiteral("PATH"), QStringLiteral("console_scale_recording") });
    parser.process(app);
    const int replicas = qBound(1, parser.value(QStringLiteral("replicas")).toInt(), 1000);
    const int partitions = qBound(1, parser.value(QStringLiteral("partitions")).toInt(), 100000);
    const int groups = qBound(1, parser.value(QStringLiteral("groups")).toInt(), 100);
    const int keys = qBound(0, parser.value(QStringLiteral("keys")).toInt(), 50000000);
    const int seconds = qMax(1, parser.value(QStringLiteral("seconds")).toInt());
    const double tapRate = qBound(0.0, parser.value(QStringLiteral("tap-rate")).toDouble(), 1e6);
    const int recordingSamples = qBound(0, parser.value(QStringLiteral("recording-samples")).toInt(), 100000);
    const int recordingIntervalMs
        = qBound(10, parser.value(QStringLiteral("recording-interval-ms")).toInt(), 3600000);
    const QString recordingFile = parser.value(QStringLiteral("recording-file"));
    const QByteArray loadAtStart = loadAverage();

    // The loads, started before the console and never on this thread.
    QString error;
    testing::RedisServerProcess redis; // killed by pid at the end
    QElapsedTimer clock;
    clock.start();
    testing::RedisSeeder seeder;
    addChatClusterKeys(seeder, keys);
    if (!redis.start()) {
        std::fprintf(stderr, "console_scale_bench: %s\n", qPrintable(redis.errorString()));
        return 2;
    }
    if (!seeder.run(redis.port(), &error, 300000)) {
        std::fprintf(stderr, "console_scale_bench: seeding Redis: %s\n", qPrintable(error));
        return 2;
    }
    std::printf("seeded %d keys in %lld ms\n", keys, clock.elapsed());
    cluster::KafkaMockCluster kafka;
    if (!kafka.start(3, &error) || !kafka.createTopic("bench.orders", partitions, &error)) {
        std::fprintf(stderr, "console_scale_bench: mock Kafka: %s\n", qPrintable(error));
        return 2;
    }
    std::unique_ptr<TapServers> taps;
    auto *registryWriter = new RegistryWriter(redis.url(), replicas);
    if (tapRate > 0) {
        taps = std::make_unique<TapServers>(replicas, tapRate);
        const QList<QByteArray> addresses = taps->listen();
        if (addresses.isEmpty()) {
            std::fprintf(stderr, "console_scale_bench: a tap server cannot listen\n");
            return 2;
        }
        registryWriter->setAddresses(addresses);
    }
    LoadThread<RegistryWriter> registry(registryWriter);
    LoadThread<KafkaLagTraffic> traffic(
        new KafkaLagTraffic(kafka.bootstrapServers(), "bench.orders", partitions, groups));

    // The console, attached through a saved profile as a user would attach it.
    models::Profile profile;
    profile.name = QStringLiteral("scale");
    profile.redisUrl = QStringLiteral("redis://127.0.0.1:%1/0").arg(redis.port());
    profile.kafkaBootstrap = QString::fromUtf8(kafka.bootstrapServers());
    for (int g = 0; g < groups; ++g)
        profile.kafkaGroups.append(KafkaLagTraffic::groupName(g));
    profile.useRegistry = true;
    if (taps) { // the Traffic area logs in to each replica as admin (answered by its tap server)
        profile.adminUser = QStringLiteral("bench");
        profile.adminPassword = QStringLiteral("bench");
        profile.rememberPassword = true;
    }
    models::ProfileStore profiles;
    if (!profiles.save(profile, &error)) {
        std::fprintf(stderr, "console_scale_bench: profile: %s\n", qPrintable(error));
        return 2;
    }
    app::ConsoleOptions options;
    options.profile = profile.name;
    auto console = std::make_unique<app::ConsoleController>(options);
    clock.restart();
    if (!console->start(&error)) {
        std::fprintf(stderr, "console_scale_bench: console: %s\n", qPrintable(error));
        return 2;
    }
    app::RedisAreaAssembly *redisArea = console->redisArea();
    app::ReplicasAreaAssembly *replicasArea = console->replicasArea();
    app::KafkaAreaAssembly *kafkaArea = console->kafkaArea();
    auto *scanAll = console->window()->findChild<QPushButton *>(QStringLiteral("scanAllButton"));
    if (!redisArea || !replicasArea || !kafkaArea || !scanAll) {
        std::fprintf(stderr, "console_scale_bench: the console did not attach all three areas\n");
        return 2;
    }

    LoopStallMeter stalls("console_scale_bench");
    qint64 firstThousandKeysMs = -1;
    QObject::connect(redisArea->keyModel(), &QAbstractItemModel::rowsInserted, &app, [&] {
        if (firstThousandKeysMs < 0 && redisArea->keyModel()->rowCount() >= 1000)
            firstThousandKeysMs = clock.elapsed();
    });

    // Measured phase: from "Scan all" until every key is listed and `seconds` have passed.
    QElapsedTimer measured;
    qint64 fullScanMs = -1;
    int replicaPolls = 0;
    std::vector<double> refreshMs;
    std::unique_ptr<ScaleRecording> recording;
    if (recordingSamples > 0)
        recording = std::make_unique<ScaleRecording>(console.get(), recordingSamples, recordingIntervalMs);
    auto finishIfDone = [&] {
        if (fullScanMs >= 0 && measured.elapsed() >= seconds * 1000LL && (!recording || recording->done()))
            app.quit();
    };
    QObject::connect(replicasArea, &app::ReplicasAreaAssembly::snapshotApplied, &app, [&] {
        if (stalls.measuring())
            ++replicaPolls;
    });
    QObject::connect(kafkaArea, &app::KafkaAreaAssembly::snapshotApplied, &app, [&] {
        if (stalls.measuring())
            refreshMs.push_back(double(kafkaArea->figures().pollMs));
        finishIfDone();
    });
    QObject::connect(redisArea->scanner(), &inspect::RedisKeyScanner::progressChanged, &app,
        [&](const inspect::RedisScanProgress &progress) {
            if (stalls.measuring() && fullScanMs < 0
                && progress.phase == inspect::RedisScanProgress::Phase::Finished)
                fullScanMs = measured.elapsed();
            finishIfDone();
        });
    QTimer ready; // until every area shows its whole load
    QObject::connect(&ready, &QTimer::timeout, &app, [&] {
        if (replicasArea->model()->rowCount() < replicas
            || partitionRowsShown(kafkaArea->groups()) < partitions * groups || !scanAll->isEnabled()
            || (taps && !taps->allAttached()))
            return;
        ready.stop();
        std::printf("every area shows its load %lld ms after the console started; pressing Scan all\n",
            clock.elapsed());
        stalls.setMeasuring(true);
        measured.start();
        scanAll->click();
        if (recording)
            recording->start(finishIfDone);
    });
    ready.start(200);
    QTimer::singleShot(
        int((seconds + 600) * 1000LL + qint64(recordingSamples) * recordingIntervalMs), &app, [&] {
            std::fprintf(stderr,
                "console_scale_bench: timed out (replicas %d, partition rows %d, keys listed %d)\n",
                replicasArea->model()->rowCount(), partitionRowsShown(kafkaArea->groups()),
                redisArea->keyModel()->rowCount());
            app.exit(2);
        });
    const int loop = app.exec();
    stalls.setMeasuring(false);

    const int listed = redisArea->keyModel()->rowCount();
    const int replicaRows = replicasArea->model()->rowCount();
    const int partitionRows = partitionRowsShown(kafkaArea->groups());
    const qint64 rss = residentMiB();
    const double measuredSeconds = double(measured.elapsed()) / 1000.0;
    // The session recording at this scale (issue 11: an hour under 50 MB): one sample as the
    // console takes it every 5 s, compact JSON as saved, and the GUI time it costs.
    QElapsedTimer sampling;
    sampling.start();
    const QByteArray sample = QJsonDocument(
        console->window()->snapshotState(ui::kRecordingTableRows, ui::SnapshotPurpose::RecordingSample))
                                  .toJson(QJsonDocument::Compact);
    const qint64 sampleMs = sampling.elapsed();
    // Saved compressed (.sbrec.json.gz), one sample alone: an upper bound, since an hour's
    // samples, much alike, compress better together.
    const qsizetype sampleGzipBytes = protocol::Gzip::compress(sample).size();
    constexpr int kSamplesPerHour = 3600 / 5;
    if (recording && loop == 0 && !printRecording(*recording, recordingFile, taps.get()))
        return 2;
    console.reset(); // the areas stop their workers before the loads and servers go
    if (loop != 0)
        return loop;

    const double refreshP50 = percentileOf(refreshMs, 0.50);
    const double refreshP99 = percentileOf(refreshMs, 0.99);
    std::printf(
        "replicas=%d replica_rows=%d partitions=%d groups=%d partition_rows=%d keys=%d listed=%d "
        "first_1000_keys_ms=%lld full_scan_ms=%lld measured_s=%.1f replica_polls=%d lag_refreshes=%zu "
        "refresh_p50_ms=%.0f refresh_p99_ms=%.0f stall_p50_ms=%.2f stall_p99_ms=%.2f stall_max_ms=%.2f "
        "samples=%zu rss_mib=%lld recording_sample_kib=%.1f recording_hour_mb=%.1f recording_sample_ms=%lld "
        "recording_sample_gz_kib=%.1f recording_hour_gz_mb=%.1f\n",
        replicas, replicaRows, partitions, groups, partitionRows, keys, listed, firstThousandKeysMs,
        fullScanMs, measuredSeconds, replicaPolls, refreshMs.size(), refreshP50, refreshP99,
        stalls.percentile(0.50), stalls.percentile(0.99), stalls.worst(), stalls.sampleCount(), rss,
        double(sample.size()) / 1024.0, double(sample.size()) * kSamplesPerHour / 1e6, sampleMs,
        double(sampleGzipBytes) / 1024.0, double(sampleGzipBytes) * kSamplesPerHour / 1e6);
    std::printf("load_average_start=\"%s\" load_average_end=\"%s\" peak_rss_mib=%lld\n",
        loadAtStart.constData(), loadAverage().constData(), peakResidentMiB());
    return stalls.percentile(0.99) < 16.0 && refreshP99 < 500.0 ? 0 : 1;
}
