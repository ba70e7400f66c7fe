#pragma once

#include "protocol/TrafficFrame.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QHash>
#include <QString>

#include <optional>

namespace sb::protocol {

// Decodes the node's tap frames (docs/protocol.md, "Tap frames": one JSON object per line
// of a WebSocket message or of a traffic recording) into TrafficFrames, and encodes
// TrafficFrames back to the same JSON, so a recording, `switchboard tap --format jsonl` and
// the node's own stream are one format. Pure; one decoder per stream, because it shares the
// strings that repeat from frame to frame (a bounded pool: it forgets them all past
// kMaxPooledStrings, so hostile input cannot grow it).
class TapFrameCodec
{
public:
    static constexpr int kMaxPooledStrings = 4096;
    static constexpr qsizetype kMaxFrameBytes = 4 * 1024 * 1024;

    // How frames are read. Scanner is the default; Reference reads every frame with
    // QJsonDocument only, so tests and the fuzzer can check the scanner against it.
    enum class Reading { Scanner, Reference };
    explicit TapFrameCodec(Reading reading = Reading::Scanner)
        : m_reading(reading)
    { }

    // A frame; or nullopt with *error saying why (not JSON, not an object, a field of the
    // wrong type, too large). Unknown fields are ignored; missing ones stay empty. A
    // "node" field is the frame's source; `defaultSource` fills it when absent.
    std::optional<TrafficFrame> decode(
        QByteArrayView json, QString *error, const QString &defaultSource = {});

    // How many frames the scanner read; the others went to the QJsonDocument reading.
    qint64 scannedFrames() const { return m_scannedFrames; }

    // One compact JSON object, no newline: the node's tap fields, "node" = the source.
    static QByteArray encode(const TrafficFrame &frame);

    // A node's notice that it dropped frames for this reader (its queue was full): the
    // total so far. Not a frame: {"type":"dropped","dropped":N,"ts":…}.
    static std::optional<qint64> droppedNotice(QByteArrayView json);

private:
    // The node's frames (compact JSON, plain ASCII keys, each field once) are read by a
    // single-pass scanner (TapJsonScanner) straight from the bytes, ~6x faster than QJsonDocument; anything
    // else it is not sure to read exactly as QJsonDocument does (an error, a duplicate or
    // escaped key, a fraction, a lone surrogate, invalid UTF-8, deep nesting…) goes to
    // decodeDocument(), the QJsonDocument reading, which stays the reference.
    std::optional<TrafficFrame> decodeDocument(
        QByteArrayView json, QString *error, const QString &defaultSource);
    std::optional<TrafficFrame> decodeScanned(QByteArrayView json, const QString &defaultSource);
    enum PooledField { NodeField, CommandField, DestinationField, UserField, SessionField, PooledFieldCount };

    QString shared(const QString &text);
    QString sharedUtf8(QByteArrayView utf8, PooledField field);

    Reading m_reading;
    qint64 m_scannedFrames = 0;
    QHash<QString, QString> m_pool;
    QHash<QByteArray, QString> m_utf8Pool; // the same strings, looked up by their bytes
    // The last string each field had (a frame mostly repeats its predecessor's node and
    // command): compared before anything is hashed.
    QString m_recent[PooledFieldCount];
    // A message's deliveries follow one another and carry its id: they share one string.
    QByteArray m_lastMessageIdUtf8;
    QString m_lastMessageId;
    QByteArray m_scratch; // unescaped string bytes, reused
    QByteArray m_block; // the header block being written, reused
};

} // namespace sb::protocol
