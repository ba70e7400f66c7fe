#include "inspect/KafkaRecordFrame.h"

#include <algorithm>

namespace sb::inspect {

using protocol::TrafficFrame;

TrafficFrame KafkaRecordFrame::build(const KafkaRecordBytes &record, qsizetype bodyLimit)
{
    TrafficFrame frame;
    frame.tsMs = record.timestampMs;
    frame.transport = TrafficFrame::Transport::Kafka;
    frame.direction = TrafficFrame::Direction::In;
    frame.destination = record.topic;
    QList<TrafficFrame::Header> headers;
    headers.reserve(3 + record.headers.size() + record.notes.size());
    headers.append({ QStringLiteral("partition"), QString::number(record.partition) });
    headers.append({ QStringLiteral("offset"), QString::number(record.offset) });
    if (record.hasKey)
        headers.append({ QStringLiteral("key"), QString::fromUtf8(record.key) });
    for (const auto &[name, value] : record.headers) {
        const QString headerName = QString::fromUtf8(name);
        const QString text = QString::fromUtf8(value);
        if (headerName == u"message-id")
            frame.messageId = text; // the last one wins, as KafkaRecord::header() reads it
        headers.append({ headerName, text });
    }
    headers.append(record.notes);
    frame.setHeaders(headers);
    const qsizetype size = record.valueBytes >= 0 ? record.valueBytes : record.value.size();
    const qsizetype kept = std::clamp<qsizetype>(bodyLimit, 0, record.value.size());
    frame.bytes = size;
    frame.truncated = record.valueCut || size > kept;
    if (kept > 0)
        frame.body = record.value.first(kept).toByteArray();
    return frame;
}

} // namespace sb::inspect
