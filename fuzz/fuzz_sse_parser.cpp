// libFuzzer target for SseParser. Input: one byte seeding the chunk sizes (and, odd or
// even, small or default limits), then the stream bytes. Checks that chunked and
// one-shot parsing agree, and that every parsed event survives SseEncoder + SseParser.
#include "protocol/SseEncoder.h"
#include "protocol/SseParser.h"

#include <QList>

#include <cstdint>
#include <cstdlib>

using namespace sb::protocol;

namespace {

QList<SseEvent> drain(SseParser &parser)
{
    QList<SseEvent> events;
    while (const auto event = parser.next())
        events.append(*event);
    return events;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    uint32_t seed = data[0] | 1u;
    const bool small = data[0] & 1;
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));
    const qsizetype maxLine = small ? 64 : 65536;
    const qsizetype maxEvent = small ? 256 : 1024 * 1024;

    SseParser whole(maxLine, maxEvent);
    whole.feed(input);
    const QList<SseEvent> wholeEvents = drain(whole);

    SseParser chunked(maxLine, maxEvent);
    QList<SseEvent> chunkedEvents;
    for (qsizetype offset = 0; offset < input.size();) {
        seed = seed * 1103515245u + 12345u;
        const qsizetype step = qMin<qsizetype>(1 + (seed >> 16) % 13, input.size() - offset);
        chunked.feed(input.sliced(offset, step));
        offset += step;
        chunkedEvents += drain(chunked);
    }

    if (wholeEvents != chunkedEvents || whole.hasError() != chunked.hasError()
        || whole.lastEventId() != chunked.lastEventId()
        || whole.reconnectionTimeMs() != chunked.reconnectionTimeMs()
        || whole.commentCount() != chunked.commentCount()) {
        std::abort();
    }

    for (const SseEvent &event : wholeEvents) {
        SseParser again(1 << 24, 1 << 24);
        again.feed(SseEncoder::encode(event));
        const auto parsed = again.next();
        if (!parsed || *parsed != event || again.next())
            std::abort();
    }
    return 0;
}
