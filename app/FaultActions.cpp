#include "app/FaultActions.h"

#include "app/DemoLoadControl.h"
#include "app/DevCluster.h"
#include "app/FaultEventLog.h"
#include "app/FaultLoadWatch.h"
#include "app/FaultOffsetReader.h"
#include "app/FaultPolling.h"
#include "app/FaultRevokeWatch.h"
#include "app/FaultSessionReader.h"
#include "app/FaultStage1Action.h"
#include "app/FaultStage2Watch.h"
#include "app/NodeAssembly.h"
#include "cluster/KafkaEventBus.h"
#include "cluster/KafkaProducer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QSet>
#include <QTimer>

Q_LOGGING_CATEGORY(lcFaults, "sb.faults")

namespace sb::app {

namespace {
using Action = protocol::FaultRequest::Action;
using EffectState = FaultEventLog::EffectState;
constexpr int kProbeTimeoutMs = 2000;
constexpr int kProducerFlushMs = 1000;

QByteArray stage1Topic(const QString &prefix)
{
    return prefix.toUtf8() + ".MessageCreatedEvent";
}
} // namespace

FaultActions::FaultActions(DevCluster *cluster, FaultEventLog *log, QObject *parent)
    : QObject(parent)
    , m_cluster(cluster)
    , m_log(log)
    , m_loadWatch(new FaultLoadWatch(
          log, [cluster] { return cluster->runningNodeUrls(); }, this))
    , m_stage1(new FaultStage1Action(log, QString::fromLatin1(DevCluster::kAdminUser),
          QString::fromLatin1(DevCluster::kAdminPassword), this))
    , m_stage2(new FaultStage2Watch(log, this))
    , m_sessions(new FaultSessionReader([cluster] { return cluster->redisUrl(); }, this))
    , m_revoke(new FaultRevokeWatch(
          log,
          [cluster] {
              const QList<QString> running = cluster->runningNodeUrls().keys();
              return QSet<QString>(running.cbegin(), running.cend());
          },
          [sessions = m_sessions](const QString &user, QObject *context, FaultSessionReader::Done done) {
              sessions->read(user, context, std::move(done));
          },
          this))
{ }

FaultActions::~FaultActions()
{
    if (m_producer)
        m_producer->close();
}

void FaultActions::setGroupStatusSource(FaultStage1Action::GroupStatusSource source)
{
    m_stage1->setGroupStatusSource(std::move(source));
}

FaultActions::Outcome FaultActions::perform(const protocol::FaultRequest &request)
{
    switch (request.action) {
    case Action::Kill:
    case Action::Drain:
        return killOrDrain(request);
    case Action::Start:
        return start(request);
    case Action::RestartRedis:
        return restartRedis(request);
    case Action::Poison:
        return poison(request);
    case Action::Revoke:
        return revoke(request);
    case Action::SwitchBus:
        return switchBus(request);
    case Action::Burst:
    case Action::SlowConsumer:
        return loadAction(request);
    case Action::PauseStage1:
    case Action::ResumeStage1:
        return stage1(request);
    }
    return refuse(request, QStringLiteral("unknown action"));
}

FaultActions::Outcome FaultActions::refuse(const Request &request, const QString &why)
{
    qCInfo(lcFaults).noquote() << request.name() << "refused:" << why;
    const int id = m_log->add(request.name(), request.args(), false, why);
    return { false, why, id };
}

FaultActions::Outcome FaultActions::accept(const Request &request, const QString &what, bool watched)
{
    qCInfo(lcFaults).noquote() << request.name() << what;
    const int id = m_log->add(request.name(), request.args(), true, what);
    if (!watched)
        m_log->finish(id, EffectState::None, QStringLiteral("not watched"));
    return { true, what, id };
}

QObject *FaultActions::startWatch(int eventId, int deadlineMs, const QString &waitingFor)
{
    auto *watch = new QObject(this);
    QTimer::singleShot(deadlineMs, watch, [this, watch, eventId, deadlineMs, waitingFor] {
        m_log->finish(eventId, EffectState::NotObserved,
            QStringLiteral("%1 not seen within %2 s").arg(waitingFor).arg(deadlineMs / 1000));
        watch->deleteLater();
    });
    return watch;
}

void FaultActions::get(const QString &url, QObject *context, std::function<void(int)> answered)
{
    QNetworkRequest request { QUrl(url) };
    request.setTransferTimeout(kProbeTimeoutMs);
    QNetworkReply *reply = m_http.get(request);
    connect(reply, &QNetworkReply::finished, context, [reply, answered = std::move(answered)] {
        reply->deleteLater();
        answered(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt());
    });
    // A watch that ended takes its pending probe with it.
    connect(context, &QObject::destroyed, reply, &QNetworkReply::abort);
}

FaultActions::Outcome FaultActions::killOrDrain(const Request &request)
{
    const bool kill = request.action == Action::Kill;
    const QString url = m_cluster->nodeUrl(request.replica);
    const qint64 pid = [&] {
        const QJsonArray nodes = m_cluster->endpoints().value(QStringLiteral("nodes")).toArray();
        for (const QJsonValue &node : nodes)
            if (node.toObject().value(QStringLiteral("id")).toString() == request.replica)
                return node.toObject().value(QStringLiteral("pid")).toInteger();
        return qint64(0);
    }();
    QString why;
    if (!(kill ? m_cluster->killNode(request.replica, &why) : m_cluster->drainNode(request.replica, &why)))
        return refuse(request, why);
    const QString then = request.stayDown
        ? QStringLiteral("it stays down")
        : QStringLiteral("it starts again %1 s after it exits").arg(request.restartAfterSeconds);
    const Outcome outcome = accept(request,
        QStringLiteral("%1 sent to %2 (pid %3); %4")
            .arg(kill ? QStringLiteral("SIGKILL") : QStringLiteral("SIGTERM (drain)"), request.replica,
                QString::number(pid), then));
    const int restartAfterMs = request.stayDown ? -1 : request.restartAfterSeconds * 1000;
    const int drainMs = kill ? 0 : (m_cluster->nodeGraceSeconds() + 10) * 1000;
    QObject *watch = startWatch(outcome.eventId, kReplicaEffectMs + drainMs + std::max(restartAfterMs, 0),
        request.stayDown ? QStringLiteral("the replica down")
                         : QStringLiteral("the replica down and ready again"));
    const int id = outcome.eventId;
    if (!kill) {
        // A draining replica says so on /healthz/ready (503) while it still serves probes.
        get(url + QStringLiteral("/healthz/ready"), watch, [this, id](int status) {
            m_log->observe(id,
                status == 200 ? QStringLiteral("/healthz/ready still 200 right after SIGTERM")
                              : QStringLiteral("/healthz/ready %1: draining")
                                    .arg(status ? QString::number(status) : QStringLiteral("refused")));
        });
    }
    watchReplicaCycle(id, request.replica, restartAfterMs, watch,
        [this, id, watch, stayDown = request.stayDown](bool seen) {
            if (seen)
                m_log->finish(id, EffectState::Observed,
                    stayDown ? QStringLiteral("down, as asked") : QStringLiteral("ready again"));
            watch->deleteLater();
        });
    return outcome;
}

void FaultActions::watchReplicaCycle(
    int eventId, const QString &replica, int restartAfterMs, QObject *watch, std::function<void(bool)> done)
{
    const QString url = m_cluster->nodeUrl(replica);
    connect(m_cluster, &DevCluster::nodeExited, watch,
        [this, eventId, replica, restartAfterMs, watch, url, done](const QString &id, const QString &how) {
            if (id != replica)
                return;
            m_log->observe(eventId, QStringLiteral("%1 %2").arg(replica, how));
            // Down means its port refuses: nothing answers /healthz/live any more.
            get(url + QStringLiteral("/healthz/live"), watch,
                [this, eventId, replica, restartAfterMs, watch, done](int status) {
                    m_log->observe(eventId,
                        status == 0
                            ? QStringLiteral("/healthz/live refused")
                            : QStringLiteral("/healthz/live answered %1 (another process on its port?)")
                                  .arg(status));
                    if (restartAfterMs < 0)
                        return done(status == 0);
                    QTimer::singleShot(restartAfterMs, watch, [this, eventId, replica, watch, done] {
                        QString why;
                        if (!m_cluster->startNode(replica, &why)) {
                            m_log->finish(eventId, EffectState::NotObserved,
                                QStringLiteral("could not start it again: ") + why);
                            return done(false);
                        }
                        m_log->observe(eventId, QStringLiteral("%1 started again").arg(replica));
                        waitForReady(eventId, replica, watch, done);
                    });
                });
        });
}

void FaultActions::waitForReady(
    int eventId, const QString &replica, QObject *watch, std::function<void(bool)> done)
{
    connect(m_cluster, &DevCluster::nodeReady, watch,
        [this, eventId, replica, done](const QString &id, const QString &url) {
            if (id != replica)
                return;
            m_log->observe(eventId, QStringLiteral("%1 ready at %2").arg(replica, url));
            done(true);
        });
}

FaultActions::Outcome FaultActions::start(const Request &request)
{
    QString why;
    if (!m_cluster->startNode(request.replica, &why))
        return refuse(request, why);
    const Outcome outcome = accept(request, QStringLiteral("starting %1").arg(request.replica));
    QObject *watch = startWatch(outcome.eventId, kReplicaEffectMs, QStringLiteral("the replica ready"));
    waitForReady(outcome.eventId, request.replica, watch, [this, id = outcome.eventId, watch](bool) {
        m_log->finish(id, EffectState::Observed, QStringLiteral("ready"));
        watch->deleteLater();
    });
    return outcome;
}

FaultActions::Outcome FaultActions::restartRedis(const Request &request)
{
    const qint64 pid = m_cluster->endpoints().value(QStringLiteral("redisPid")).toInteger();
    QString why;
    if (!m_cluster->canKillRedis(&why))
        return refuse(request, why);
    const QHash<QString, QString> replicas = m_cluster->runningNodeUrls();
    const Outcome outcome = accept(request,
        QStringLiteral("SIGKILL to redis-server (pid %1) once each running replica's stage-2 counters are "
                       "read; the cluster starts it again on its port")
            .arg(pid));
    const int id = outcome.eventId;
    QObject *watch = startWatch(id, kRedisEffectMs,
        QStringLiteral("Redis back, every running replica ready and its stage 2 caught up"));
    connect(m_cluster, &DevCluster::redisExited, watch,
        [this, id](const QString &how) { m_log->observe(id, QStringLiteral("redis-server ") + how); });
    // The counters before the outage first (a /metrics read, at most
    // FaultMetricsReader::kTimeoutMs): what each replica missed is told from them.
    m_stage2->read(replicas, watch, [this, id, watch, replicas](const FaultStage2Watch::Readings &before) {
        QString notKilled;
        if (!m_cluster->killRedis(&notKilled)) {
            m_log->finish(id, EffectState::NotObserved, QStringLiteral("not killed: ") + notKilled);
            return watch->deleteLater();
        }
        connect(
            m_cluster, &DevCluster::redisReady, watch,
            [this, id, watch, replicas, before] {
                m_log->observe(id,
                    QStringLiteral("redis-server back (pid %1)")
                        .arg(m_cluster->endpoints().value(QStringLiteral("redisPid")).toInteger()));
                waitForReplicasAfterRedis(id, watch, replicas, before);
            },
            Qt::SingleShotConnection);
    });
    return outcome;
}

void FaultActions::waitForReplicasAfterRedis(
    int id, QObject *watch, const QHash<QString, QString> &replicas, const FaultStage2Watch::Readings &before)
{
    // The replicas reconnect on their own back-off: poll until each running one is ready,
    // then until each one's stage 2 has caught up, and say what each missed.
    pollAfterEachAnswer(
        watch, kPollMs, [this, id, watch, replicas, before](const std::function<void(bool)> &answered) {
            QHash<QString, QString> running;
            for (auto it = replicas.cbegin(); it != replicas.cend(); ++it)
                if (m_cluster->isNodeRunning(it.key()))
                    running.insert(it.key(), it.value());
            if (running.isEmpty()) {
                m_log->finish(id, EffectState::Observed, QStringLiteral("Redis back; no replica running"));
                watch->deleteLater();
                return answered(true);
            }
            auto pending = std::make_shared<int>(int(running.size()));
            auto allReady = std::make_shared<bool>(true);
            for (auto it = running.cbegin(); it != running.cend(); ++it) {
                get(it.value() + QStringLiteral("/healthz/ready"), watch,
                    [this, id, watch, running, before, pending, allReady, answered](int status) {
                        *allReady = *allReady && status == 200;
                        if (--*pending > 0)
                            return;
                        answered(*allReady);
                        if (!*allReady)
                            return;
                        m_log->observe(id, QStringLiteral("every running replica ready again"));
                        m_stage2->report(id, watch, running, before, [this, id, watch] {
                            m_log->finish(id, EffectState::Observed,
                                QStringLiteral("every running replica ready and its stage 2 caught up"));
                            watch->deleteLater();
                        });
                    });
            }
        });
}

bool FaultActions::ensureProducer(QString *why)
{
    if (m_producer)
        return true;
    cluster::KafkaProducerOptions options;
    options.clientId = QByteArrayLiteral("switchboard-faults");
    options.flushTimeoutMs = kProducerFlushMs;
    auto producer = std::make_unique<cluster::KafkaProducer>(
        cluster::KafkaSettings(m_cluster->kafkaBootstrap().toUtf8()), options);
    if (!producer->start(why))
        return false;
    m_producer = std::move(producer);
    return true;
}

FaultOffsetReader *FaultActions::offsets()
{
    if (!m_offsets)
        m_offsets = new FaultOffsetReader(cluster::KafkaSettings(m_cluster->kafkaBootstrap().toUtf8()), this);
    return m_offsets;
}

FaultActions::Outcome FaultActions::poison(const Request &request)
{
    QString why;
    if (!ensureProducer(&why))
        return refuse(request, QStringLiteral("no Kafka producer: ") + why);
    const QString prefix = m_cluster->endpoints().value(QStringLiteral("topicPrefix")).toString();
    const QByteArray topic = stage1Topic(prefix);
    const QByteArray deadLetters = cluster::KafkaEventBus::deadLetterTopic(topic);
    const Outcome outcome = accept(request,
        QStringLiteral("producing %1 undecodable record(s) to %2; they must reach %3")
            .arg(request.count)
            .arg(QString::fromUtf8(topic), QString::fromUtf8(deadLetters)));
    const int id = outcome.eventId;
    QObject *watch = startWatch(id, kDeadLetterEffectMs, QStringLiteral("the records in the DLT"));
    // The DLT's size before, so what the records add is told from what was there.
    offsets()->readEndOffsets(deadLetters, watch,
        [this, id, watch, topic, deadLetters, count = request.count](qint64 before, const QString &error) {
            if (before < 0) {
                m_log->finish(id, EffectState::NotObserved,
                    QStringLiteral("cannot read %1: %2").arg(QString::fromUtf8(deadLetters), error));
                return watch->deleteLater();
            }
            m_log->observe(
                id, QStringLiteral("%1 holds %2 record(s)").arg(QString::fromUtf8(deadLetters)).arg(before));
            for (int i = 0; i < count; ++i) {
                // Not a JSON object: the stage-1 relay cannot decode it and dead-letters it once.
                const QByteArray value = QByteArrayLiteral("fault injection: poison record ")
                    + QByteArray::number(i + 1) + " <not json>";
                m_producer->produce(
                    topic, QByteArrayLiteral("fault-poison"), value, {}, [](const QString &) {});
            }
            pollAfterEachAnswer(watch, kPollMs * 2,
                [this, id, watch, deadLetters, before, count](const std::function<void(bool)> &answered) {
                    offsets()->readEndOffsets(deadLetters, watch,
                        [this, id, watch, before, count, answered](qint64 now, const QString &) {
                            const bool grown = now >= before + count;
                            if (grown) {
                                m_log->finish(id, EffectState::Observed,
                                    QStringLiteral("the DLT grew by %1 (to %2)").arg(now - before).arg(now));
                                watch->deleteLater();
                            }
                            answered(grown);
                        });
                });
        });
    return outcome;
}

FaultActions::Outcome FaultActions::revoke(const Request &request)
{
    QString why;
    if (!ensureProducer(&why))
        return refuse(request, QStringLiteral("no Kafka producer: ") + why);
    const QString prefix = m_cluster->endpoints().value(QStringLiteral("topicPrefix")).toString();
    const QByteArray topic = NodeAssembly::roleUpdatedTopic(prefix);
    // The node's cluster-wide revocation: a RoleUpdatedEvent makes every replica revoke the
    // user's tokens in the shared registry and close their live sessions (RoleUpdateHandler).
    // Sent once the user's sessions and tokens are read, which the watch then sees go.
    const Outcome outcome = accept(request,
        QStringLiteral("RoleUpdatedEvent for %1 to %2, once its live sessions and tokens are read")
            .arg(request.user, QString::fromUtf8(topic)));
    const int id = outcome.eventId;
    // FaultRevokeWatch ends the event itself at kRevokeEffectMs, saying what is still open.
    QObject *watch = startWatch(id, kRevokeEffectMs + 2 * FaultRevokeWatch::kPollMs,
        QStringLiteral("the user's sessions closed and tokens revoked"));
    const QByteArray value = QJsonDocument(
        QJsonObject { { QStringLiteral("user"), request.user }, { QStringLiteral("roles"), QJsonArray {} } })
                                 .toJson(QJsonDocument::Compact);
    m_revoke->revoke(id, watch, kRevokeEffectMs, request.user,
        [this, topic, key = request.user.toUtf8(), value](const FaultRevokeWatch::Delivered &delivered) {
            m_producer->produce(topic, key, value, {}, [this, delivered](const QString &error) {
                // On the producer's poll thread: back to ours.
                QMetaObject::invokeMethod(
                    this, [delivered, error] { delivered(error); }, Qt::QueuedConnection);
            });
        });
    return outcome;
}

FaultActions::Outcome FaultActions::switchBus(const Request &request)
{
    if (m_busSwitching)
        return refuse(request, QStringLiteral("a bus switch is under way"));
    if (request.bus == m_cluster->bus())
        return refuse(request, QStringLiteral("stage 2 is on %1 already").arg(request.bus));
    QStringList running;
    for (const QString &node : m_cluster->nodeIds())
        if (m_cluster->isNodeRunning(node))
            running << node;
    const QString old = m_cluster->bus();
    // Two rolling restarts, as an operator does it (docs/operations.md, "Switching the
    // stage-2 bus"): first each replica onto both buses (--bus-bridge: it sends every
    // broadcast on both and hears both), then each onto the new one alone. At every moment
    // every replica hears a bus that every relay sends on: first the old one, then the new.
    // One pass straight to the new bus lost what a replica on one bus relayed while another
    // listened on the other.
    m_cluster->setBus(request.bus, old);
    const Outcome outcome = accept(request,
        QStringLiteral("rolling restart of %1 with --bus %2 --bus-bridge %3, then again with --bus %2 "
                       "alone, one replica at a time (drain, start, ready)")
            .arg(running.join(QStringLiteral(", ")), request.bus, old));
    const int id = outcome.eventId;
    m_busSwitching = true;
    const int drainMs = (m_cluster->nodeGraceSeconds() + 10) * 1000;
    QObject *watch = startWatch(id, 2 * int(running.size()) * (kReplicaEffectMs + drainMs),
        QStringLiteral("every replica on the new bus"));
    connect(watch, &QObject::destroyed, this, [this] { m_busSwitching = false; });
    // One replica at a time: the next is drained once the one before is ready again.
    pollAfterEachAnswer(watch, 0,
        [this, id, watch, running, bus = request.bus, next = qsizetype(0)](
            const std::function<void(bool)> &answered) mutable {
            if (next >= 2 * running.size()) {
                // What each replica's stage 2 now is and missed since it started on it: on
                // Redis a catch-up from the stage-1 commits, on Kafka a new group from the
                // latest offsets (its clients, moved away while it was down, resume by replay).
                m_log->observe(id, QStringLiteral("every replica restarted on %1").arg(bus));
                QHash<QString, QString> urls;
                for (const QString &replica : std::as_const(running))
                    urls.insert(replica, m_cluster->nodeUrl(replica));
                m_stage2->report(id, watch, urls, {}, [this, id, watch, bus] {
                    m_log->finish(id, EffectState::Observed,
                        QStringLiteral("every replica restarted on %1 and its stage 2 caught up").arg(bus));
                    watch->deleteLater();
                });
                return answered(true);
            }
            const qsizetype index = next++;
            const QString replica = running.at(index % running.size());
            if (index == running.size()) {
                m_log->observe(
                    id, QStringLiteral("every replica on both buses; now each onto %1 alone").arg(bus));
                m_cluster->setBus(bus);
            }
            QString why;
            if (!m_cluster->drainNode(replica, &why)) {
                m_log->observe(id, QStringLiteral("%1 skipped: %2").arg(replica, why));
                return answered(false);
            }
            // Each replica's own context, so the one before no longer answers the signals.
            auto *step = new QObject(watch);
            watchReplicaCycle(id, replica, 0, step, [step, answered](bool) {
                step->deleteLater();
                answered(false);
            });
        });
    return outcome;
}

FaultActions::Outcome FaultActions::loadAction(const Request &request)
{
    if (!m_load)
        return refuse(request, QStringLiteral("no demo population"));
    if (request.action == Action::Burst) {
        // Started after one metrics step read the rate before it (FaultLoadWatch): the watch
        // compares the burst with that, not with a tail that a slow machine is still sending;
        // it ends as "not observed" ten steps after the burst.
        const Outcome outcome = accept(request,
            QStringLiteral("demo traffic x%1 for %2 s, from the next second")
                .arg(request.factor)
                .arg(request.seconds));
        QObject *watch
            = startWatch(outcome.eventId, FaultLoadWatch::kMetricsPollMs * 11 + request.seconds * 1000,
                QStringLiteral("the replicas' inbound rate up during the burst"));
        m_loadWatch->burst(outcome.eventId, watch, request,
            [this, factor = request.factor, seconds = request.seconds](QString *why) {
                if (!m_load) {
                    *why = QStringLiteral("no demo population");
                    return false;
                }
                return m_load->burst(factor, seconds, why);
            });
        return outcome;
    }
    QString why;
    if (!m_load->addSlowConsumer(request.replica, &why))
        return refuse(request, why);
    const Outcome outcome
        = accept(request, QStringLiteral("a client on %1 that stops reading").arg(request.replica));
    QObject *watch = startWatch(outcome.eventId, kSlowConsumerEffectMs,
        QStringLiteral("%1 dropping the slow consumer").arg(request.replica));
    m_loadWatch->slowConsumer(outcome.eventId, watch, request.replica, m_cluster->nodeUrl(request.replica));
    // A replica that goes (killed, drained, restarted by a bus switch) takes the slow client
    // with it: nothing is left to drop, so the watch ends then rather than after 5 minutes.
    connect(m_cluster, &DevCluster::nodeExited, watch,
        [this, id = outcome.eventId, watch, replica = request.replica](
            const QString &node, const QString &how) {
            if (node != replica)
                return;
            m_log->finish(id, EffectState::NotObserved,
                QStringLiteral("%1 %2 before it dropped the slow client").arg(node, how));
            watch->deleteLater();
        });
    return outcome;
}

FaultActions::Outcome FaultActions::stage1(const Request &request)
{
    const bool pause = request.action == Action::PauseStage1;
    const QHash<QString, QString> replicas = m_cluster->runningNodeUrls();
    if (replicas.isEmpty())
        return refuse(request, QStringLiteral("no replica is running"));
    QStringList ids = replicas.keys();
    ids.sort();
    const Outcome outcome = accept(request,
        QStringLiteral("POST /admin/stage1/%1 to %2")
            .arg(pause ? QStringLiteral("pause") : QStringLiteral("resume"), ids.join(QStringLiteral(", "))));
    QObject *watch = startWatch(outcome.eventId, kStage1EffectMs,
        QStringLiteral("the stage-1 group's lag %1%2")
            .arg(pause ? QStringLiteral("growing") : QStringLiteral("back down"),
                !m_stage1->watchesGroupStatus() ? QString()
                    : pause                     ? QStringLiteral(" and its Burrow status leaving OK")
                                                : QStringLiteral(" and its Burrow status OK")));
    const QString prefix = m_cluster->endpoints().value(QStringLiteral("topicPrefix")).toString();
    const QByteArray group = prefix.toUtf8() + "-notifications"; // KafkaEventBus::persistGroup()
    m_stage1->apply(outcome.eventId, watch, replicas, pause, group,
        [this, topic = stage1Topic(prefix), group](QObject *context, FaultStage1Action::LagAnswer done) {
            offsets()->readLag(topic, group, context, std::move(done));
        });
    return outcome;
}

} // namespace sb::app
