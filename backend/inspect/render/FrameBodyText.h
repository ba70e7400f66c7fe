#pragma once

#include "protocol/TrafficFrame.h"

#include <QByteArray>
#include <QString>

namespace sb::inspect {

// How the console shows a frame's body and a whole frame as text: the Traffic area's detail
// pane (tap, probe, Redis pub/sub and Kafka frames), the Kafka area's dead letters and Copy.
// A body is whatever a client, a replica or a producer sent, so these take any bytes and never
// fail. Pure; fuzzed (fuzz_kafka_record_frame renders every record it builds with them).
class FrameBodyText
{
public:
    enum class View { Auto, Text, Hex };

    // The body as `view` asks, and in *kind what it turned out to be ("JSON", "text",
    // "binary, as hex", ...). Auto: pretty JSON for an object or array, else the UTF-8 text,
    // else hex.
    static QString render(const QByteArray &body, View view, QString *kind = nullptr);
    // 16 bytes a line: offset, hex (a gap after 8), printable ASCII; at most maxBytes, then a
    // line saying how many more there were.
    static QString hexDump(const QByteArray &bytes, qsizetype maxBytes = 64 * 1024);
    // The frame as plain text: a summary line, "name: value" headers, a blank line, the body
    // as Auto renders it.
    static QString frameAsText(const protocol::TrafficFrame &frame);
};

} // namespace sb::inspect
