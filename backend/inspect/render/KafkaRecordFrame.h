#pragma once

#include "inspect/KafkaRecordBytes.h"
#include "protocol/TrafficFrame.h"

namespace sb::inspect {

// A Kafka record as a Traffic frame, the one form the console shows records in (the Traffic
// area's Kafka tail, the Kafka area's dead letters, both drawn by the same detail pane):
// transport Kafka, direction In, destination the topic, headers `partition`, `offset`, `key`
// (when the record has one) then every record header in order, then the notes; messageId from
// the last `message-id` header (as KafkaRecord::header() reads it); the value as the body, cut
// at bodyLimit (`bytes` keeps the full size, `truncated` says it was cut). The caller sets
// source and command. Pure; fuzzed (fuzz_kafka_record_frame).
class KafkaRecordFrame
{
public:
    static protocol::TrafficFrame build(const KafkaRecordBytes &record, qsizetype bodyLimit);
};

} // namespace sb::inspect
