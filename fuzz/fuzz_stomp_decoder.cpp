// libFuzzer target for StompDecoder. Input: one byte selecting accept mode, version and
// limits, one byte seeding the chunk sizes, then the wire bytes. Checks that
//  - decoding in random chunks gives the same frames, heart-beats and failure as
//    decoding all at once (the incremental state machine loses nothing at a split);
//  - every decoded frame survives encode + decode unchanged (content-length aside,
//    which the encoder adds for every non-empty body).
#include "protocol/StompDecoder.h"
#include "protocol/StompEncoder.h"

#include <QList>

#include <cstdint>
#include <cstdlib>

using namespace sb::protocol;

namespace {

struct Outcome
{
    QList<StompFrame> frames;
    qint64 heartBeats = 0;
    bool failed = false;
};

void drain(StompDecoder &decoder, Outcome &outcome)
{
    for (;;) {
        switch (decoder.next()) {
        case StompDecoder::Status::NeedMoreData:
            return;
        case StompDecoder::Status::Frame:
            outcome.frames.append(decoder.takeFrame());
            break;
        case StompDecoder::Status::HeartBeat:
            ++outcome.heartBeats;
            break;
        case StompDecoder::Status::Error:
            if (decoder.errorString().isEmpty() || decoder.errorString().contains(u'\n'))
                std::abort();
            outcome.failed = true;
            return;
        }
    }
}

StompFrame withoutContentLength(StompFrame frame)
{
    frame.removeHeader("content-length");
    return frame;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    const uint8_t mode = data[0];
    uint32_t seed = data[1] | 1u;
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 2, qsizetype(size - 2));

    const auto accept = static_cast<StompDecoder::Accept>(mode % 3);
    const StompVersion versions[] = { StompVersion::V1_2, StompVersion::V1_1, StompVersion::V1_0 };
    const StompVersion version = versions[(mode / 3) % 3];
    StompLimits limits;
    if (mode & 0x80)
        limits = StompLimits { 512, 6, 40 }; // small, so the fuzzer reaches every limit

    StompDecoder whole(accept, limits);
    whole.setVersion(version);
    Outcome wholeOutcome;
    whole.feed(input);
    drain(whole, wholeOutcome);

    StompDecoder chunked(accept, limits);
    chunked.setVersion(version);
    Outcome chunkedOutcome;
    for (qsizetype offset = 0; offset < input.size() && !chunkedOutcome.failed;) {
        seed = seed * 1103515245u + 12345u; // deterministic per input, so crashes reproduce
        const qsizetype step = qMin<qsizetype>(1 + (seed >> 16) % 17, input.size() - offset);
        chunked.feed(input.sliced(offset, step));
        offset += step;
        drain(chunked, chunkedOutcome);
    }

    if (wholeOutcome.failed != chunkedOutcome.failed || wholeOutcome.frames != chunkedOutcome.frames
        || wholeOutcome.heartBeats != chunkedOutcome.heartBeats) {
        std::abort();
    }

    for (const StompFrame &frame : std::as_const(wholeOutcome.frames)) {
        StompDecoder again(StompDecoder::Accept::AnyFrames, StompLimits { 1 << 20, 1 << 10, 1 << 20 });
        again.setVersion(version);
        again.feed(StompEncoder::encode(frame, version));
        if (again.next() != StompDecoder::Status::Frame)
            std::abort();
        if (withoutContentLength(again.takeFrame()) != withoutContentLength(frame))
            std::abort();
        if (again.next() != StompDecoder::Status::NeedMoreData)
            std::abort();
    }
    return 0;
}
