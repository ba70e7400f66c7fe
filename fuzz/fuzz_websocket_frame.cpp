// libFuzzer target for WebSocketFrameDecoder (RFC 6455 §5, a client's frames as the node reads
// them). Input: bytes a client might send after the handshake; the decoder's limit is 4096.
// Invariants:
//  1. no crash, no sanitizer report, no unbounded recursion (10,000s of fragments);
//  2. the split does not matter: fed whole, or in pieces cut where the input's first byte
//     says, the events (and the error, if any) are the same;
//  3. what comes out keeps the decoder's contract: a message within the limit, a text one
//     valid UTF-8; a ping or pong of at most 125 bytes; a close code a client may send (or
//     1005, none) with a UTF-8 reason; an error with 1002, 1007 or 1009 and a reason;
//  4. the events, framed again as a client would, decode to the same events.
#include "protocol/Utf8Validator.h"
#include "protocol/WebSocketFrameDecoder.h"

#include <QByteArray>
#include <QList>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace sb::protocol;
using Status = WebSocketFrameDecoder::Status;

namespace {

constexpr qint64 kLimit = 4096;

struct Event
{
    Status status = Status::NeedMoreData;
    bool text = false;
    QByteArray payload;
    quint16 code = 0;
    bool operator==(const Event &other) const
    {
        return status == other.status && text == other.text && payload == other.payload && code == other.code;
    }
};

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

// Every event until the decoder needs more, then more input; stops at a close or an error.
QList<Event> decode(QByteArrayView input, qsizetype step)
{
    WebSocketFrameDecoder decoder(kLimit);
    QList<Event> events;
    for (qsizetype at = 0; at < input.size(); at += step) {
        decoder.feed(input.sliced(at, qMin(step, input.size() - at)));
        for (Status status = decoder.next(); status != Status::NeedMoreData; status = decoder.next()) {
            Event event;
            event.status = status;
            if (status == Status::Error) {
                event.code = decoder.errorCode();
                check(event.code == 1002 || event.code == 1007 || event.code == 1009, "error code");
                check(!decoder.errorString().isEmpty(), "every error says why");
                events.append(event);
                return events;
            }
            if (status == Status::Close) {
                event.code = decoder.closeCode();
                event.payload = decoder.closeReason();
                check(
                    event.code == 1005 || WebSocketFrameDecoder::isValidCloseCode(event.code), "close code");
                check(isValidUtf8(event.payload), "close reason UTF-8");
                events.append(event);
                return events;
            }
            event.text = decoder.isText();
            event.payload = decoder.takePayload();
            if (status == Status::Message) {
                check(event.payload.size() <= kLimit, "message within the limit");
                check(!event.text || isValidUtf8(event.payload), "text is UTF-8");
            } else {
                check(event.payload.size() <= 125, "control payload <= 125");
            }
            events.append(event);
        }
    }
    return events;
}

void appendFrame(QByteArray &out, int opcode, const QByteArray &payload)
{
    out.append(char(0x80 | opcode));
    const qsizetype size = payload.size();
    if (size < 126) {
        out.append(char(0x80 | size));
    } else if (size <= 0xFFFF) {
        out.append(char(0x80 | 126)).append(char(size >> 8)).append(char(size & 0xFF));
    } else {
        out.append(char(0x80 | 127));
        for (int shift = 56; shift >= 0; shift -= 8)
            out.append(char((quint64(size) >> shift) & 0xFF));
    }
    const char key[4] = { 1, 2, 3, 4 };
    out.append(key, 4);
    for (qsizetype i = 0; i < size; ++i)
        out.append(char(payload.at(i) ^ key[i % 4]));
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView input(reinterpret_cast<const char *>(data), qsizetype(size));
    const QList<Event> whole = decode(input, qMax<qsizetype>(1, input.size()));
    const qsizetype step = input.isEmpty() ? 1 : qsizetype(uchar(input.at(0)) % 17) + 1;
    check(decode(input, step) == whole, "the split changes nothing");

    // Framed again (only what decoded cleanly: an error's input has no re-framing).
    QByteArray again;
    QList<Event> expected;
    for (const Event &event : whole) {
        if (event.status == Status::Error)
            break;
        if (event.status == Status::Close) {
            QByteArray payload;
            if (event.code != 1005)
                payload = QByteArray(1, char(event.code >> 8)) + char(event.code & 0xFF) + event.payload;
            appendFrame(again, 0x8, payload);
        } else {
            const int opcode = event.status == Status::Ping ? 0x9
                : event.status == Status::Pong              ? 0xA
                : event.text                                ? 0x1
                                                            : 0x2;
            appendFrame(again, opcode, event.payload);
        }
        expected.append(event);
    }
    check(decode(again, qMax<qsizetype>(1, again.size())) == expected, "re-framed events decode the same");
    return 0;
}
