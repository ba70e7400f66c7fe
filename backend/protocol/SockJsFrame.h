#pragma once

#include <QByteArray>
#include <QByteArrayList>
#include <QByteArrayView>
#include <QString>
#include <QUrl>

#include <optional>

namespace sb::protocol {

// One frame of SockJS's WebSocket transport (sockjs-protocol 0.3), as a server sends it in
// a WebSocket text message: `o` (open), `h` (heart-beat), `a["…","…"]` (messages),
// `m"…"` (one message, older servers) and `c[code,"reason"]` (the server closed the
// session). Spring's and sockjs-node's STOMP endpoints carry one or more STOMP frames per
// message string. Pure: the probe client owns the socket.
//
// The decoder reads only the JSON SockJS sends (an array of strings; a code and a string),
// with its own small parser rather than a general JSON one: nothing nests, so deep
// nesting, a number where a string belongs or anything after the closing bracket is an
// error at once, naming the byte, and it never allocates more than the frame's size.
struct SockJsFrame
{
    enum class Type : quint8 { Open, HeartBeat, Messages, Close };

    // A frame larger than this is refused before it is parsed. JSON escaping can make a
    // STOMP frame of NULs six times its size; 4 MiB holds a 64 KiB frame even then.
    static constexpr qsizetype kMaxFrameBytes = 4 * 1024 * 1024;

    Type type = Type::Open;
    QByteArrayList messages; // Messages: each one UTF-8, escapes resolved (a STOMP frame's text)
    int closeCode = 0; // Close: 3000 "Go away!", 2010 "Another connection still open", …
    QString closeReason; // Close

    // The frame in one WebSocket message's payload (UTF-8); nullopt with *error saying
    // what is wrong and where: an unknown type letter, bytes after `o`/`h`, JSON that is
    // malformed, truncated or not of the expected shape, invalid UTF-8, an escape that is
    // an unpaired surrogate, a frame over maxBytes.
    static std::optional<SockJsFrame> decode(
        QByteArrayView payload, QString *error, qsizetype maxBytes = kMaxFrameBytes);

    // What a SockJS client sends over the WebSocket transport: a JSON array of strings.
    // Each message is UTF-8 (bytes that are not become U+FFFD); control characters, the
    // quote, the backslash and the characters sockjs-client escapes (U+200C–U+200F,
    // U+2028–U+202F, U+2060–U+206F, U+FFF0–U+FFFF, surrogates) are written as \uXXXX, so
    // a STOMP frame's NUL travels as \u0000.
    static QByteArray encodeMessages(const QByteArrayList &messages);
    // A server's frame, as decode() reads it back (tests, the fuzzer's round trip).
    static QByteArray encode(const SockJsFrame &frame);

    // The transport URL for a SockJS endpoint's base URL: {base}/{server}/{session}/websocket,
    // http→ws and https→wss, the base's query kept. Invalid (with *error) when the base is
    // not an absolute http(s)/ws(s) URL with a host, or server/session are empty or hold
    // anything but letters, digits, '-' and '_' (SockJS forbids dots; a '/' would change
    // the path).
    static QUrl transportUrl(const QUrl &base, const QString &server, const QString &session, QString *error);
    // The same with a random server id (3 digits) and session id (16 letters and digits).
    static QUrl transportUrl(const QUrl &base, QString *error);
};

} // namespace sb::protocol
