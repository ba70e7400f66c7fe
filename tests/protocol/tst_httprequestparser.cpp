#include "protocol/HttpRequestParser.h"
#include "support/TestMain.h"

#include <QElapsedTimer>
#include <QTest>

using namespace sb::protocol;
using State = HttpRequestParser::State;

namespace {

// Feeds in pieces of `step` bytes (0: all at once) and stops at the first non-NeedMore.
State feedInSteps(HttpRequestParser &parser, const QByteArray &raw, qsizetype step)
{
    if (step <= 0)
        return parser.feed(raw);
    State state = State::NeedMore;
    for (qsizetype i = 0; i < raw.size() && state == State::NeedMore; i += step)
        state = parser.feed(QByteArrayView(raw).sliced(i, qMin(step, raw.size() - i)));
    return state;
}

} // namespace

class TestHttpRequestParser : public QObject
{
    Q_OBJECT

private slots:
    void validRequests_data();
    void validRequests();
    void malformedRequests_data();
    void malformedRequests();
    void queryDecoding_data();
    void queryDecoding();
    void webSocketUpgrade_data();
    void webSocketUpgrade();
    void keepAlive_data();
    void keepAlive();
    void pipelining();
    void pipelinedArrivingInPieces();
    void emptyLinesDoNotStartARequest();
    void headerFloodSentSlowlyFailsEarly();
    void requestLineSentSlowlyFailsEarly();
    void garbageFailsOnFirstByte();
    void bodyTooLargeFailsBeforeBody();
    void chunkedBodyTooLargeFailsBeforeData();
    void tooManyHeaders();
    void expectContinueSeesHeadersFirst();
    void errorIsSticky();
    void largeBodyIsLinear();
    void absoluteForm();
    void chunkedTrailers();
};

void TestHttpRequestParser::validRequests_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("host");

    QTest::newRow("get") << QByteArray("GET /healthz/live HTTP/1.1\r\nHost: a\r\n\r\n") << QByteArray("GET")
                         << QStringLiteral("/healthz/live") << QByteArray() << QByteArray("a");
    QTest::newRow("bare LF") << QByteArray("GET /x HTTP/1.1\nHost: a\n\n") << QByteArray("GET")
                             << QStringLiteral("/x") << QByteArray() << QByteArray("a");
    QTest::newRow("post") << QByteArray("POST /api/auth/login HTTP/1.1\r\nHost: n1\r\nContent-Type: "
                                        "application/json\r\nContent-Length: 13\r\n\r\n{\"a\":\"bcde\"}\n")
                          << QByteArray("POST") << QStringLiteral("/api/auth/login")
                          << QByteArray("{\"a\":\"bcde\"}\n") << QByteArray("n1");
    QTest::newRow("chunked") << QByteArray("POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                                           "5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n")
                             << QByteArray("POST") << QStringLiteral("/c") << QByteArray("hello world")
                             << QByteArray("h");
    QTest::newRow("chunked upper hex, TE case")
        << QByteArray("PUT /c HTTP/1.1\r\nHost: h\r\ntransfer-encoding: "
                      "Chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n")
        << QByteArray("PUT") << QStringLiteral("/c") << QByteArray("0123456789") << QByteArray("h");
    QTest::newRow("http/1.0 no host") << QByteArray("GET / HTTP/1.0\r\n\r\n") << QByteArray("GET")
                                      << QStringLiteral("/") << QByteArray() << QByteArray();
    QTest::newRow("leading empty lines")
        << QByteArray("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n") << QByteArray("GET") << QStringLiteral("/")
        << QByteArray() << QByteArray("a");
    QTest::newRow("equal duplicate CL")
        << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 3\r\n"
                      "Content-Length: 3\r\n\r\nabc")
        << QByteArray("POST") << QStringLiteral("/") << QByteArray("abc") << QByteArray("a");
    QTest::newRow("zero CL") << QByteArray("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
                             << QByteArray("POST") << QStringLiteral("/") << QByteArray() << QByteArray("a");
    QTest::newRow("percent path") << QByteArray("GET /a%20b/%C3%A9 HTTP/1.1\r\nHost: a\r\n\r\n")
                                  << QByteArray("GET") << QStringLiteral("/a b/\u00e9") << QByteArray()
                                  << QByteArray("a");
    QTest::newRow("options *") << QByteArray("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n") << QByteArray("OPTIONS")
                               << QStringLiteral("*") << QByteArray() << QByteArray("a");
    QTest::newRow("absolute form") << QByteArray(
        "GET http://node-2:8080/metrics?x=1 HTTP/1.1\r\nHost: other\r\n\r\n")
                                   << QByteArray("GET") << QStringLiteral("/metrics") << QByteArray()
                                   << QByteArray("node-2:8080");
    QTest::newRow("ows around value")
        << QByteArray("GET / HTTP/1.1\r\nHost: \t a \t\r\n\r\n") << QByteArray("GET") << QStringLiteral("/")
        << QByteArray() << QByteArray("a");
    QTest::newRow("obs-text value") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nX-Name: caf\xc3\xa9\r\n\r\n")
                                    << QByteArray("GET") << QStringLiteral("/") << QByteArray()
                                    << QByteArray("a");
}

void TestHttpRequestParser::validRequests()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, host);

    for (const qsizetype step : { qsizetype(0), qsizetype(1), qsizetype(3), qsizetype(7) }) {
        HttpRequestParser parser;
        QCOMPARE(feedInSteps(parser, raw, step), State::Complete);
        QCOMPARE(parser.bufferedBytes(), 0);
        const HttpRequest request = parser.takeRequest();
        QCOMPARE(request.method(), method);
        QCOMPARE(request.path(), path);
        QCOMPARE(request.body(), body);
        QCOMPARE(request.host(), host);
        QCOMPARE(parser.state(), State::NeedMore);
    }
}

void TestHttpRequestParser::malformedRequests_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<int>("status");

    const QByteArray get = "GET / HTTP/1.1\r\nHost: a\r\n";
    QTest::newRow("TE+CL smuggling") << QByteArray(
        get + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n")
                                     << 400;
    QTest::newRow("CL+TE smuggling") << QByteArray(
        get + "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n")
                                     << 400;
    QTest::newRow("differing CL") << QByteArray(get + "Content-Length: 4\r\nContent-Length: 5\r\n\r\n")
                                  << 400;
    QTest::newRow("differing CL list") << QByteArray(get + "Content-Length: 4, 5\r\n\r\n") << 400;
    QTest::newRow("negative CL") << QByteArray(get + "Content-Length: -1\r\n\r\n") << 400;
    QTest::newRow("plus CL") << QByteArray(get + "Content-Length: +4\r\n\r\n") << 400;
    QTest::newRow("hex CL") << QByteArray(get + "Content-Length: 0x10\r\n\r\n") << 400;
    QTest::newRow("empty CL") << QByteArray(get + "Content-Length:\r\n\r\n") << 400;
    QTest::newRow("overflow CL") << QByteArray(get + "Content-Length: 99999999999999999999999\r\n\r\n")
                                 << 400;
    QTest::newRow("CL too big") << QByteArray(get + "Content-Length: 1048577\r\n\r\n") << 413;
    QTest::newRow("unknown coding") << QByteArray(get + "Transfer-Encoding: gzip, chunked\r\n\r\n") << 501;
    QTest::newRow("identity coding") << QByteArray(get + "Transfer-Encoding: identity\r\n\r\n") << 501;
    QTest::newRow("chunked twice") << QByteArray(
        get + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")
                                   << 400;
    QTest::newRow("empty TE") << QByteArray(get + "Transfer-Encoding: ,\r\n\r\n") << 400;
    QTest::newRow("TE on 1.0") << QByteArray("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
                               << 400;
    QTest::newRow("bad chunk size") << QByteArray(get + "Transfer-Encoding: chunked\r\n\r\nzz\r\n") << 400;
    QTest::newRow("chunk size overflow")
        << QByteArray(get + "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\n") << 400;
    QTest::newRow("chunk without CRLF")
        << QByteArray(get + "Transfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n") << 400;
    QTest::newRow("chunk bad extension")
        << QByteArray(get + "Transfer-Encoding: chunked\r\n\r\n3 x\r\n") << 400;
    QTest::newRow("obs-fold") << QByteArray(get + "X-A: b\r\n c\r\n\r\n") << 400;
    QTest::newRow("obs-fold tab") << QByteArray(get + "X-A: b\r\n\tc\r\n\r\n") << 400;
    QTest::newRow("space before colon") << QByteArray(get + "Content-Length : 4\r\n\r\n") << 400;
    QTest::newRow("no colon") << QByteArray(get + "X-A\r\n\r\n") << 400;
    QTest::newRow("empty name") << QByteArray(get + ": v\r\n\r\n") << 400;
    QTest::newRow("bad name char") << QByteArray(get + "X(A): v\r\n\r\n") << 400;
    QTest::newRow("NUL in value") << (get + QByteArray("X-A: a\0b\r\n\r\n", 12)) << 400;
    QTest::newRow("NUL in name") << (get + QByteArray("X\0A: b\r\n\r\n", 11)) << 400;
    QTest::newRow("bare CR in value") << QByteArray(get + "X-A: a\rb\r\n\r\n") << 400;
    QTest::newRow("missing host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("two hosts") << QByteArray(get + "Host: b\r\n\r\n") << 400;
    QTest::newRow("http2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505;
    QTest::newRow("http/1.2") << QByteArray("GET / HTTP/1.2\r\nHost: a\r\n\r\n") << 505;
    QTest::newRow("http/0.9 style") << QByteArray("GET /\r\n\r\n") << 400;
    QTest::newRow("lowercase version") << QByteArray("GET / http/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("version junk") << QByteArray("GET / HTTP/1.1x\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("double space") << QByteArray("GET  / HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("trailing space") << QByteArray("GET / HTTP/1.1 \r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("tab separator") << QByteArray("GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("bad method char") << QByteArray("G@T / HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("relative target") << QByteArray("GET index.html HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("fragment") << QByteArray("GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("non-ascii target") << QByteArray("GET /\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("bad escape") << QByteArray("GET /a%zz HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("short escape") << QByteArray("GET /a% HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("encoded NUL") << QByteArray("GET /a%00 HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("encoded bad utf8") << QByteArray("GET /%C0%AF HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("bad query escape") << QByteArray("GET /?a=%G1 HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("asterisk with GET") << QByteArray("GET * HTTP/1.1\r\nHost: a\r\n\r\n") << 400;
    QTest::newRow("CONNECT") << QByteArray("CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n") << 501;
    QTest::newRow("userinfo") << QByteArray("GET http://u@h/ HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("ftp absolute") << QByteArray("GET ftp://h/ HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("TLS hello") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11) << 400;
    QTest::newRow("too many empty lines") << QByteArray(20, '\n') << 400;
    QTest::newRow("request line 414")
        << QByteArray("GET /" + QByteArray(8200, 'a') + " HTTP/1.1\r\nHost: a\r\n\r\n") << 414;
    QTest::newRow("header section 431")
        << QByteArray(get + "X-Big: " + QByteArray(17000, 'b') + "\r\n\r\n") << 431;
    QTest::newRow("trailer section 431") << QByteArray(
        get + "Transfer-Encoding: chunked\r\n\r\n0\r\nX: " + QByteArray(17000, 't') + "\r\n\r\n")
                                         << 431;
    QTest::newRow("bad trailer") << QByteArray(get + "Transfer-Encoding: chunked\r\n\r\n0\r\nX : y\r\n\r\n")
                                 << 400;
}

void TestHttpRequestParser::malformedRequests()
{
    QFETCH(QByteArray, raw);
    QFETCH(int, status);

    // The verdict must not depend on how the bytes were split on the wire.
    for (const qsizetype step : { qsizetype(0), qsizetype(1), qsizetype(5) }) {
        HttpRequestParser parser;
        QCOMPARE(feedInSteps(parser, raw, step), State::Error);
        QCOMPARE(parser.errorStatus(), status);
        QVERIFY(!parser.errorReason().isEmpty());
    }
}

void TestHttpRequestParser::queryDecoding_data()
{
    QTest::addColumn<QByteArray>("target");
    QTest::addColumn<QStringList>("expected"); // key, value, key, value...

    QTest::newRow("none") << QByteArray("/api/sse") << QStringList();
    QTest::newRow("ticket") << QByteArray("/api/sse?ticket=abc123")
                            << QStringList { QStringLiteral("ticket"), QStringLiteral("abc123") };
    QTest::newRow("encoded") << QByteArray("/s?q=a%20b%2Bc+d&x=%C3%A9")
                             << QStringList { QStringLiteral("q"), QStringLiteral("a b+c d"),
                                    QStringLiteral("x"), QStringLiteral("\u00e9") };
    QTest::newRow("no value, empties")
        << QByteArray("/s?&flag&&k=&=v")
        << QStringList { QStringLiteral("flag"), QString(), QStringLiteral("k"), QString(), QString(),
               QStringLiteral("v") };
    QTest::newRow("leading U+FEFF is data")
        << QByteArray("/s?k=%EF%BB%BFv") << QStringList { QStringLiteral("k"), QStringLiteral("\ufeffv") };
    QTest::newRow("repeated, '=' in value") << QByteArray("/s?a=1&a=2=3")
                                            << QStringList { QStringLiteral("a"), QStringLiteral("1"),
                                                   QStringLiteral("a"), QStringLiteral("2=3") };
}

void TestHttpRequestParser::queryDecoding()
{
    QFETCH(QByteArray, target);
    QFETCH(QStringList, expected);

    HttpRequestParser parser;
    QCOMPARE(parser.feed(QByteArray("GET " + target + " HTTP/1.1\r\nHost: a\r\n\r\n")), State::Complete);
    const HttpRequest request = parser.takeRequest();
    QStringList actual;
    for (const auto &item : request.queryItems())
        actual << item.first << item.second;
    QCOMPARE(actual, expected);
    const qsizetype question = target.indexOf('?');
    QCOMPARE(request.rawQuery(), question < 0 ? QByteArray() : target.mid(question + 1));
    if (!expected.isEmpty()) {
        QVERIFY(request.hasQueryItem(expected.first()));
        QCOMPARE(request.queryItemValue(expected.first()), expected.at(1));
    }
    QVERIFY(!request.hasQueryItem(QStringLiteral("absent")));
    QVERIFY(request.queryItemValue(QStringLiteral("absent")).isNull());
}

void TestHttpRequestParser::webSocketUpgrade_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("upgrade");
    QTest::addColumn<QByteArray>("key");

    const QByteArray key = "dGhlIHNhbXBsZSBub25jZQ==";
    QTest::newRow("browser") << QByteArray(
        "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        "Sec-WebSocket-Key: "
        + key
        + "\r\nSec-WebSocket-Version: 13\r\n"
          "Sec-WebSocket-Protocol: v12.stomp\r\n\r\n")
                             << true << key;
    QTest::newRow("firefox connection list")
        << QByteArray("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: WebSocket\r\n"
                      "Connection: keep-alive, Upgrade\r\nSec-WebSocket-Key: "
               + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
        << true << key;
    QTest::newRow("wrong version") << QByteArray(
        "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
        "Sec-WebSocket-Key: "
        + key + "\r\nSec-WebSocket-Version: 8\r\n\r\n")
                                   << true << QByteArray();
    QTest::newRow("short key") << QByteArray(
        "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: upgrade\r\n"
        "Sec-WebSocket-Key: c2hvcnQ=\r\nSec-WebSocket-Version: 13\r\n\r\n")
                               << true << QByteArray();
    QTest::newRow("no connection upgrade")
        << QByteArray("GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\n\r\n") << false << QByteArray();
    QTest::newRow("h2c") << QByteArray(
        "GET /ws HTTP/1.1\r\nHost: a\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n")
                         << false << QByteArray();
    QTest::newRow("post") << QByteArray(
        "POST /ws HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                          << false << QByteArray();
    QTest::newRow("http/1.0") << QByteArray(
        "GET /ws HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
                              << false << QByteArray();
}

void TestHttpRequestParser::webSocketUpgrade()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, upgrade);
    QFETCH(QByteArray, key);

    HttpRequestParser parser;
    QCOMPARE(parser.feed(head), State::Complete);
    const HttpRequest request = parser.takeRequest();
    QCOMPARE(request.isWebSocketUpgrade(), upgrade);
    QCOMPARE(request.webSocketKey(), key);
}

void TestHttpRequestParser::keepAlive_data()
{
    QTest::addColumn<QByteArray>("head");
    QTest::addColumn<bool>("keepAlive");

    QTest::newRow("1.1 default") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\n\r\n") << true;
    QTest::newRow("1.1 close") << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: Close\r\n\r\n")
                               << false;
    QTest::newRow("1.1 close in list")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: te, close\r\n\r\n") << false;
    QTest::newRow("1.0 default") << QByteArray("GET / HTTP/1.0\r\n\r\n") << false;
    QTest::newRow("1.0 keep-alive") << QByteArray("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n") << true;
    QTest::newRow("substring is no token")
        << QByteArray("GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n") << true;
}

void TestHttpRequestParser::keepAlive()
{
    QFETCH(QByteArray, head);
    QFETCH(bool, keepAlive);

    HttpRequestParser parser;
    QCOMPARE(parser.feed(head), State::Complete);
    QCOMPARE(parser.takeRequest().keepAlive(), keepAlive);
}

void TestHttpRequestParser::emptyLinesDoNotStartARequest()
{
    HttpRequestParser parser;
    QVERIFY(!parser.requestStarted());
    // The stray CRLF some clients send after a body, in pieces: nothing has begun.
    QCOMPARE(parser.feed("\r"), State::NeedMore);
    QVERIFY(!parser.requestStarted());
    QCOMPARE(parser.feed("\n\r\n"), State::NeedMore);
    QVERIFY(!parser.requestStarted());
    QCOMPARE(parser.feed("G"), State::NeedMore);
    QVERIFY(parser.requestStarted());
    QCOMPARE(parser.feed("ET / HTTP/1.1\r\nHost: a\r\n\r\n\r\n"), State::Complete);
    QVERIFY(parser.requestStarted());
    QCOMPARE(parser.takeRequest().path(), QStringLiteral("/"));
    QVERIFY(!parser.requestStarted()); // only the trailing CRLF is left
    QCOMPARE(parser.feed("POST"), State::NeedMore);
    QVERIFY(parser.requestStarted());
    // A failed request has begun (its error is the answer).
    HttpRequestParser bad;
    QCOMPARE(bad.feed("\x16\x03\x01"), State::Error);
    QVERIFY(bad.requestStarted());
}

void TestHttpRequestParser::pipelining()
{
    HttpRequestParser parser;
    const QByteArray raw
        = "GET /one HTTP/1.1\r\nHost: a\r\n\r\n"
          "POST /two HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz"
          "POST /three HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nq\r\n0\r\n\r\n"
          "GET /four HTTP/1.1\r\nHo";
    QCOMPARE(parser.feed(raw), State::Complete);
    QCOMPARE(parser.request().path(), QStringLiteral("/one"));
    // While Complete, more bytes are only buffered.
    QCOMPARE(parser.feed("st: a\r\n"), State::Complete);
    QCOMPARE(parser.takeRequest().path(), QStringLiteral("/one"));
    QCOMPARE(parser.state(), State::Complete);
    HttpRequest two = parser.takeRequest();
    QCOMPARE(two.path(), QStringLiteral("/two"));
    QCOMPARE(two.body(), QByteArray("xyz"));
    QCOMPARE(parser.state(), State::Complete);
    HttpRequest three = parser.takeRequest();
    QCOMPARE(three.path(), QStringLiteral("/three"));
    QCOMPARE(three.body(), QByteArray("q"));
    QCOMPARE(parser.state(), State::NeedMore);
    QVERIFY(parser.headersComplete() == false);
    QCOMPARE(parser.feed("\r\n"), State::Complete);
    QCOMPARE(parser.takeRequest().path(), QStringLiteral("/four"));
    QCOMPARE(parser.state(), State::NeedMore);
    QCOMPARE(parser.bufferedBytes(), 0);
}

void TestHttpRequestParser::pipelinedArrivingInPieces()
{
    QByteArray raw;
    for (int i = 0; i < 50; ++i)
        raw += "POST /m/" + QByteArray::number(i) + " HTTP/1.1\r\nHost: a\r\nContent-Length: "
            + QByteArray::number(i % 7) + "\r\n\r\n" + QByteArray(i % 7, char('a' + i % 26));
    for (const qsizetype step : { qsizetype(1), qsizetype(13), qsizetype(4096) }) {
        HttpRequestParser parser;
        int seen = 0;
        for (qsizetype i = 0; i < raw.size(); i += step) {
            parser.feed(QByteArrayView(raw).sliced(i, qMin(step, raw.size() - i)));
            while (parser.state() == State::Complete) {
                const HttpRequest request = parser.takeRequest();
                QCOMPARE(request.path(), QStringLiteral("/m/%1").arg(seen));
                QCOMPARE(request.body(), QByteArray(seen % 7, char('a' + seen % 26)));
                ++seen;
            }
            QCOMPARE(parser.state(), State::NeedMore);
        }
        QCOMPARE(seen, 50);
    }
}

void TestHttpRequestParser::headerFloodSentSlowlyFailsEarly()
{
    HttpRequestParser parser;
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\nHost: a\r\n"), State::NeedMore);
    qsizetype sent = 0;
    State state = State::NeedMore;
    // Small, valid-looking fields in 10-byte pieces; never an end of section.
    const QByteArray line = "X-Pad: 0123456789\r\n";
    while (state == State::NeedMore && sent < 1024 * 1024) {
        for (qsizetype i = 0; i < line.size() && state == State::NeedMore; i += 10) {
            state = parser.feed(line.mid(i, 10));
            sent += qMin<qsizetype>(10, line.size() - i);
        }
        QVERIFY(parser.bufferedBytes() <= parser.limits().maxHeaderSection);
    }
    QCOMPARE(state, State::Error);
    // 431 comes from the size (16 KiB), or from the field count when that is hit first.
    QCOMPARE(parser.errorStatus(), 431);
    QVERIFY2(sent <= parser.limits().maxHeaderSection + 64, qPrintable(QString::number(sent)));

    // One endless field line, byte by byte: fails right after the limit is crossed.
    HttpRequestParser slow;
    slow.feed("GET / HTTP/1.1\r\nHost: a\r\nX-Long: ");
    qsizetype fed = 0;
    while (slow.feed("v") == State::NeedMore)
        ++fed;
    QCOMPARE(slow.errorStatus(), 431);
    QVERIFY(fed <= parser.limits().maxHeaderSection);
}

void TestHttpRequestParser::requestLineSentSlowlyFailsEarly()
{
    HttpRequestParser parser;
    parser.feed("GET /");
    qsizetype fed = 5;
    while (parser.feed("a") == State::NeedMore)
        ++fed;
    QCOMPARE(parser.errorStatus(), 414);
    // Exactly the limit is accepted; the first byte beyond it fails.
    QCOMPARE(fed, parser.limits().maxRequestLine);
}

void TestHttpRequestParser::garbageFailsOnFirstByte()
{
    HttpRequestParser parser;
    QCOMPARE(parser.feed(QByteArrayView("\x16", 1)), State::Error);
    QCOMPARE(parser.errorStatus(), 400);

    HttpRequestParser nul;
    QCOMPARE(nul.feed(QByteArrayView("GET /\0", 6)), State::Error);
    QCOMPARE(nul.errorStatus(), 400);
}

void TestHttpRequestParser::bodyTooLargeFailsBeforeBody()
{
    HttpRequestParser parser;
    QCOMPARE(parser.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2000000\r\n\r\n"), State::Error);
    QCOMPARE(parser.errorStatus(), 413);

    HttpLimits small;
    small.maxBodySize = 10;
    HttpRequestParser limited(small);
    QCOMPARE(
        limited.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n0123456789"), State::Complete);
    limited.takeRequest();
    QCOMPARE(limited.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n"), State::Error);
    QCOMPARE(limited.errorStatus(), 413);
}

void TestHttpRequestParser::chunkedBodyTooLargeFailsBeforeData()
{
    HttpLimits small;
    small.maxBodySize = 10;
    HttpRequestParser parser(small);
    QCOMPARE(parser.feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n"),
        State::NeedMore);
    // 6 + 5 > 10: refused on the size line, before any of the 5 bytes arrive.
    QCOMPARE(parser.feed("5\r\n"), State::Error);
    QCOMPARE(parser.errorStatus(), 413);

    HttpRequestParser huge;
    QCOMPARE(
        huge.feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n7fffffffffffffff\r\n"),
        State::Error);
    QVERIFY(huge.errorStatus() == 400 || huge.errorStatus() == 413);
}

void TestHttpRequestParser::tooManyHeaders()
{
    QByteArray raw = "GET / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 99; ++i)
        raw += "X-" + QByteArray::number(i) + ": v\r\n";
    HttpRequestParser exact;
    QCOMPARE(exact.feed(QByteArray(raw + "\r\n")), State::Complete);
    QCOMPARE(exact.request().headers().size(), 100);

    HttpRequestParser over;
    QCOMPARE(over.feed(QByteArray(raw + "X-100: v\r\n")), State::Error);
    QCOMPARE(over.errorStatus(), 431);
}

void TestHttpRequestParser::expectContinueSeesHeadersFirst()
{
    HttpRequestParser parser;
    QCOMPARE(
        parser.feed("POST /api HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n"),
        State::NeedMore);
    QVERIFY(parser.headersComplete());
    QVERIFY(parser.request().expectsContinue());
    QCOMPARE(parser.feed("ab"), State::NeedMore);
    QCOMPARE(parser.feed("cd"), State::Complete);
    QCOMPARE(parser.takeRequest().body(), QByteArray("abcd"));
}

void TestHttpRequestParser::errorIsSticky()
{
    HttpRequestParser parser;
    QCOMPARE(parser.feed("BAD\x01"), State::Error);
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), State::Error);
    QCOMPARE(parser.errorStatus(), 400);
    QCOMPARE(parser.bufferedBytes(), 0);
    parser.reset();
    QCOMPARE(parser.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n"), State::Complete);
}

void TestHttpRequestParser::largeBodyIsLinear()
{
    // 1 MiB of body plus 16 KiB of headers in 7-byte pieces; a parser that rescans its
    // buffer per feed would need minutes here.
    QByteArray head = "POST / HTTP/1.1\r\nHost: a\r\n";
    for (int i = 0; i < 90; ++i)
        head += "X-Pad: " + QByteArray(170, 'p') + "\r\n";
    const QByteArray body(1024 * 1024, 'b');
    const QByteArray raw = head + "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    QElapsedTimer timer;
    timer.start();
    HttpRequestParser parser;
    QCOMPARE(feedInSteps(parser, raw, 7), State::Complete);
    QCOMPARE(parser.takeRequest().body(), body);
    QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
}

void TestHttpRequestParser::absoluteForm()
{
    HttpRequestParser parser;
    QCOMPARE(parser.feed("GET HTTPS://Node-1 HTTP/1.1\r\nHost: x\r\n\r\n"), State::Complete);
    const HttpRequest request = parser.takeRequest();
    QCOMPARE(request.target(), QByteArray("HTTPS://Node-1"));
    QCOMPARE(request.path(), QStringLiteral("/"));
    QCOMPARE(request.host(), QByteArray("Node-1"));
}

void TestHttpRequestParser::chunkedTrailers()
{
    HttpRequestParser parser;
    const QByteArray raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                           "3\r\nabc\n0\nX-Checksum: 42\r\n\r\n";
    QCOMPARE(parser.feed(raw), State::Complete);
    const HttpRequest request = parser.takeRequest();
    QCOMPARE(request.body(), QByteArray("abc"));
    QCOMPARE(request.trailers().value("x-checksum"), QByteArray("42"));
    QVERIFY(!request.headers().contains("X-Checksum"));
}

SB_TEST_APPLESS_MAIN(TestHttpRequestParser)
#include "tst_httprequestparser.moc"
