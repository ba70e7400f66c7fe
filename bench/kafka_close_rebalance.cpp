// Closing a replica's Kafka bus while its groups rebalance, many times (issue 14: a node
// once aborted at the end of a drain, seconds after another replica was killed; librdkafka
// 2.0 has known assertions on a consumer closed mid-rebalance).
//
// The parent runs librdkafka's mock cluster; each round starts --replicas child processes
// (this binary with --member), each a KafkaEventBus as a node assembles it (stage 1 shared
// by one group, stage 2 a per-boot broadcast group), publishing every 20 ms. Once all have
// joined, one is killed (SIGKILL, it never leaves its groups) and, after a delay spread
// over the session timeout, the next is told to stop (SIGTERM: KafkaEventBus::stop, the
// node's drain path), so its consumers close while the group waits for, then drops, the
// killed member. Every round prints how the closing member ended; the summary counts the
// ends that were not a clean exit and quotes the last lines such a member printed.
//
//   kafka_close_rebalance [--rounds N] [--replicas R] [--session-timeout-ms MS]

#include "EventLoopWait.h"
#include "cluster/KafkaEventBus.h"
#include "cluster/KafkaMockCluster.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QRandomGenerator>
#include <QTimer>
#include <QUuid>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <memory>
#include <vector>

#include <signal.h>

using namespace sb::cluster;
using namespace Qt::StringLiterals;

namespace {

constexpr QByteArrayView kPrefix = "closebench";
volatile std::sig_atomic_t g_stopRequested = 0;

void onTerm(int)
{
    g_stopRequested = 1;
}

// A replica's Kafka bus until SIGTERM; prints "ready" once it holds its share of both stages.
int runMember(const QByteArray &bootstrap, const QByteArray &id, int sessionTimeoutMs)
{
    std::signal(SIGTERM, onTerm);
    KafkaEventBusOptions options;
    options.settings = KafkaSettings(bootstrap);
    options.topicPrefix = kPrefix.toByteArray();
    options.nodeId = id;
    options.bootId = QUuid::createUuid().toByteArray(QUuid::Id128).left(12);
    options.sessionTimeoutMs = sessionTimeoutMs;
    options.heartbeatIntervalMs = std::max(100, sessionTimeoutMs / 4);
    options.producer.flushTimeoutMs = 3000;
    KafkaEventBus bus(options);
    bus.setPersistHandler([](const QByteArray &, const BusHop &, QString *) { return true; });
    bus.setHandler([](const QByteArray &, const BusHop &) {});
    QString error;
    if (!bus.start(&error)) {
        std::fprintf(stderr, "%s: %s\n", id.constData(), qPrintable(error));
        return 3;
    }
    bool announced = false;
    quint64 sequence = 0;
    QTimer tick;
    tick.setInterval(20);
    QObject::connect(&tick, &QTimer::timeout, [&] {
        if (g_stopRequested) {
            tick.stop();
            bus.stop();
            std::printf("stopped\n");
            std::fflush(stdout);
            QCoreApplication::exit(0);
            return;
        }
        ++sequence;
        bus.publish(QByteArray::number(sequence % 16), id + ' ' + QByteArray::number(sequence));
        if (!announced && bus.hasJoinedPersistGroup() && bus.isBroadcastReady()) {
            announced = true;
            std::printf("ready\n");
            std::fflush(stdout);
        }
    });
    tick.start();
    return QCoreApplication::exec();
}

struct Member
{
    std::unique_ptr<QProcess> process;
    bool ready = false;
};

QString lastLines(QProcess *process, int count)
{
    const QList<QByteArray> lines = (process->readAllStandardError()).trimmed().split('\n');
    return QString::fromUtf8(lines.mid(std::max<qsizetype>(0, lines.size() - count)).join("\n    "));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    parser.addOption({ u"rounds"_s, u"Rounds (default 100)."_s, u"N"_s, u"100"_s });
    parser.addOption({ u"replicas"_s, u"Replicas per round, at least 2 (default 3)."_s, u"R"_s, u"3"_s });
    parser.addOption({ u"session-timeout-ms"_s, u"Group session timeout (default 4000, the demo's)."_s,
        u"MS"_s, u"4000"_s });
    parser.addOption(
        { u"member"_s, u"(internal) Run one replica's bus against BOOTSTRAP."_s, u"BOOTSTRAP"_s });
    parser.addOption({ u"id"_s, u"(internal) The member's id."_s, u"ID"_s });
    parser.process(app);
    const int sessionTimeoutMs = std::clamp(parser.value(u"session-timeout-ms"_s).toInt(), 1000, 60000);
    if (parser.isSet(u"member"_s))
        return runMember(
            parser.value(u"member"_s).toUtf8(), parser.value(u"id"_s).toUtf8(), sessionTimeoutMs);

    const int rounds = std::max(1, parser.value(u"rounds"_s).toInt());
    const int replicas = std::clamp(parser.value(u"replicas"_s).toInt(), 2, 8);
    KafkaMockCluster cluster;
    QString error;
    if (!cluster.start(3, &error)) {
        std::fprintf(stderr, "mock cluster: %s\n", qPrintable(error));
        return 1;
    }
    for (const QByteArray &topic : KafkaEventBus::topics(kPrefix.toByteArray()))
        cluster.createTopic(topic, 6);

    int clean = 0, notClean = 0, hung = 0, notReady = 0;
    QStringList failures;
    for (int round = 1; round <= rounds; ++round) {
        std::vector<Member> members(static_cast<std::size_t>(replicas));
        for (int i = 0; i < replicas; ++i) {
            Member &m = members[std::size_t(i)];
            m.process = std::make_unique<QProcess>();
            m.process->setProgram(QCoreApplication::applicationFilePath());
            m.process->setArguments({ u"--member"_s, QString::fromUtf8(cluster.bootstrapServers()), u"--id"_s,
                u"r%1-m%2"_s.arg(round).arg(i), u"--session-timeout-ms"_s,
                QString::number(sessionTimeoutMs) });
            m.process->start();
        }
        const bool allReady = sb::bench::waitUntil(
            [&] {
                for (Member &m : members) {
                    if (!m.ready && m.process->canReadLine())
                        m.ready = m.process->readLine().startsWith("ready");
                }
                return std::all_of(members.begin(), members.end(), [](const Member &m) { return m.ready; });
            },
            30000);
        if (!allReady) {
            ++notReady;
            std::printf("round %d: not every member joined within 30 s; skipped\n", round);
        } else {
            QProcess *killed = members[0].process.get();
            QProcess *closing = members[1].process.get();
            ::kill(pid_t(killed->processId()), SIGKILL);
            const int delayMs = int(QRandomGenerator::global()->bounded(quint32(sessionTimeoutMs + 1000)));
            sb::bench::runEventsFor(delayMs);
            QElapsedTimer closeTime;
            closeTime.start();
            ::kill(pid_t(closing->processId()), SIGTERM);
            if (!closing->waitForFinished(30000)) {
                ++hung;
                failures
                    << u"round %1: the closing member did not exit within 30 s (stop %2 ms after the kill)"_s
                           .arg(round)
                           .arg(delayMs);
                closing->kill();
                closing->waitForFinished(5000);
            } else if (closing->exitStatus() == QProcess::NormalExit && closing->exitCode() == 0) {
                ++clean;
            } else {
                ++notClean;
                failures
                    << u"round %1: the closing member %2 (stop %3 ms after the kill); its last output:\n    %4"_s
                           .arg(round)
                           .arg(closing->exitStatus() == QProcess::CrashExit
                                   ? u"crashed"_s
                                   : u"exited %1"_s.arg(closing->exitCode()))
                           .arg(delayMs)
                           .arg(lastLines(closing, 5));
            }
            std::printf("round %d: stop %d ms after the kill, closed in %lld ms, %s\n", round, delayMs,
                static_cast<long long>(closeTime.elapsed()),
                closing->exitStatus() == QProcess::NormalExit && closing->exitCode() == 0 ? "clean"
                                                                                          : "NOT CLEAN");
            std::fflush(stdout);
        }
        for (Member &m : members) {
            if (m.process->state() != QProcess::NotRunning) {
                ::kill(pid_t(m.process->processId()), SIGTERM);
                if (!m.process->waitForFinished(30000)) {
                    m.process->kill();
                    m.process->waitForFinished(5000);
                }
            }
        }
    }
    std::printf("\n%d rounds, %d replicas, session timeout %d ms: %d clean closes, %d not clean, %d hung, %d "
                "rounds skipped (not ready)\n",
        rounds, replicas, sessionTimeoutMs, clean, notClean, hung, notReady);
    for (const QString &failure : failures)
        std::printf("%s\n", qPrintable(failure));
    return notClean + hung == 0 ? 0 : 1;
}
