#pragma once

#include "app/FaultStage1Action.h"
#include "app/FaultStage2Watch.h"
#include "protocol/FaultRequest.h"

#include <QHash>
#include <QNetworkAccessManager>
#include <QObject>

#include <functional>
#include <memory>

namespace sb::cluster {
class KafkaProducer;
}

namespace sb::app {

class DemoLoadControl;
class DevCluster;
class FaultEventLog;
class FaultLoadWatch;
class FaultOffsetReader;
class FaultRevokeWatch;
class FaultSessionReader;

// The one set of fault actions on a DevCluster, reached from the Faults panel, the
// devcluster's control endpoint and a --demo-script. perform() takes the action at once
// (a signal sent, a child started, records handed to the producer) and returns what it did
// or why it could not; it never waits. Each action then watches for its effect with a
// deadline (a killed replica's /healthz/live refuses, then it is ready again; the DLT grows
// by the poison records) and writes what it saw to the FaultEventLog.
class FaultActions : public QObject
{
    Q_OBJECT
public:
    struct Outcome
    {
        bool ok = false;
        QString message; // one line: what was done, or why not
        int eventId = 0;
    };

    // Deadlines of the effect watches, beyond any restart delay the request asks for.
    static constexpr int kReplicaEffectMs = 45000;
    static constexpr int kRedisEffectMs = 60000;
    static constexpr int kDeadLetterEffectMs = 30000;
    static constexpr int kPollMs = 250;
    // A client that stops reading fills its replica's kernel send buffer (32 KiB: the
    // devcluster's --limit-socket-send-buffer-bytes, doubled) in seconds with a burst, longer
    // at the demo's rate; the replica then drops it once a queued frame has waited
    // --limit-outbound-age-ms (10 s), or at --limit-outbound-bytes (1 MiB) if that comes first.
    // A replica that runs without the send-buffer bound may take minutes: the margin is for it.
    static constexpr int kSlowConsumerEffectMs = 300000;
    static constexpr int kStage1EffectMs = 30000;
    // Every replica reads the RoleUpdatedEvent within a second or two, and closes the user's
    // sessions at once; the margin is for a loaded machine.
    static constexpr int kRevokeEffectMs = 30000;

    FaultActions(DevCluster *cluster, FaultEventLog *log, QObject *parent = nullptr);
    ~FaultActions() override;

    // The demo's simulated users, for burst and slow-consumer; null: "no demo population".
    void setLoadControl(DemoLoadControl *control) { m_load = control; }
    // The console's reading of a consumer group's Burrow status, for pause-stage1 and
    // resume-stage1 to watch too (FaultStage1Action); none in the devcluster process.
    void setGroupStatusSource(FaultStage1Action::GroupStatusSource source);
    Outcome perform(const protocol::FaultRequest &request);

private:
    using Request = protocol::FaultRequest;
    Outcome refuse(const Request &request, const QString &why);
    Outcome accept(const Request &request, const QString &what, bool watched = true);
    Outcome killOrDrain(const Request &request);
    Outcome start(const Request &request);
    Outcome restartRedis(const Request &request);
    // After Redis is back: each running replica of `replicas` ready, then what its stage 2
    // missed (FaultStage2Watch, against the readings `before` the kill).
    void waitForReplicasAfterRedis(int id, QObject *watch, const QHash<QString, QString> &replicas,
        const FaultStage2Watch::Readings &before);
    Outcome poison(const Request &request);
    Outcome revoke(const Request &request);
    Outcome switchBus(const Request &request);
    Outcome loadAction(const Request &request);
    Outcome stage1(const Request &request);
    // Made at first use: the cluster's Kafka is known once it runs.
    FaultOffsetReader *offsets();

    // The replica-down watch: exited, /healthz/live refused, then (unless restartAfterMs < 0)
    // started again and ready. `done` gets whether all of it was seen.
    void watchReplicaCycle(int eventId, const QString &replica, int restartAfterMs, QObject *watch,
        std::function<void(bool)> done);
    void waitForReady(int eventId, const QString &replica, QObject *watch, std::function<void(bool)> done);
    // GET url; `answered` gets the HTTP status (0: no answer, e.g. connection refused).
    void get(const QString &url, QObject *context, std::function<void(int status)> answered);
    bool ensureProducer(QString *why);
    // A context object for one event's watch: its connections and timers end with it, and it
    // ends the watch as "not observed" at the deadline.
    QObject *startWatch(int eventId, int deadlineMs, const QString &waitingFor);

    DevCluster *m_cluster;
    FaultEventLog *m_log;
    DemoLoadControl *m_load = nullptr;
    QNetworkAccessManager m_http;
    FaultLoadWatch *m_loadWatch; // a child
    FaultStage1Action *m_stage1; // a child
    FaultStage2Watch *m_stage2; // a child
    FaultSessionReader *m_sessions; // a child: the revoke watch's reads of Redis
    FaultRevokeWatch *m_revoke; // a child
    FaultOffsetReader *m_offsets = nullptr; // a child, made at first use
    std::unique_ptr<cluster::KafkaProducer> m_producer;
    bool m_busSwitching = false;
};

} // namespace sb::app
