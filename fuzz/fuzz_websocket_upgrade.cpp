// libFuzzer target for the node's WebSocket upgrade decision (HttpRequest::isWebSocketUpgrade
// and webSocketKey, RFC 6455 4.2.1), on every request the HTTP parser completes. Invariants:
//  1. no crash, no sanitizer report;
//  2. an upgrade is a GET over HTTP/1.1 with the Upgrade and Connection tokens;
//  3. a key is accepted exactly when an independent reading says so: one Sec-WebSocket-Key
//     field whose trimmed value is 24 characters of base64 decoding to 16 bytes, and a
//     Sec-WebSocket-Version of 13 — and the accepted key is that value, so the accept hash
//     the node writes is computed from exactly what the client sent;
//  4. for an accepted key, the 101 the node writes (WebSocketHandshake) is one head: a
//     101 status line, lines without CR, LF or NUL of their own, one empty line at the
//     end; its Sec-WebSocket-Accept is SHA-1 of the key and RFC 6455's GUID in base64; the
//     subprotocol chosen is one the node supports that the client offered (or none, when
//     they share none).
#include "protocol/HttpRequestParser.h"
#include "protocol/WebSocketHandshake.h"

#include <QByteArray>
#include <QCryptographicHash>
#include <QList>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace sb::protocol;

namespace {

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

QByteArray trimmedOws(QByteArray value)
{
    while (!value.isEmpty() && (value.front() == ' ' || value.front() == '\t'))
        value.remove(0, 1);
    while (!value.isEmpty() && (value.back() == ' ' || value.back() == '\t'))
        value.chop(1);
    return value;
}

bool isBase64Char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// RFC 6455's key, read without QByteArray::fromBase64: 22 base64 characters, then "==",
// and the last data character one whose low 4 bits are zero (16 bytes need 128 bits; the
// 22nd character carries 2 of them and 4 padding bits that a canonical encoder leaves 0).
// A decoder may accept non-zero padding bits too, so only the shape is required here.
bool looksLikeKey(const QByteArray &key)
{
    if (key.size() != 24 || key.at(22) != '=' || key.at(23) != '=')
        return false;
    for (int i = 0; i < 22; ++i)
        if (!isBase64Char(key.at(i)))
            return false;
    return true;
}

// Every token the client offers in its Sec-WebSocket-Protocol fields, read without
// HttpHeaders::splitList: split at commas, spaces and tabs trimmed, empty ones dropped.
QList<QByteArray> offeredSubprotocols(const HttpRequest &request)
{
    QList<QByteArray> offered;
    for (const auto &field : request.headers().fields()) {
        if (field.name.compare("Sec-WebSocket-Protocol", Qt::CaseInsensitive) != 0)
            continue;
        for (const QByteArray &token : field.value.split(',')) {
            const QByteArray name = trimmedOws(token);
            if (!name.isEmpty())
                offered.append(name);
        }
    }
    return offered;
}

void checkHandshake(const HttpRequest &request, const QByteArray &key)
{
    static const QList<QByteArray> supported { "v12.stomp", "v11.stomp", "v10.stomp" };
    const WebSocketHandshake handshake = WebSocketHandshake::accept(request, supported, "fuzz");
    const QByteArray &head = handshake.response();
    check(head.startsWith("HTTP/1.1 101 Switching Protocols\r\n"), "a 101 status line");
    check(head.endsWith("\r\n\r\n") && head.indexOf("\r\n\r\n") == head.size() - 4,
        "one empty line, at the end");
    const QList<QByteArray> lines = head.left(head.size() - 4).split('\n');
    for (const QByteArray &line : lines) {
        const QByteArray content = line.endsWith('\r') ? line.chopped(1) : line;
        check(!content.contains('\r') && !content.contains('\0') && !content.isEmpty(),
            "a field line without CR or NUL of its own");
    }
    const QByteArray accept = QCryptographicHash::hash(
        QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
                                  .toBase64();
    check(head.contains(QByteArray("\r\nSec-WebSocket-Accept: " + accept + "\r\n")),
        "the accept hash of the key");
    const QByteArray chosen = handshake.subprotocol();
    const QList<QByteArray> offered = offeredSubprotocols(request);
    if (chosen.isEmpty()) {
        for (const QByteArray &name : offered)
            check(!supported.contains(name), "a supported subprotocol offered and none chosen");
    } else {
        check(supported.contains(chosen) && offered.contains(chosen), "the chosen subprotocol was offered");
        qsizetype firstSupported = -1;
        for (qsizetype i = 0; i < offered.size() && firstSupported < 0; ++i)
            if (supported.contains(offered.at(i)))
                firstSupported = i;
        check(offered.indexOf(chosen) == firstSupported, "the first supported one the client lists");
        check(head.contains(QByteArray("\r\nSec-WebSocket-Protocol: " + chosen + "\r\n")),
            "the chosen subprotocol answered");
    }
}

void checkUpgrade(const HttpRequest &request)
{
    const bool upgrade = request.isWebSocketUpgrade();
    if (upgrade)
        check(request.method() == "GET" && request.version() == HttpRequest::Version::Http11,
            "an upgrade is a GET over HTTP/1.1");
    const QByteArray key = request.webSocketKey();
    if (!upgrade) {
        check(key.isEmpty(), "no key without an upgrade");
        return;
    }
    int keyFields = 0;
    QByteArray rawKey;
    QByteArray version;
    for (const auto &field : request.headers().fields()) {
        if (field.name.compare("Sec-WebSocket-Key", Qt::CaseInsensitive) == 0) {
            ++keyFields;
            rawKey = field.value;
        } else if (field.name.compare("Sec-WebSocket-Version", Qt::CaseInsensitive) == 0
            && version.isNull()) {
            version = field.value;
        }
    }
    const QByteArray expected = trimmedOws(rawKey);
    const bool acceptable = keyFields == 1 && trimmedOws(version) == "13" && looksLikeKey(expected);
    if (!key.isEmpty()) {
        check(acceptable, "a key accepted that RFC 6455 refuses");
        check(key == expected, "the accepted key is the client's value, trimmed");
        checkHandshake(request, key);
    } else {
        check(!acceptable, "a valid key refused");
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    HttpLimits limits;
    limits.maxHeaderCount = 24;
    HttpRequestParser parser(limits);
    parser.feed(QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size)));
    while (parser.state() == HttpRequestParser::State::Complete)
        checkUpgrade(parser.takeRequest());
    return 0;
}
