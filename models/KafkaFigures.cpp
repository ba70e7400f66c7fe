#include "models/KafkaFigures.h"

namespace sb::models {

KafkaFigures KafkaFigures::from(const inspect::KafkaClusterSnapshot &snapshot)
{
    KafkaFigures f;
    f.polls = snapshot.poll;
    f.at = snapshot.at;
    f.reachable = snapshot.reachable;
    f.error = snapshot.error;
    f.retryInMs = snapshot.retryInMs;
    f.groupsNote = snapshot.groupsNote;
    f.brokers = snapshot.brokers;
    f.topics = int(snapshot.topics.size());
    f.partitions = snapshot.partitionCount();
    f.groups = int(snapshot.groups.size());
    f.pollMs = snapshot.pollMs;
    for (const auto &g : snapshot.groups) {
        const inspect::BurrowStatus status = g.verdict.status;
        f.totalLag += status == inspect::BurrowStatus::Retired ? 0 : g.totalLag;
        f.groupsInError += status == inspect::BurrowStatus::Err ? 1 : 0;
        f.groupsLagging += status == inspect::BurrowStatus::Warn ? 1 : 0;
        f.groupsDown += status == inspect::BurrowStatus::Down ? 1 : 0;
        f.groupsRetired += status == inspect::BurrowStatus::Retired ? 1 : 0;
    }
    for (const auto &t : snapshot.topics)
        f.deadLetters += t.deadLetter ? t.endOffsets : 0;
    return f;
}

QJsonObject KafkaFigures::toJson() const
{
    return { { QStringLiteral("reachable"), reachable }, { QStringLiteral("error"), error },
        { QStringLiteral("brokers"), brokers }, { QStringLiteral("topics"), topics },
        { QStringLiteral("partitions"), partitions }, { QStringLiteral("groups"), groups },
        { QStringLiteral("groupsInError"), groupsInError },
        { QStringLiteral("groupsLagging"), groupsLagging }, { QStringLiteral("groupsDown"), groupsDown },
        { QStringLiteral("groupsRetired"), groupsRetired }, { QStringLiteral("totalLag"), double(totalLag) },
        { QStringLiteral("deadLetters"), double(deadLetters) },
        { QStringLiteral("pollMs"), double(pollMs) } };
}

} // namespace sb::models
