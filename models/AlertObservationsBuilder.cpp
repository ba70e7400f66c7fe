#include "models/AlertObservationsBuilder.h"

#include "models/KafkaGroupModel.h"
#include "models/KafkaTopicModel.h"
#include "models/ReplicaModel.h"

namespace sb::models {

void AlertObservationsBuilder::addReplicas(AlertObservations *o, const ReplicaModel &replicas)
{
    for (int row = 0; row < replicas.rowCount(); ++row) {
        const inspect::ReplicaInfo &info = replicas.replica(row);
        AlertObservations::Replica r;
        r.id = info.id;
        r.state = info.state;
        r.stateSince = info.stateSince;
        r.reason = info.isDown() ? info.detail : info.stateReason;
        r.connections = info.totalConnections();
        r.heartbeatTimeouts = info.heartbeatTimeouts;
        r.slowConsumerDrops = info.slowConsumerDrops;
        o->replicas.append(r);
    }
}

void AlertObservationsBuilder::addKafka(
    AlertObservations *o, const KafkaGroupModel &groups, const KafkaTopicModel &topics)
{
    for (int row = 0; row < groups.rowCount(); ++row) {
        const inspect::KafkaGroupInfo &info = groups.group(row);
        AlertObservations::ConsumerGroup g { info.id, info.verdict.status, info.verdict.reason,
            info.totalLag };
        if (g.status != inspect::BurrowStatus::Retired && g.status != inspect::BurrowStatus::Down) {
            for (const inspect::KafkaPartitionLag &p : info.partitions) {
                if (inspect::burrowSeverity(p.verdict.status) > inspect::burrowSeverity(g.status)) {
                    g.status = p.verdict.status;
                    g.reason
                        = QStringLiteral("%1[%2]: %3").arg(p.topic).arg(p.partition).arg(p.verdict.reason);
                }
            }
        }
        o->groups.append(g);
    }
    for (int row = 0; row < topics.rowCount(); ++row) {
        const inspect::KafkaTopicInfo &topic = topics.topic(row);
        if (topic.deadLetter)
            o->deadLetterTopics.append({ topic.name, topic.endOffsets });
    }
}

void AlertObservationsBuilder::addRedis(AlertObservations *o, const ConnectionHealth &redis)
{
    switch (redis.state) {
    case ConnectionHealth::State::Up:
    case ConnectionHealth::State::Degraded:
        o->redisReachable = true;
        break;
    case ConnectionHealth::State::Down:
        o->redisReachable = false;
        break;
    case ConnectionHealth::State::Connecting:
    case ConnectionHealth::State::NotConfigured:
        o->redisReachable = std::nullopt;
        break;
    }
    o->redisDetail = redis.detail;
    // Only a connection that answers has a latency worth judging; down is its own alert.
    o->redisLatencyMs = o->redisReachable.value_or(false) ? redis.latencyMs : std::nullopt;
}

void AlertObservationsBuilder::addTap(AlertObservations *o, const QList<inspect::TapSourceStatus> &sources,
    std::optional<qint64> droppedByConsole)
{
    for (const inspect::TapSourceStatus &s : sources)
        if (s.kind == u"tap")
            o->tapSources.append({ s.id, s.droppedBySource });
    o->tapDroppedByConsole = droppedByConsole;
}

} // namespace sb::models
