#pragma once

#include <QByteArrayView>
#include <QtGlobal>

namespace sb::cluster {

// Where a bus record came from, handed to the EventBus handlers beside its payload so the
// replica can show the hop (the node's tap: STAGE1, BROADCAST) without the cluster layer
// knowing anything of the tap. Views, not copies: building one costs nothing on the hot
// path; they are valid only during the handler call (copy what you keep).
struct BusHop
{
    enum class Medium : quint8 {
        Local, // LocalEventBus: one process, no hop to show
        Kafka, // a Kafka record: topic, partition, offset, key
        Redis, // a Redis pub/sub message: topic is the Redis channel
    };

    Medium medium = Medium::Local;
    QByteArrayView topic; // Kafka topic or Redis channel
    int partition = -1; // Kafka only
    qint64 offset = -1; // Kafka only
    QByteArrayView key; // Kafka only: the record key (the chat channel id, or a user)
};

} // namespace sb::cluster
