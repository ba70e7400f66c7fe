#pragma once

#include "cluster/KafkaRecord.h"

#include <QByteArray>
#include <QtGlobal>

namespace sb::cluster {

// The stage-1 record a stage-2 message was relayed from: its partition and offset in
// {prefix}.MessageCreatedEvent. The relay sends each partition's records in offset order,
// so a receiver that remembers the last offset it delivered per partition can tell a
// repeat (an offset not above it) and knows where to read what it missed.
struct BroadcastOrigin
{
    int partition = -1;
    qint64 offset = -1;

    bool isValid() const { return partition >= 0 && offset >= 0; }

    // The bus message for `payload` (a JSON object, as the bus carries): the origin goes in
    // front as a first member, {"stage1":[partition,offset],…}, so anything reading the
    // bus as JSON (the console's Redis monitor) still reads it. A payload that does not
    // start with '{' or is an empty object is sent as it is (no origin).
    static QByteArray frame(const QByteArray &payload, BroadcastOrigin origin);
    // The origin and the payload as the relay had it, when `message` was framed; else
    // `message` itself and an invalid origin.
    static BroadcastOrigin unframe(const QByteArray &message, QByteArray *payload);

    // On the broadcast topic the payload stays as it is and the origin rides in a header,
    // "stage1-origin: <partition>,<offset>": a replica listening on both buses during a
    // switch (KafkaEventBusOptions::bridgeBuses) drops the second copy of a record by it.
    static constexpr QByteArrayView kKafkaHeader = "stage1-origin";
    QByteArray headerValue() const;
    // The origin a broadcast record carries; invalid when it has none (or a malformed one).
    static BroadcastOrigin fromHeaders(const KafkaHeaders &headers);
};

} // namespace sb::cluster
