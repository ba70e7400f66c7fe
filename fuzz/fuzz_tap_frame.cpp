// libFuzzer target for TapFrameCodec (the tap stream, traffic recordings and
// `switchboard tap` output). Checks that every frame it accepts survives encode + decode
// unchanged, that the single-pass scanner reads every input exactly as the QJsonDocument
// reading does (same frame, or the same error), and that the dropped-notice reader never
// crashes.
#include "protocol/TapFrameCodec.h"

#include <cstdint>
#include <cstdlib>

using namespace sb::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    TapFrameCodec::droppedNotice(input);
    TapFrameCodec codec;
    QString error;
    const auto frame = codec.decode(input, &error);
    TapFrameCodec reference(TapFrameCodec::Reading::Reference);
    QString referenceError;
    const auto referenceFrame = reference.decode(input, &referenceError);
    if (frame.has_value() != referenceFrame.has_value() || (!frame && error != referenceError))
        std::abort();
    if (frame
        && (TapFrameCodec::encode(*frame) != TapFrameCodec::encode(*referenceFrame)
            || frame->headerBlock != referenceFrame->headerBlock))
        std::abort();
    if (!frame) {
        if (error.isEmpty())
            std::abort(); // a refusal always says why
        return 0;
    }
    TapFrameCodec again;
    const auto back = again.decode(TapFrameCodec::encode(*frame), &error);
    if (!back || back->tsMs != frame->tsMs || back->source != frame->source
        || back->transport != frame->transport || back->direction != frame->direction
        || back->command != frame->command || back->destination != frame->destination
        || back->user != frame->user || back->session != frame->session || back->messageId != frame->messageId
        || back->bytes != frame->bytes || back->body != frame->body || back->truncated != frame->truncated)
        std::abort();
    // Headers: the JSON object keeps one value per name (the first), in its own order.
    for (const auto &[name, value] : back->headers())
        if (frame->header(name) != value)
            std::abort();
    return 0;
}
