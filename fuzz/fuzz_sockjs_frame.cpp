// libFuzzer target for SockJsFrame. Input: one SockJS frame as a server would send it.
// Checks that decoding never crashes or accepts what its contract refuses, and that every
// accepted frame survives encode + decode unchanged (and encodes the same way twice).
// The client side's encodeMessages() is fed the same bytes split into messages and must
// decode back (as an `a` frame) to exactly those messages' UTF-8.
#include "protocol/SockJsFrame.h"
#include "protocol/Utf8Validator.h"

#include <QByteArrayList>
#include <QString>

#include <cstdint>
#include <cstdlib>

using namespace sb::protocol;

namespace {

bool sameFrame(const SockJsFrame &a, const SockJsFrame &b)
{
    return a.type == b.type && a.messages == b.messages && a.closeCode == b.closeCode
        && a.closeReason == b.closeReason;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));

    QString error;
    const auto frame = SockJsFrame::decode(input, &error);
    if (!frame) {
        if (error.isEmpty())
            std::abort(); // every refusal says why
    } else {
        if (!isValidUtf8(input))
            std::abort(); // invalid UTF-8 must never be accepted
        for (const QByteArray &message : frame->messages)
            if (!isValidUtf8(message))
                std::abort(); // escapes never produce invalid UTF-8 (no lone surrogates)
        const QByteArray encoded = SockJsFrame::encode(*frame);
        const auto again = SockJsFrame::decode(encoded, &error);
        if (!again || !sameFrame(*frame, *again) || SockJsFrame::encode(*again) != encoded)
            std::abort();
    }

    // The client's encoder: split the input at '|' into messages; the JSON it writes must
    // decode (inside an `a` frame) to the same messages, valid UTF-8 ones unchanged.
    if (isValidUtf8(input)) {
        const QByteArrayList messages = input.toByteArray().split('|');
        const QByteArray json = SockJsFrame::encodeMessages(messages);
        const auto decoded = SockJsFrame::decode(QByteArray('a' + json), &error, qsizetype(json.size()) + 1);
        if (!decoded || decoded->messages != messages)
            std::abort();
    }
    return 0;
}
