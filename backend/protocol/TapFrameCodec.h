#pragma once

#include "protocol/TrafficFrame.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QString>

#include <optional>

namespace sb::protocol {

// Decodes the node's tap frames (docs/protocol.md, "Tap frames": one JSON object per
// WebSocket message, or per line of a traffic recording) into TrafficFrames, and encodes
// TrafficFrames back to the same JSON, so a recording, `switchboard tap --format jsonl` and
// the node's own stream are one format. Pure; one decoder per stream, because it shares the
// strings that repeat from frame to frame (a bounded pool: it forgets them all past
// kMaxPooledStrings, so hostile input cannot grow it).
class TapFrameCodec
{
public:
    static constexpr int kMaxPooledStrings = 4096;
    static constexpr qsizetype kMaxFrameBytes = 4 * 1024 * 1024;

    // A frame; or nullopt with *error saying why (not JSON, not an object, a field of the
    // wrong type, too large). Unknown fields are ignored; missing ones stay empty. A
    // "node" field is the frame's source; `defaultSource` fills it when absent.
    std::optional<TrafficFrame> decode(QByteArrayView json, QString *error, const QString &defaultSource = {});

    // One compact JSON object, no newline: the node's tap fields, "node" = the source.
    static QByteArray encode(const TrafficFrame &frame);

    // A node's notice that it dropped frames for this reader (its queue was full): the
    // total so far. Not a frame: {"type":"dropped","dropped":N,"ts":…}.
    static std::optional<qint64> droppedNotice(QByteArrayView json);

private:
    QString shared(const QString &text);

    QHash<QString, QString> m_pool;
};

} // namespace sb::protocol
