#pragma once

#include <librdkafka/rdkafka.h>

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>
#include <utility>

namespace sb::cluster {

// How many partitions `topic` has (partitions 0 to N-1), asked through `rk` (any client
// handle) within `timeoutMs`; nullopt with *error ("metadata of TOPIC: …") otherwise.
// Blocks, as the functions below: for a start-up step or a client's own thread, never a worker.
std::optional<int> readPartitionCount(rd_kafka_t *rk, const QByteArray &topic, int timeoutMs, QString *error);

// Where each partition of `topic` ends now (its high watermark: the offset the next record
// gets), all within `timeoutMs`; nullopt with *error if the cluster did not say for every
// partition in time.
std::optional<QHash<int, qint64>> readTopicEnds(
    rd_kafka_t *rk, const QByteArray &topic, int timeoutMs, QString *error);

// readTopicEnds for each of `topics`, all within `timeoutMs`: (topic, partition) -> its end.
// A topic the cluster did not answer for in time is left out, its error added to *errors.
QHash<std::pair<QByteArray, int>, qint64> readTopicsEnds(
    rd_kafka_t *rk, const QList<QByteArray> &topics, int timeoutMs, QStringList *errors);

} // namespace sb::cluster
