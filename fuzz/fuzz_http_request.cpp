// libFuzzer target for HttpRequestParser. Invariants checked on every input:
//  1. no crash, no sanitizer report, no unbounded buffering;
//  2. the outcome does not depend on how the bytes were split (one feed vs. random pieces);
//  3. every Complete request is well-formed (limits, framing, Host) and survives a
//     serialize -> re-parse round trip unchanged;
//  4. requestStarted() (what starts the node's head deadline) does not depend on the split
//     either, and is true whenever the parser has an answer (Complete or Error).
#include "protocol/HttpRequestParser.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace sb::protocol;
using State = HttpRequestParser::State;

namespace {

void check(bool condition, const char *what)
{
    if (!condition) {
        std::fprintf(stderr, "invariant violated: %s\n", what);
        std::abort();
    }
}

// Small limits so that short fuzz inputs reach every limit path.
HttpLimits fuzzLimits()
{
    HttpLimits limits;
    limits.maxRequestLine = 200;
    limits.maxHeaderSection = 400;
    limits.maxHeaderCount = 12;
    limits.maxBodySize = 300;
    limits.maxChunkSizeLine = 40;
    limits.maxLeadingEmptyLines = 3;
    return limits;
}

struct Outcome
{
    QList<HttpRequest> requests;
    State state = State::NeedMore;
    int errorStatus = 0;
    bool requestStarted = false;
};

void finish(const HttpRequestParser &parser, Outcome &outcome)
{
    outcome.state = parser.state();
    outcome.errorStatus = parser.errorStatus();
    outcome.requestStarted = parser.requestStarted();
    check(outcome.state == State::NeedMore || outcome.requestStarted, "an answered request has started");
}

void drain(HttpRequestParser &parser, Outcome &outcome)
{
    while (parser.state() == State::Complete)
        outcome.requests.append(parser.takeRequest());
}

Outcome parseSplit(QByteArrayView input, std::uint32_t seed)
{
    HttpRequestParser parser(fuzzLimits());
    Outcome outcome;
    qsizetype pos = 0;
    while (pos < input.size() && parser.state() != State::Error) {
        seed = seed * 1103515245u + 12345u; // tiny LCG: the split is a function of the input
        const qsizetype piece = qMin<qsizetype>(input.size() - pos, 1 + (seed >> 16) % 37);
        parser.feed(input.sliced(pos, piece));
        pos += piece;
        drain(parser, outcome);
        const HttpLimits limits = parser.limits();
        // Never more buffered than one request's worth of head, body and a piece.
        check(parser.bufferedBytes()
                    <= limits.maxRequestLine + limits.maxHeaderSection + limits.maxBodySize + 64
                || parser.state() == State::Complete,
            "unbounded buffering");
    }
    finish(parser, outcome);
    return outcome;
}

Outcome parseWhole(QByteArrayView input)
{
    HttpRequestParser parser(fuzzLimits());
    Outcome outcome;
    parser.feed(input);
    drain(parser, outcome);
    finish(parser, outcome);
    return outcome;
}

bool sameRequest(const HttpRequest &a, const HttpRequest &b, bool compareFraming)
{
    if (a.method() != b.method() || a.target() != b.target() || a.path() != b.path()
        || a.rawQuery() != b.rawQuery() || a.queryItems() != b.queryItems() || a.version() != b.version()
        || a.body() != b.body() || a.keepAlive() != b.keepAlive()
        || a.isWebSocketUpgrade() != b.isWebSocketUpgrade())
        return false;
    if (!compareFraming)
        return true;
    if (a.headers().size() != b.headers().size() || a.trailers().size() != b.trailers().size())
        return false;
    for (qsizetype i = 0; i < a.headers().size(); ++i) {
        if (a.headers().fields().at(i).name != b.headers().fields().at(i).name
            || a.headers().fields().at(i).value != b.headers().fields().at(i).value)
            return false;
    }
    return true;
}

void checkRequest(const HttpRequest &request)
{
    const HttpLimits limits = fuzzLimits();
    check(HttpHeaders::isToken(request.method()), "method is a token");
    check(!request.target().isEmpty() && !request.path().isEmpty(), "target and path");
    check(request.body().size() <= limits.maxBodySize, "body limit");
    check(request.headers().size() <= limits.maxHeaderCount, "header count limit");
    check(!(request.headers().contains("Transfer-Encoding") && request.headers().contains("Content-Length")),
        "TE and CL together");
    if (request.version() == HttpRequest::Version::Http11)
        check(request.headers().count("Host") == 1, "HTTP/1.1 has exactly one Host");
    if (request.headers().contains("Content-Length"))
        check(request.body().size()
                == HttpHeaders::splitList(request.headers().value("Content-Length")).value(0).toLongLong(),
            "body matches Content-Length");
    for (const HttpHeaders::Field &field : request.headers().fields())
        check(HttpHeaders::isToken(field.name) && HttpHeaders::isValidValue(field.value), "valid fields");

    // Round trip: re-serialize with Content-Length framing and parse again.
    QByteArray wire = request.method() + ' ' + request.target() + ' '
        + (request.version() == HttpRequest::Version::Http11 ? QByteArray("HTTP/1.1")
                                                             : QByteArray("HTTP/1.0"))
        + "\r\n";
    for (const HttpHeaders::Field &field : request.headers().fields()) {
        if (HttpHeaders::equalsIgnoreCase(field.name, "Transfer-Encoding")
            || HttpHeaders::equalsIgnoreCase(field.name, "Content-Length"))
            continue;
        wire += field.name + ": " + field.value + "\r\n";
    }
    wire += "Content-Length: " + QByteArray::number(request.body().size()) + "\r\n\r\n" + request.body();
    HttpLimits roomy = limits;
    roomy.maxHeaderSection *= 2; // the added Content-Length line may not fit otherwise
    roomy.maxHeaderCount += 1;
    HttpRequestParser again(roomy);
    check(again.feed(wire) == State::Complete, "round trip parses");
    check(again.bufferedBytes() == 0, "round trip consumes exactly");
    check(sameRequest(request, again.takeRequest(), false), "round trip is identical");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    if (size == 0)
        return 0;
    const std::uint32_t seed = data[0];
    const QByteArrayView input(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1));

    const Outcome split = parseSplit(input, seed);
    const Outcome whole = parseWhole(input);
    check(split.state == whole.state, "state independent of splitting");
    check(split.errorStatus == whole.errorStatus, "error status independent of splitting");
    check(split.requestStarted == whole.requestStarted, "requestStarted independent of splitting");
    check(split.requests.size() == whole.requests.size(), "request count independent of splitting");
    for (qsizetype i = 0; i < split.requests.size(); ++i) {
        check(sameRequest(split.requests.at(i), whole.requests.at(i), true),
            "requests independent of splitting");
        checkRequest(split.requests.at(i));
    }
    if (whole.state == State::Error) {
        const int s = whole.errorStatus;
        check(s == 400 || s == 413 || s == 414 || s == 431 || s == 501 || s == 505, "known error status");
    }
    return 0;
}
