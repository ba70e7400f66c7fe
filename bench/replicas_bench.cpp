// Replicas view at scale: N replicas announce themselves in a real redis-server (sb:node:*
// hashes refreshed every second by a writer thread, as nodes do), the console's Replicas
// area (ReplicasAreaAssembly: worker-thread discovery, model, history, view with chart)
// polls them, and a 1 ms timer on the GUI thread measures how long the event loop stalls.
//
//   replicas_bench [--replicas 50] [--seconds 20]
//
// Prints the stall percentiles over the measured polls and exits 1 if p99 >= 16 ms.
#include "app/ReplicasAreaAssembly.h"
#include "cluster/RedisConnection.h"
#include "cluster/RedisHashWriter.h"
#include "models/ReplicaModel.h"
#include "ui/AreaView.h"
#include "ui/ReplicasView.h"
#include "LoopStallMeter.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <csignal>
#include <cstdio>

using namespace sb;

namespace {

quint16 freePort()
{
    QTcpServer server;
    server.listen(QHostAddress::LocalHost, 0);
    return server.serverPort();
}

// Publishes the fake replicas' hashes every second from its own thread, so the writing
// costs the GUI thread nothing.
class RegistryWriter : public QObject
{
public:
    RegistryWriter(cluster::RedisUrl url, int replicas)
        : m_url(std::move(url))
        , m_replicas(replicas)
    {
    }
    void start()
    {
        m_connection = new cluster::RedisConnection(m_url, {}, this);
        m_writer = std::make_unique<cluster::RedisHashWriter>(m_connection);
        connect(m_connection, &cluster::RedisConnection::connected, this, [this] { publish(); });
        m_connection->open();
        auto *timer = new QTimer(this);
        connect(timer, &QTimer::timeout, this, [this] { publish(); });
        timer->start(1000);
    }

private:
    void publish()
    {
        if (!m_connection->isConnected())
            return;
        const QByteArray now = QByteArray::number(QDateTime::currentMSecsSinceEpoch());
        for (int i = 0; i < m_replicas; ++i) {
            auto *rng = QRandomGenerator::global();
            m_writer->publish(QStringLiteral("bench-%1").arg(i, 3, 10, QLatin1Char('0')),
                              {{"address", "10.0.0." + QByteArray::number(i) + ":8080"},
                               {"started", now},
                               {"ready", "1"},
                               {"draining", "0"},
                               {"ws", QByteArray::number(900 + rng->bounded(200))},
                               {"sse", QByteArray::number(100 + rng->bounded(50))},
                               {"subscriptions", QByteArray::number(2000 + rng->bounded(500))},
                               {"msgsInPerSec", QByteArray::number(rng->bounded(500.0), 'f', 1)},
                               {"msgsOutPerSec", QByteArray::number(rng->bounded(5000.0), 'f', 1)},
                               {"heartbeatTimeouts", "0"},
                               {"version", "bench"}},
                              5);
        }
    }

    cluster::RedisUrl m_url;
    int m_replicas;
    cluster::RedisConnection *m_connection = nullptr;
    std::unique_ptr<cluster::RedisHashWriter> m_writer;
};

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({QStringLiteral("replicas"), QStringLiteral("Replicas in the registry."), QStringLiteral("N"),
                      QStringLiteral("50")});
    parser.addOption({QStringLiteral("seconds"), QStringLiteral("Measured seconds (one poll each)."),
                      QStringLiteral("S"), QStringLiteral("20")});
    parser.process(app);
    const int replicas = qMax(1, parser.value(QStringLiteral("replicas")).toInt());
    const int seconds = qMax(1, parser.value(QStringLiteral("seconds")).toInt());

    // A private redis-server on a free loopback port, killed by pid at the end.
    QTemporaryDir dir;
    const quint16 port = freePort();
    QProcess redis;
    redis.setProgram(QStringLiteral("redis-server"));
    redis.setArguments({QStringLiteral("--port"), QString::number(port), QStringLiteral("--bind"),
                        QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                        QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--dir"), dir.path()});
    redis.start();
    if (!redis.waitForStarted(5000)) {
        std::fprintf(stderr, "replicas_bench: cannot start redis-server: %s\n", qPrintable(redis.errorString()));
        return 2;
    }
    auto killRedis = [&redis] {
        if (redis.state() != QProcess::NotRunning) {
            ::kill(pid_t(redis.processId()), SIGKILL);
            redis.waitForFinished(5000);
        }
    };
    const cluster::RedisUrl url(QStringLiteral("127.0.0.1"), port);

    QThread writerThread;
    auto *writer = new RegistryWriter(url, replicas);
    writer->moveToThread(&writerThread);
    QObject::connect(&writerThread, &QThread::finished, writer, &QObject::deleteLater);
    writerThread.start();
    QMetaObject::invokeMethod(writer, [writer] { writer->start(); }, Qt::QueuedConnection);

    ui::AreaView area(QStringLiteral("replicas"),
                      ui::EmptyState{QStringLiteral("Replicas"), QStringLiteral("replicas"), QString()});
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
    killRedis();
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
