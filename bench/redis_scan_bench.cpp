// Redis key browser benchmark: seeds 1,000,000 keys into a fresh redis-server on a free
// loopback port, runs RedisKeyScanner (worker thread, own connection) feeding
// RedisKeyModel shown in a QTableView on this GUI thread, and prints:
//  - the GUI loop's stall p50/p99/max, sampled by a 1 ms precise timer;
//  - time to the first 1,000 keys in the model, and to the full listing;
//  - the server's view of SCAN: calls and mean from INFO commandstats, the latency
//    histogram (LATENCY HISTOGRAM scan) and SLOWLOG entries of SCAN over 1 ms.
// Usage: redis_scan_bench [keys=1000000]  (QT_QPA_PLATFORM=offscreen for no display)
#include "LoopStallMeter.h"
#include "RedisSeed.h"
#include "ResidentMemory.h"
#include "cluster/RedisConnection.h"
#include "inspect/RedisKeyScanner.h"
#include "models/RedisKeyModel.h"
#include "support/RedisSeeder.h"
#include "support/RedisServerProcess.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHeaderView>
#include <QTableView>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <optional>

using namespace sb;

namespace {

std::optional<cluster::RedisReply> call(
    cluster::RedisConnection &c, QList<QByteArray> argv, int timeoutMs = 30000)
{
    // A harness, not the console: it may wait for the answer in a nested event loop.
    std::optional<cluster::RedisReply> result;
    QEventLoop loop;
    c.command(std::move(argv), &loop, [&result, &loop](const cluster::RedisReply &r) {
        result = r;
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return result;
}

// Runs the event loop until `done` signals or `timeoutMs` passes.
template<typename Sender, typename Signal> void waitFor(Sender *sender, Signal done, int timeoutMs)
{
    QEventLoop loop;
    QObject::connect(sender, done, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    const int keys = argc > 1 ? QByteArray(argv[1]).toInt() : 1000000;

    testing::RedisServerProcess server({ QStringLiteral("--slowlog-log-slower-than"), QStringLiteral("1000"),
        QStringLiteral("--slowlog-max-len"), QStringLiteral("10000") });
    if (!server.start()) { // killed by pid when done
        std::fprintf(stderr, "redis_scan_bench: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    const quint16 port = server.port();

    QElapsedTimer clock;
    clock.start();
    QString error;
    testing::RedisSeeder seeder;
    addChatClusterKeys(seeder, keys);
    if (!seeder.run(port, &error, 300000)) {
        std::fprintf(stderr, "redis_scan_bench: seeding failed: %s\n", qPrintable(error));
        return 1;
    }
    std::printf("seeded %d keys in %lld ms (redis-cli --pipe)\n", keys, clock.elapsed());

    cluster::RedisConnection direct(server.url());
    direct.open();
    if (!direct.isConnected())
        waitFor(&direct, &cluster::RedisConnection::connected, 5000);
    const qint64 dbsize = call(direct, { "DBSIZE" })->toInteger();
    call(direct, { "CONFIG", "RESETSTAT" });
    call(direct, { "SLOWLOG", "RESET" });

    // The console's arrangement: scanner + connection on a worker, model + view here.
    QThread worker;
    worker.start();
    auto *connection = new cluster::RedisConnection(server.url());
    auto *scanner = new inspect::RedisKeyScanner(connection, connection);
    connection->moveToThread(&worker);
    QEventLoop connected;
    QObject::connect(connection, &cluster::RedisConnection::connected, &connected, &QEventLoop::quit);
    QTimer::singleShot(5000, &connected, &QEventLoop::quit);
    QMetaObject::invokeMethod(connection, &cluster::RedisConnection::open, Qt::QueuedConnection);
    models::RedisKeyModel model;
    QTableView view;
    view.setModel(&model);
    view.verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    view.horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    view.verticalHeader()->hide(); // as RedisKeyBrowser
    view.resize(1000, 700);
    if (qEnvironmentVariableIsEmpty("SB_BENCH_NO_VIEW"))
        view.show();
    QObject::connect(
        scanner, &inspect::RedisKeyScanner::batchReady, &model, &models::RedisKeyModel::appendBatch);
    QEventLoop scanning;
    inspect::RedisScanProgress progress;
    QObject::connect(scanner, &inspect::RedisKeyScanner::progressChanged, &model,
        [&progress, &model, &scanning](const inspect::RedisScanProgress &p) {
            progress = p;
            if (p.generation == model.generation() && p.dbSize > 0)
                model.reserve(p.dbSize); // as RedisAreaAssembly does for MATCH *
            if (p.phase == inspect::RedisScanProgress::Phase::Finished)
                scanning.quit(); // queued after the last batch: the model has every row
        });
    connected.exec();

    // The stall sampler: a 1 ms timer; any lateness is time the GUI loop could not run.
    LoopStallMeter stalls("redis_scan_bench");
    stalls.setMeasuring(true);

    clock.restart();
    qint64 firstThousandMs = -1;
    QObject::connect(&model, &QAbstractItemModel::rowsInserted, &scanning, [&] {
        if (firstThousandMs < 0 && model.rowCount() >= 1000)
            firstThousandMs = clock.elapsed();
    });
    QTimer::singleShot(600000, &scanning, &QEventLoop::quit);
    // start() from the GUI thread, as RedisAreaAssembly calls it; the scan runs on the worker.
    model.reset(scanner->start("*", -1), "*");
    scanning.exec();
    const qint64 fullMs = clock.elapsed();
    stalls.setMeasuring(false);

    std::printf("keys: DBSIZE %lld, listed %d, SCAN returned %lld\n", dbsize, model.rowCount(),
        progress.keysReturned);
    std::printf("time to first 1,000 keys: %lld ms\n", firstThousandMs);
    std::printf("full scan: %lld ms (%.0f keys/s), %lld SCAN calls, final COUNT %d, slowest client round "
                "trip %.2f ms\n",
        fullMs, double(model.rowCount()) * 1000.0 / double(qMax<qint64>(1, fullMs)), progress.calls,
        progress.count, progress.maxCallMs);
    std::printf("GUI loop stall (1 ms sampler, %lld samples): p50 %.2f ms, p99 %.2f ms, max %.2f ms\n",
        qint64(stalls.sampleCount()), stalls.percentile(0.50), stalls.percentile(0.99), stalls.worst());
    std::printf("console process RSS with %d rows: %lld MiB\n", model.rowCount(), residentMiB());

    // The server's own account of SCAN.
    const cluster::RedisReply info = *call(direct, { "INFO", "commandstats" });
    for (const QByteArray &line : info.bytes().split('\n'))
        if (line.startsWith("cmdstat_scan:"))
            std::printf("server %s\n", line.trimmed().constData());
    const auto histogram = call(direct, { "LATENCY", "HISTOGRAM", "scan" });
    if (histogram && histogram->isArray() && histogram->size() >= 2) {
        // ["scan", ["calls", N, "histogram_usec", [bucket, cumulative, ...]]]
        const cluster::RedisReply details = histogram->at(1);
        for (qsizetype i = 0; i + 1 < details.size(); i += 2) {
            if (details.at(i).bytes() != "histogram_usec")
                continue;
            const cluster::RedisReply buckets = details.at(i + 1);
            QByteArray text;
            for (qsizetype b = 0; b + 1 < buckets.size(); b += 2)
                text += " <=" + QByteArray::number(buckets.at(b).toInteger())
                    + "us:" + QByteArray::number(buckets.at(b + 1).toInteger());
            std::printf("server SCAN latency histogram (cumulative calls):%s\n", text.constData());
        }
    }
    const cluster::RedisReply slowlog = *call(direct, { "SLOWLOG", "GET", "10000" });
    qint64 slowScans = 0;
    qint64 slowestScanUs = 0;
    qint64 slowOther = 0;
    for (const cluster::RedisReply &entry : slowlog.elements()) {
        if (entry.at(3).at(0).bytes().toUpper() == "SCAN") {
            ++slowScans;
            slowestScanUs = qMax(slowestScanUs, entry.at(2).toInteger());
        } else {
            ++slowOther;
        }
    }
    std::printf("SLOWLOG (>= 1 ms): %lld SCAN entries (slowest %lld us), %lld other entries\n", slowScans,
        slowestScanUs, slowOther);

    QMetaObject::invokeMethod(connection, &QObject::deleteLater, Qt::QueuedConnection);
    worker.quit();
    worker.wait(5000);
    return 0;
}
