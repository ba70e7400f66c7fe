// libFuzzer target for the console's Kafka record renderers: KafkaRecordFrame (a record as the
// Traffic frame the Kafka tail and the dead-letter list show) and FrameBodyText (its body as
// JSON, text or hex, and the whole frame as text for Copy). Every byte of a record is the
// producer's: key, header names and values, value, even the timestamp (CreateTime).
//
// Input: 23 bytes of fixed fields (missing ones read as zero) — flags (bit 0: the record has a
// key, bit 1: the value was cut before, bit 2: the full value size is larger than the value at
// hand, bit 3: a note, bits 4-7: a hex-dump bound), the body limit (uint16), the timestamp
// (int64), the partition (int32), the offset (int64), little-endian — then the topic, the key,
// the value and one part per header, separated by \x01; a header is `name\x02value` (no \x02:
// a null value).
//
// Checks that the frame says exactly what the record holds (headers in order and read back
// the same, the last message-id, the body cut at the limit, bytes and truncated), and that
// each rendering is total and consistent with the others.
#include "inspect/FrameBodyText.h"
#include "inspect/KafkaRecordFrame.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>

using sb::inspect::FrameBodyText;
using sb::inspect::KafkaRecordBytes;
using sb::inspect::KafkaRecordFrame;
using sb::protocol::TrafficFrame;

namespace {

constexpr qsizetype kFixedBytes = 23;

void check(bool condition)
{
    if (!condition)
        std::abort();
}

template<typename T> T readLittleEndian(const QByteArray &fixed, qsizetype at)
{
    std::uint64_t value = 0;
    for (qsizetype i = qsizetype(sizeof(T)) - 1; i >= 0; --i)
        value = (value << 8) | static_cast<unsigned char>(fixed[at + i]);
    T out;
    std::memcpy(&out, &value, sizeof(T)); // the low bytes on a little-endian host
    return out;
}

void checkRendering(const TrafficFrame &frame, unsigned flags)
{
    QString kind;
    const QString hex = FrameBodyText::render(frame.body, FrameBodyText::View::Hex, &kind);
    if (frame.body.isEmpty()) {
        check(hex.isEmpty() && kind == u"empty");
    } else {
        check(kind == u"hex" && hex == FrameBodyText::hexDump(frame.body));
    }
    const QString text = FrameBodyText::render(frame.body, FrameBodyText::View::Text, &kind);
    check(kind == u"empty" || kind == u"text" || kind == u"text (not valid UTF-8)");
    if (kind == u"text")
        check(text == QString::fromUtf8(frame.body));
    const QString automatic = FrameBodyText::render(frame.body, FrameBodyText::View::Auto, &kind);
    check(kind == u"empty" || kind == u"JSON" || kind == u"text" || kind == u"binary, as hex");
    if (kind == u"binary, as hex")
        check(automatic == hex);
    if (kind == u"text")
        check(automatic == text);

    // A bounded dump: one line per 16 bytes shown, then one saying how many more there were.
    const qsizetype bound = qsizetype(flags >> 4) * 16 + 3;
    const QString dump = FrameBodyText::hexDump(frame.body, bound);
    const qsizetype shown = qMin(frame.body.size(), bound);
    const qsizetype lines = (shown + 15) / 16 + (shown < frame.body.size() ? 1 : 0);
    check(dump.count(u'\n') == lines);

    const QString copied = FrameBodyText::frameAsText(frame);
    const QString copiedBody = u'\n' + automatic + u'\n';
    check(copied.endsWith(copiedBody));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QByteArray fixed = input.left(kFixedBytes).leftJustified(kFixedBytes, '\0');
    const auto flags = static_cast<unsigned char>(fixed[0]);
    const qsizetype bodyLimit = readLittleEndian<std::uint16_t>(fixed, 1);
    const QList<QByteArray> parts = input.mid(kFixedBytes).split('\x01');

    KafkaRecordBytes record;
    record.timestampMs = readLittleEndian<std::int64_t>(fixed, 3);
    record.partition = readLittleEndian<std::int32_t>(fixed, 11);
    record.offset = readLittleEndian<std::int64_t>(fixed, 15);
    record.topic = QString::fromUtf8(parts.value(0));
    record.hasKey = flags & 1;
    const QByteArray key = parts.value(1);
    if (record.hasKey)
        record.key = key;
    const QByteArray value = parts.value(2);
    record.value = value;
    record.valueCut = flags & 2;
    if (flags & 4)
        record.valueBytes = value.size() + bodyLimit + 1;
    QList<TrafficFrame::Header> expected { { QStringLiteral("partition"), QString::number(record.partition) },
        { QStringLiteral("offset"), QString::number(record.offset) } };
    if (record.hasKey)
        expected.append({ QStringLiteral("key"), QString::fromUtf8(key) });
    QString messageId;
    for (qsizetype i = 3; i < parts.size(); ++i) {
        const qsizetype split = parts[i].indexOf('\x02');
        const QByteArrayView part(parts[i]);
        const QByteArrayView name = split < 0 ? part : part.first(split);
        const QByteArrayView headerValue = split < 0 ? QByteArrayView() : part.sliced(split + 1);
        record.headers.append({ name, headerValue });
        expected.append({ QString::fromUtf8(name), QString::fromUtf8(headerValue) });
        if (name == "message-id")
            messageId = QString::fromUtf8(headerValue);
    }
    if (flags & 8) {
        record.notes.append({ QStringLiteral("(note)"), QString::fromUtf8(key) });
        expected.append(record.notes);
    }

    const TrafficFrame frame = KafkaRecordFrame::build(record, bodyLimit);
    check(
        frame.transport == TrafficFrame::Transport::Kafka && frame.direction == TrafficFrame::Direction::In);
    check(frame.destination == record.topic && frame.tsMs == record.timestampMs);
    check(frame.headers() == expected);
    check(frame.messageId == messageId);
    const qsizetype fullSize = (flags & 4) ? record.valueBytes : value.size();
    check(frame.bytes == fullSize);
    check(frame.body == value.left(bodyLimit));
    check(frame.truncated == (record.valueCut || fullSize > frame.body.size()));
    checkRendering(frame, flags);
    return 0;
}
