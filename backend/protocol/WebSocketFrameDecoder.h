#pragma once

#include "protocol/Utf8Validator.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <utility>

namespace sb::protocol {

// Incremental RFC 6455 §5 decoder of what a client sends a server once the handshake is done:
// feed() bytes as they arrive (any split, down to one byte) and call next() until it returns
// NeedMoreData. Data frames come out as whole messages (fragments joined, unmasked); control
// frames (ping, pong, close) as they arrive, also between a message's fragments.
//
// Everything a server must refuse is an Error, with the close code to answer it with:
// - 1002 (protocol error): an unmasked frame (§5.1), reserved bits set (no extension is ever
//   negotiated), a reserved opcode, a fragmented control frame or one over 125 bytes
//   (§5.5), a continuation with nothing to continue or a new message inside a fragmented one
//   (§5.4), a length not in its shortest form or with the 64-bit length's top bit set
//   (§5.2), a close frame with a 1-byte payload or a code no endpoint may send (§7.4);
// - 1007: a text message, or a close reason, that is not UTF-8 (§8.1), found at the first
//   bad fragment;
// - 1009: a message that would exceed the limit, found from a frame's header, before its
//   payload is buffered.
// An error is final: later feeds are ignored and next() keeps returning Error.
//
// What is buffered is at most the frame being read and the message being joined; once
// everything fed has been decoded the buffer holds no memory (an idle connection costs
// none here).
class WebSocketFrameDecoder
{
public:
    enum class Status {
        NeedMoreData, // nothing complete yet; feed() more
        Message, // a whole text or binary message: isText(), takePayload()
        Ping, // takePayload(): what the pong must carry back
        Pong, // takePayload()
        Close, // the peer's closing handshake: closeCode(), closeReason()
        Error, // errorCode(), errorString(); the decoder stays failed
    };

    // Codes of RFC 6455 §7.4.1 this decoder reports.
    static constexpr quint16 kCloseNormal = 1000;
    static constexpr quint16 kCloseProtocolError = 1002;
    static constexpr quint16 kCloseNoStatus = 1005; // a close frame without a code
    static constexpr quint16 kCloseBadData = 1007;
    static constexpr quint16 kCloseTooBig = 1009;

    explicit WebSocketFrameDecoder(qint64 maxMessageBytes = 16 * 1024 * 1024);

    void setMaxMessageBytes(qint64 bytes) { m_maxMessage = bytes; }
    qint64 maxMessageBytes() const { return m_maxMessage; }

    void feed(QByteArrayView bytes);
    Status next();

    // After Message: whether it was a text message (its payload is valid UTF-8).
    bool isText() const { return m_messageIsText; }
    // The payload of the last Message, Ping or Pong (moved out).
    QByteArray takePayload() { return std::exchange(m_payload, {}); }
    // After Close: the peer's code (kCloseNoStatus when it gave none) and reason (UTF-8).
    quint16 closeCode() const { return m_closeCode; }
    const QByteArray &closeReason() const { return m_closeReason; }

    bool hasError() const { return m_failed; }
    quint16 errorCode() const { return m_errorCode; }
    const QString &errorString() const { return m_error; }
    // Bytes fed but not decoded yet, and those of a fragmented message still being joined.
    qsizetype bufferedBytes() const { return m_buffer.size() - m_pos + m_message.size(); }
    // Bytes of a frame begun and not complete yet (0 between frames, also between the
    // fragments of a message): what a server times out when the rest never comes.
    qsizetype partialFrameBytes() const { return m_buffer.size() - m_pos; }

    // Whether a client may send `code` in a close frame (RFC 6455 §7.4; 1012 to 2999, not yet
    // registered when it was written, are refused, as Qt's QWebSocket refuses them).
    static bool isValidCloseCode(quint16 code);

private:
    enum class Read { Frame, NeedMoreData, Failed };
    struct FrameHead
    {
        bool fin = false;
        int opcode = 0;
    };

    Status fail(quint16 code, const QString &why);
    Read failRead(quint16 code, const QString &why);
    // The frame that starts at m_pos, if all of it is buffered: then m_pos is moved past it
    // and its unmasked payload is in m_payload.
    Read readFrame(FrameHead *head);
    // A data frame read: the message it ends, or NeedMoreData for a fragment (*more: go on
    // with the next frame), or Error.
    Status dataFrame(const FrameHead &head, bool *more);
    Status controlFrame(int opcode);
    void compact();

    qint64 m_maxMessage;
    QByteArray m_buffer;
    qsizetype m_pos = 0; // where the next frame starts in m_buffer
    QByteArray m_payload;
    QByteArray m_message; // a fragmented message's fragments so far
    bool m_fragmented = false; // a message was begun and not finished
    bool m_fragmentedIsText = false;
    bool m_messageIsText = false;
    Utf8Validator m_utf8; // the text message being joined
    quint16 m_closeCode = 0;
    QByteArray m_closeReason;
    bool m_failed = false;
    quint16 m_errorCode = 0;
    QString m_error;
};

} // namespace sb::protocol
