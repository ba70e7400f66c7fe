#pragma once

#include <QByteArray>
#include <QList>

namespace sb::cluster {

// What one KafkaConsumer subscribes to and how it batches. The defaults are production
// ones; tests lower the group timings so rebalances take well under a second.
struct KafkaConsumerOptions
{
    QByteArray groupId;
    QList<QByteArray> topics;
    QByteArray clientId = QByteArrayLiteral("switchboard");
    // Where a group with no committed offset starts: "earliest" (stage 1: nothing
    // produced before the first replica came up is lost) or "latest" (stage 2: a new boot
    // never replays old broadcasts). "latest" is resolved eagerly at assignment, see
    // KafkaConsumer.
    QByteArray autoOffsetReset = QByteArrayLiteral("earliest");
    // With "latest": where a partition with no committed offset starts. false: its end when
    // the group assigns it (a per-boot broadcast group: readiness waits for that). true: its
    // end when start() was called, read there before it returns (at most a few seconds when
    // the cluster does not answer; then as with false). For a control feed whose events must
    // reach whatever its owner took on after starting it, though the group assigns seconds
    // later (KafkaTopicFeed).
    bool latestAsOfStart = false;
    // A batch closes at whichever comes first.
    // How long a fetch may wait for data. A real broker answers as soon as data arrives,
    // so this bounds only idle polling; librdkafka's mock cluster waits it out, so the
    // librdkafka default (500 ms) would add up to half a second per stage on the demo.
    int fetchWaitMaxMs = 50;
    int maxBatchRecords = 500;
    int maxBatchMs = 50;
    // A member silent this long is dropped from the group (and its partitions move on).
    int sessionTimeoutMs = 10000;
    int heartbeatIntervalMs = 1000;

    // A group nothing will use again (a replica's per-boot groups): close() retires it.
    // Before leaving, it commits its offsets once more with a RetiredGroupMark in their
    // metadata, so the group itself says it was left on purpose; once left, it deletes the
    // group (DeleteGroups), waiting at most retireTimeoutMs. A broker that cannot delete
    // groups (librdkafka's mock cluster) keeps it, marked.
    bool retireGroupOnClose = false;
    int retireTimeoutMs = 3000;
};

} // namespace sb::cluster
