// libFuzzer target for the node's WebSocket upgrade decision (HttpRequest::isWebSocketUpgrade
// and webSocketKey, RFC 6455 4.2.1), on every request the HTTP parser completes. Invariants:
//  1. no crash, no sanitizer report;
//  2. an upgrade is a GET over HTTP/1.1 with the Upgrade and Connection tokens;
//  3. a key is accepted exactly when an independent reading says so: one Sec-WebSocket-Key
//     field whose trimmed value is 24 characters of base64 decoding to 16 bytes, and a
//     Sec-WebSocket-Version of 13 — and the accepted key is that value, so the accept hash
//     the node writes is computed from exactly what the client sent.
#include "protocol/HttpRequestParser.h"

#include <QByteArray>

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
