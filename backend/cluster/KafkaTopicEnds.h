#pragma once

#include <librdkafka/rdkafka.h>

#include <QByteArray>
#include <QHash>
#include <QString>

#include <optional>

namespace sb::cluster {

// Where each partition of `topic` ends now (its high watermark: the offset the next record
// gets), asked through `rk` (any client handle), all within `timeoutMs`; nullopt with
// *error if the cluster did not say for every partition in time. Blocks: for a start-up
// step or a client's own thread, never a worker.
std::optional<QHash<int, qint64>> readTopicEnds(
    rd_kafka_t *rk, const QByteArray &topic, int timeoutMs, QString *error);

} // namespace sb::cluster
