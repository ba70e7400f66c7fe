#pragma once

#include "protocol/TrafficFrame.h"

#include <QByteArrayView>
#include <QList>
#include <QString>

#include <utility>

namespace sb::inspect {

// One Kafka record as the console is about to show it: views over bytes someone else owns (a
// librdkafka message being consumed, a dead letter the Kafka area listed), valid while
// KafkaRecordFrame::build() runs. No librdkafka type, so the renderer is pure and fuzzable.
struct KafkaRecordBytes
{
    QString topic;
    int partition = -1;
    qint64 offset = -1;
    qint64 timestampMs = -1;
    bool hasKey = false; // a null key and an empty one are different records
    QByteArrayView key;
    QList<std::pair<QByteArrayView, QByteArrayView>> headers; // in order; names may repeat
    QByteArrayView value; // what is at hand, maybe already cut by whoever read it
    qsizetype valueBytes = -1; // the record's full value size; -1: value.size()
    bool valueCut = false; // whoever read it kept only part of the value
    // The console's own remarks, shown after the record's headers ("(cannot be redriven)").
    QList<protocol::TrafficFrame::Header> notes;
};

} // namespace sb::inspect
