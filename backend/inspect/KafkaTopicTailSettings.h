#pragma once

#include "cluster/KafkaSettings.h"

#include <QByteArray>
#include <QStringList>

#include <chrono>

namespace sb::inspect {

// What KafkaTopicTail reads, from where, and how much of each record it keeps.
struct KafkaTopicTailSettings
{
    enum class StartFrom {
        Latest, // only what is produced after the tail is Live
        Earliest, // everything each partition still holds
        Offset, // startOffset in every partition, clamped to what the partition holds
        Time, // each partition's first record with a timestamp at or after startTimeMs
    };

    // Bootstrap servers and the operator's librdkafka properties (SASL/SSL, ...), as for
    // every other Kafka client of the project.
    cluster::KafkaSettings kafka;
    // Every partition of each is read (found through metadata when the tail starts).
    QStringList topics;
    StartFrom startFrom = StartFrom::Latest;
    qint64 startOffset = 0;
    qint64 startTimeMs = 0; // ms since the epoch
    // librdkafka's assign() wants a group.id even though the tail never joins, commits or
    // fetches offsets for it. Empty: a unique throwaway `switchboard-tail-<uuid>`. Name one
    // where ACLs only let the console describe certain groups.
    QByteArray groupId;
    // Value bytes kept per frame; the rest is cut and the frame marked truncated (bytes
    // still says the full size).
    qsizetype bodyLimit = 4096;
    // A batch is handed over when it holds this many frames, or this long after its first;
    // after a full batch the tail waits maxBatchMs before taking more, so at most
    // maxBatchFrames per maxBatchMs leave it and the rest waits in Kafka.
    int maxBatchFrames = 500;
    int maxBatchMs = 50;
    // Each metadata or offset lookup blocks the worker thread for at most this long (also
    // the bound on how late stop() can be while the tail is starting).
    int requestTimeoutMs = 2000;
    // Starting again after a failure (unknown topic, brokers unreachable): min, doubling, capped.
    std::chrono::milliseconds retryMin { 1000 };
    std::chrono::milliseconds retryMax { 30000 };
};

} // namespace sb::inspect
