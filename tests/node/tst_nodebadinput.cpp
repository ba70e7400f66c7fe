// Bad input against a real node (issue 3, "Bad input" and "Auth"): every malformed frame,
// request or token gets a clear STOMP ERROR or HTTP 4xx with a reason, the connection is
// closed when the spec says so, the event is counted, and a witness session connected
// before each attack still gets its messages afterwards.

#include "NodeTestSupport.h"
#include "protocol/JwtCodec.h"
#include "support/TestMain.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>
#include <QTest>

#include <memory>
#include <sys/socket.h>

using namespace sb::testing;

namespace {
const QByteArray kBadInputSecret = QByteArrayLiteral("conformance-test-secret-0123456789abcdef");
// The node's --limit-ws-frame-timeout-ms here: incompleteWebSocketFrame waits it out.
constexpr int kBadInputFrameTimeoutMs = 1000;

QByteArray authFailures(const char *reason)
{
    return QByteArrayLiteral("sb_auth_failures_total{reason=\"") + reason + QByteArrayLiteral("\"}");
}
QByteArray b64(const QByteArray &data)
{
    return data.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}
} // namespace

class TestNodeBadInput : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void cleanup();

    void garbageBeforeConnect();
    void unknownCommand();
    void missingDestination_data();
    void missingDestination();
    void badEscape();
    void invalidUtf8InHeader();
    void invalidUtf8TextMessage();
    void badJsonBody();
    void unsupportedVersion();
    void frameBeforeConnected();
    void httpGarbage_data();
    void httpGarbage();
    void badJsonLogin();
    void overlongHttpText();
    void halfOpenHttp();
    void halfOpenStomp();
    void jwtRejectionsAreCountedByReason();
    void webSocketControlFrames();
    void webSocketProtocolErrors_data();
    void webSocketProtocolErrors();
    void incompleteWebSocketFrame();

private:
    QByteArray stompError(const QByteArray &frameBytes, bool binary = false, int *closeCode = nullptr);

    std::unique_ptr<NodeProcess> m_node;
    QTemporaryFile m_secretFile;
    QByteArray m_alice;
    QByteArray m_bob;
    std::unique_ptr<RawWebSocket> m_witness; // bob, subscribed to general before each test
    int m_witnessRound = 0;
};

void TestNodeBadInput::initTestCase()
{
    QVERIFY(m_secretFile.open());
    m_secretFile.write(kBadInputSecret);
    m_secretFile.flush();
    m_node = std::make_unique<NodeProcess>();
    QVERIFY2(m_node->start({ QStringLiteral("--jwt-secret-file"), m_secretFile.fileName(),
                 QStringLiteral("--limit-logins-per-address"), QStringLiteral("1000"),
                 QStringLiteral("--limit-ws-frame-timeout-ms"), QString::number(kBadInputFrameTimeoutMs) }),
        qPrintable(m_node->errorString()));
    m_alice = login(m_node->port(), QStringLiteral("alice"));
    m_bob = login(m_node->port(), QStringLiteral("bob"));
    QVERIFY(!m_alice.isEmpty() && !m_bob.isEmpty());
}

void TestNodeBadInput::init()
{
    m_witness = std::make_unique<RawWebSocket>();
    QCOMPARE(m_witness->open(m_node->port()), 101);
    QVERIFY(stompConnect(*m_witness, m_bob).startsWith("CONNECTED"));
    m_witness->sendText(stompFrame(
        "SUBSCRIBE", { { "id", "w" }, { "destination", "/topic/channels.general" }, { "receipt", "w" } }));
    QVERIFY(m_witness->read().payload.startsWith("RECEIPT"));
}

void TestNodeBadInput::cleanup()
{
    // Whatever the test threw at the node, the witness session is still served.
    QVERIFY2(m_node->isRunning(), m_node->standardError().constData());
    const QString text = QStringLiteral("witness %1").arg(++m_witnessRound);
    const QByteArray body
        = QJsonDocument(QJsonObject { { QStringLiteral("text"), text } }).toJson(QJsonDocument::Compact);
    QCOMPARE(httpPost(m_node->port(), "/api/channels/general/messages", body, m_alice).status, 201);
    RawWebSocket::Message message;
    do {
        message = m_witness->read(5000);
    } while (message.opcode == 1 && message.payload.trimmed().isEmpty());
    QVERIFY2(message.payload.startsWith("MESSAGE"), message.payload.constData());
    QVERIFY(message.payload.contains(text.toUtf8()));
    m_witness.reset();
}

QByteArray TestNodeBadInput::stompError(const QByteArray &frameBytes, bool binary, int *closeCode)
{
    RawWebSocket ws;
    if (ws.open(m_node->port()) != 101)
        return "no handshake";
    if (!frameBytes.startsWith("CONNECT") && !frameBytes.startsWith("STOMP") && !frameBytes.startsWith("\x01")
        && !stompConnect(ws, m_alice).startsWith("CONNECTED"))
        return "no CONNECTED";
    binary ? ws.sendBinary(frameBytes) : ws.sendText(frameBytes);
    const RawWebSocket::Message message = ws.read();
    const int code = ws.waitForClose();
    if (closeCode)
        *closeCode = code;
    return message.payload;
}

void TestNodeBadInput::garbageBeforeConnect()
{
    const double before = metricValue(metricsText(m_node->port()), droppedTotal("bad_frame"));
    int close = 0;
    const QByteArray error = stompError(QByteArray("\x01\x02\xff garbage \x7f\n\n", 15) + '\0', true, &close);
    QVERIFY2(error.startsWith("ERROR"), error.constData());
    QVERIFY(!stompHeader(error, "message").isEmpty());
    QCOMPARE(close, 1002);
    QCOMPARE(metricValue(metricsText(m_node->port()), droppedTotal("bad_frame")), before + 1);
}

void TestNodeBadInput::unknownCommand()
{
    int close = 0;
    const QByteArray error = stompError(stompFrame("FROBNICATE", { { "receipt", "x" } }), false, &close);
    QVERIFY2(error.startsWith("ERROR"), error.constData());
    QVERIFY2(stompHeader(error, "message").contains("FROBNICATE"), error.constData());
    QCOMPARE(close, 1002);
}

void TestNodeBadInput::missingDestination_data()
{
    QTest::addColumn<QByteArray>("frame");
    QTest::addColumn<QByteArray>("expected");
    QTest::newRow("SEND") << stompFrame(
        "SEND", { { "content-type", "application/json" } }, "{\"text\":\"x\"}")
                          << QByteArray("SEND needs a 'destination' header");
    QTest::newRow("SUBSCRIBE") << stompFrame("SUBSCRIBE", { { "id", "1" } })
                               << QByteArray("SUBSCRIBE needs 'id' and 'destination'");
    QTest::newRow("SUBSCRIBE without id")
        << stompFrame("SUBSCRIBE", { { "destination", "/topic/channels.general" } })
        << QByteArray("SUBSCRIBE needs 'id' and 'destination'");
    QTest::newRow("unknown destination")
        << stompFrame("SUBSCRIBE", { { "id", "1" }, { "destination", "/queue/whatever" } })
        << QByteArray("unknown destination '/queue/whatever'");
    QTest::newRow("other user's queue")
        << stompFrame("SUBSCRIBE", { { "id", "1" }, { "destination", "/user/bob/queue/notifications" } })
        << QByteArray("/user/ destinations resolve to your own queue");
}

void TestNodeBadInput::missingDestination()
{
    QFETCH(QByteArray, frame);
    QFETCH(QByteArray, expected);
    int close = 0;
    const QByteArray error = stompError(frame, false, &close);
    QVERIFY2(error.startsWith("ERROR"), error.constData());
    QVERIFY2(stompHeader(error, "message").contains(expected), error.constData());
    QCOMPARE(close, 1002);
}

void TestNodeBadInput::badEscape()
{
    const QByteArray error
        = stompError("SUBSCRIBE\nid:1\ndestination:/topic/channels.gen\\qeral\n\n" + QByteArray(1, '\0'));
    QVERIFY2(error.startsWith("ERROR"), error.constData());
    QVERIFY2(stompHeader(error, "message").contains("escape"), error.constData());
}

void TestNodeBadInput::invalidUtf8InHeader()
{
    // Binary WebSocket message, so only the STOMP layer can judge the bytes.
    const QByteArray error
        = stompError("SUBSCRIBE\nid:1\ndestination:/topic/channels.\xff\xfe\n\n" + QByteArray(1, '\0'), true);
    QVERIFY2(error.startsWith("ERROR"), error.constData());
    QVERIFY2(stompHeader(error, "message").contains("UTF-8"), error.constData());
}

void TestNodeBadInput::invalidUtf8TextMessage()
{
    // A text WebSocket message must be UTF-8 (RFC 6455 §8.1): closed with 1007.
    const double before = metricValue(metricsText(m_node->port()), droppedTotal("bad_utf8"));
    RawWebSocket ws;
    QCOMPARE(ws.open(m_node->port()), 101);
    QVERIFY(stompConnect(ws, m_alice).startsWith("CONNECTED"));
    ws.sendText("SEND\ndestination:/app/channels.general\n\n{\"text\":\"\xc3\x28\"}" + QByteArray(1, '\0'));
    const RawWebSocket::Message error = ws.read(); // said before the close, as every limit is
    QVERIFY2(error.payload.startsWith("ERROR"), error.payload.constData());
    QVERIFY2(stompHeader(error.payload, "message").contains("UTF-8"), error.payload.constData());
    QCOMPARE(ws.waitForClose(), 1007);
    QCOMPARE(waitForMetric(m_node->port(), droppedTotal("bad_utf8"), before + 1),
        before + 1); // counted, not silent
}

void TestNodeBadInput::badJsonBody()
{
    const QByteArray error
        = stompError(stompFrame("SEND", { { "destination", "/app/channels.general" } }, "{\"text\": "));
    QVERIFY2(error.startsWith("ERROR"), error.constData());
    QVERIFY2(stompHeader(error, "message").contains("JSON"), error.constData());
    QVERIFY(metricValue(metricsText(m_node->port()), droppedTotal("bad_body")) >= 1);
}

void TestNodeBadInput::unsupportedVersion()
{
    int close = 0;
    const QByteArray error = stompError(
        stompFrame("CONNECT",
            { { "accept-version", "2.0,3.1" }, { "host", "x" }, { "Authorization", "Bearer " + m_alice } }),
        false, &close);
    QVERIFY2(error.startsWith("ERROR"), error.constData());
    QCOMPARE(stompHeader(error, "version"), QByteArray("1.0,1.1,1.2"));
    QCOMPARE(close, 1002);
}

void TestNodeBadInput::frameBeforeConnected()
{
    // A bare socket: SUBSCRIBE as the first frame.
    RawWebSocket ws;
    QCOMPARE(ws.open(m_node->port()), 101);
    ws.sendText(stompFrame("SUBSCRIBE", { { "id", "1" }, { "destination", "/topic/channels.general" } }));
    const RawWebSocket::Message message = ws.read();
    QVERIFY2(message.payload.startsWith("ERROR"), message.payload.constData());
    QVERIFY2(stompHeader(message.payload, "message").contains("expected CONNECT or STOMP"),
        message.payload.constData());
    QCOMPARE(ws.waitForClose(), 1002);
}

void TestNodeBadInput::httpGarbage_data()
{
    QTest::addColumn<QByteArray>("request");
    QTest::addColumn<int>("status");
    QTest::newRow("TLS hello") << QByteArray("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n",
        22) << 400;
    QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << 400;
    QTest::newRow("bad header line") << QByteArray("GET / HTTP/1.1\r\nno colon here\r\n\r\n") << 400;
    QTest::newRow("NUL in target") << QByteArray("GET /health\0z HTTP/1.1\r\nHost: x\r\n\r\n", 34) << 400;
    QTest::newRow("unknown endpoint") << QByteArray("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n") << 404;
    QTest::newRow("wrong method") << QByteArray("DELETE /api/auth/login HTTP/1.1\r\nHost: x\r\n\r\n") << 405;
    QTest::newRow("plain GET on /ws") << QByteArray("GET /ws HTTP/1.1\r\nHost: x\r\n\r\n") << 426;
    QTest::newRow("upgrade without key")
        << QByteArray("GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n")
        << 400;
    QTest::newRow("body over limit") << QByteArray(
        "POST /api/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n")
                                     << 413;
    QTest::newRow("HTTP/2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 505;
}

void TestNodeBadInput::httpGarbage()
{
    QFETCH(QByteArray, request);
    QFETCH(int, status);
    const HttpResult result = rawHttp(m_node->port(), request);
    QVERIFY2(result.status == status, result.raw.left(300).constData());
    QVERIFY2(result.body.contains("\"error\""), result.body.constData());
}

void TestNodeBadInput::badJsonLogin()
{
    const HttpResult result = httpPost(m_node->port(), "/api/auth/login", "{\"username\": ");
    QCOMPARE(result.status, 400);
    const HttpResult publish = httpPost(m_node->port(), "/api/channels/general/messages", "[1,2]", m_alice);
    QCOMPARE(publish.status, 400);
    const HttpResult badChannel
        = httpPost(m_node->port(), "/api/channels/not%20an%20id/messages", "{\"text\":\"x\"}", m_alice);
    QCOMPARE(badChannel.status, 400);
}

void TestNodeBadInput::overlongHttpText()
{
    // The text limit of a SEND holds for an HTTP publish too: refused with 413 before
    // anything is created, counted as bad_body as a SEND's is.
    const int limit = 4000; // ChatMessage::kMaxTextChars, as docs/protocol.md states it
    const auto body = [](const QString &text) {
        return QJsonDocument(QJsonObject { { QStringLiteral("text"), text } }).toJson(QJsonDocument::Compact);
    };
    const double before = metricValue(metricsText(m_node->port()), droppedTotal("bad_body"));
    // Characters, not bytes: 4001 two-byte characters are 8 KB of UTF-8, well inside the body limit.
    const HttpResult tooLong
        = httpPost(m_node->port(), "/api/channels/general/messages", body(QString(limit + 1, u'é')), m_alice);
    QCOMPARE(tooLong.status, 413);
    QVERIFY2(tooLong.body.contains("\"error\"") && tooLong.body.contains("longer than 4000 characters"),
        tooLong.body.constData());
    QCOMPARE(metricValue(metricsText(m_node->port()), droppedTotal("bad_body")), before + 1);

    // The longest text is taken and delivered whole (the witness gets it, and no other).
    const QString longest(limit, u'é');
    QCOMPARE(httpPost(m_node->port(), "/api/channels/general/messages", body(longest), m_alice).status, 201);
    RawWebSocket::Message message;
    do {
        message = m_witness->read(5000);
    } while (message.opcode == 1 && message.payload.trimmed().isEmpty());
    QVERIFY2(message.payload.startsWith("MESSAGE"), message.payload.left(200).constData());
    QVERIFY(message.payload.contains(longest.toUtf8()));
    QCOMPARE(metricValue(metricsText(m_node->port()), droppedTotal("bad_body")), before + 1);
}

void TestNodeBadInput::halfOpenHttp()
{
    const QByteArray gauge = "sb_connections{transport=\"http\"}";
    // The gauge counts the /metrics request that reads it, so 1 is the floor; earlier tests'
    // connections may still be closing, hence the wait for it.
    QCOMPARE(waitForMetricAtMost(m_node->port(), gauge, 1, 10000), 1.0);
    // A head cut short, then the client shuts its sending side: the node must not wait on
    // it (nor crash); the connection is released.
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), m_node->port());
    QVERIFY(socket.waitForConnected(5000));
    socket.write("GET /healthz/live HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    QVERIFY(socket.waitForBytesWritten(5000));
    QVERIFY(waitForMetric(m_node->port(), gauge, 2) >= 2); // the half-open one is counted
    QCOMPARE(::shutdown(int(socket.socketDescriptor()), SHUT_WR), 0);
    QVERIFY(socket.waitForDisconnected(5000) || socket.state() == QAbstractSocket::UnconnectedState);
    QCOMPARE(waitForMetricAtMost(m_node->port(), gauge, 1, 10000), 1.0);
}

void TestNodeBadInput::halfOpenStomp()
{
    const QByteArray gauge = "sb_connections{transport=\"stomp\"}";
    const double before = metricValue(metricsText(m_node->port()), gauge);
    RawWebSocket ws;
    QCOMPARE(ws.open(m_node->port()), 101);
    QVERIFY(stompConnect(ws, m_alice).startsWith("CONNECTED"));
    // Half a frame, then the client's sending side goes away.
    ws.sendText("SEND\ndestination:/app/chan");
    QTRY_COMPARE_WITH_TIMEOUT(metricValue(metricsText(m_node->port()), gauge), before + 1, 5000);
    QCOMPARE(::shutdown(int(ws.socket().socketDescriptor()), SHUT_WR), 0);
    QTRY_COMPARE_WITH_TIMEOUT(metricValue(metricsText(m_node->port()), gauge), before, 5000);
}

void TestNodeBadInput::jwtRejectionsAreCountedByReason()
{
    const quint16 port = m_node->port();
    // A token the node issued, taken apart and re-signed with the shared secret from
    // --jwt-secret-file, so each variant differs from a valid token in one respect only.
    const QList<QByteArray> parts = m_alice.split('.');
    QCOMPARE(parts.size(), 3);
    const QJsonObject claims
        = QJsonDocument::fromJson(QByteArray::fromBase64(parts.at(1), QByteArray::Base64UrlEncoding))
              .object();
    QCOMPARE(claims.value(QStringLiteral("sub")).toString(), QStringLiteral("alice"));
    const sb::protocol::JwtCodec codec(kBadInputSecret);
    const sb::protocol::JwtCodec wrongKey(QByteArrayLiteral("another-secret-that-is-long-enough-000000"));
    const qint64 now = QDateTime::currentSecsSinceEpoch();

    // Positive control: re-signing the same claims with the secret gives a working token.
    QCOMPARE(httpPost(port, "/api/sse/ticket", {}, codec.sign(claims)).status, 200);

    QJsonObject expired = claims;
    expired.insert(QStringLiteral("exp"), now - 3600);
    QJsonObject future = claims;
    future.insert(QStringLiteral("nbf"), now + 3600);
    const QByteArray noneHeader = b64(R"({"alg":"none","typ":"JWT"})");
    const QByteArray payload = parts.at(1);
    struct Case
    {
        const char *reason;
        QByteArray token;
        const char *message;
    };
    const QList<Case> cases {
        { "unsupported_algorithm", noneHeader + '.' + payload + '.', "hs256" },
        { "bad_signature", wrongKey.sign(claims), "signature" },
        { "expired", codec.sign(expired), "expired" },
        { "not_yet_valid", codec.sign(future), "not" },
        { "malformed", QByteArrayLiteral("a.b"), "" },
        { "malformed", QByteArrayLiteral("!!!.???.###"), "" },
    };
    const QByteArray before = metricsText(port);
    QHash<QByteArray, int> expected;
    for (const Case &c : cases) {
        const HttpResult result = httpPost(port, "/api/sse/ticket", {}, c.token);
        QVERIFY2(result.status == 401, c.reason);
        QVERIFY2(result.body.contains("invalid token"), result.body.constData());
        QVERIFY2(result.body.toLower().contains(c.message), result.body.constData());
        expected[c.reason] += 1;
    }
    // The same through STOMP CONNECT: ERROR with the reason, counted the same way.
    RawWebSocket ws;
    QCOMPARE(ws.open(port), 101);
    const QByteArray error = stompConnect(ws, noneHeader + '.' + payload + '.');
    QVERIFY2(error.startsWith("ERROR"), error.constData());
    QVERIFY2(stompHeader(error, "message").startsWith("invalid token"), error.constData());
    expected["unsupported_algorithm"] += 1;

    // A refresh token is not an access token; a logged-out token is revoked.
    const HttpResult tokens = httpPost(port, "/api/auth/login", R"({"username":"carol","password":"carol"})");
    const QJsonObject issued = QJsonDocument::fromJson(tokens.body).object();
    const QByteArray refresh = issued.value(QStringLiteral("refreshToken")).toString().toUtf8();
    const QByteArray access = issued.value(QStringLiteral("accessToken")).toString().toUtf8();
    QCOMPARE(httpPost(port, "/api/sse/ticket", {}, refresh).status, 401);
    expected["wrong_token_type"] += 1;
    QCOMPARE(httpPost(port, "/api/auth/logout", {}, access).status, 204);
    const HttpResult revoked = httpPost(port, "/api/sse/ticket", {}, access);
    QCOMPARE(revoked.status, 401);
    QVERIFY2(revoked.body.contains("revoked"), revoked.body.constData());
    expected["revoked"] += 1;
    // Wrong password and no token at all.
    QCOMPARE(httpPost(port, "/api/auth/login", R"({"username":"alice","password":"bob"})").status, 401);
    expected["bad_credentials"] += 1;
    QCOMPARE(httpPost(port, "/api/sse/ticket", {}).status, 401);
    expected["missing_token"] += 1;

    const QByteArray after = metricsText(port);
    for (auto it = expected.cbegin(); it != expected.cend(); ++it) {
        const double delta = metricValue(after, authFailures(it.key().constData()))
            - metricValue(before, authFailures(it.key().constData()));
        QVERIFY2(delta == it.value(),
            qPrintable(QStringLiteral("%1: +%2, expected +%3")
                           .arg(QString::fromLatin1(it.key()))
                           .arg(delta)
                           .arg(it.value())));
    }
    // No token or secret ever reaches the log.
    const QByteArray log = m_node->standardError();
    QVERIFY(!log.contains(m_alice));
    QVERIFY(!log.contains(kBadInputSecret));
    QVERIFY(!log.contains(refresh));
}

void TestNodeBadInput::webSocketControlFrames()
{
    // The node reads its sessions' WebSocket itself (no QWebSocket): it answers as QWebSocket
    // did, a ping with a pong carrying the ping's payload, nothing else...
    RawWebSocket ws;
    QCOMPARE(ws.open(m_node->port()), 101);
    QVERIFY(stompConnect(ws, m_alice).startsWith("CONNECTED"));
    QVERIFY(ws.sendFrame(9, "are you there?"));
    const QByteArray pong = QByteArray::fromHex("8a0e") + "are you there?";
    QByteArray raw;
    const bool ponged = QTest::qWaitFor(
        [&] {
            ws.socket().waitForReadyRead(50);
            raw += ws.socket().readAll();
            return raw.size() >= pong.size();
        },
        5000);
    QVERIFY2(ponged, raw.toHex().constData());
    QCOMPARE(raw.toHex(), pong.toHex());

    // ...the client's close by echoing its code and reason, then the end of the connection...
    QVERIFY(ws.sendFrame(8, QByteArray::fromHex("0fa1") + "bye"));
    const RawWebSocket::Message echo = ws.read();
    QCOMPARE(echo.opcode, 8);
    QCOMPARE(echo.payload.toHex(), QByteArray(QByteArray::fromHex("0fa1") + "bye").toHex());
    QCOMPARE(ws.waitForClose(), 0); // EOF: the node closed its side

    // ...and a close frame without a code with 1000, before any STOMP frame too.
    RawWebSocket quiet;
    QCOMPARE(quiet.open(m_node->port()), 101);
    QVERIFY(quiet.sendFrame(8, {}));
    const RawWebSocket::Message normal = quiet.read();
    QCOMPARE(normal.opcode, 8);
    QCOMPARE(normal.closeCode(), 1000);
}

void TestNodeBadInput::webSocketProtocolErrors_data()
{
    QTest::addColumn<QByteArray>("frame"); // sent raw after CONNECTED (masking key 0: payload as is)
    QTest::addColumn<QByteArray>("words"); // in the ERROR's message
    QTest::newRow("unmasked") << QByteArray(QByteArray::fromHex("8105") + "hello") << QByteArray("masked");
    QTest::newRow("reserved opcode") << QByteArray(QByteArray::fromHex("838100000000") + "x")
                                     << QByteArray("reserved opcode 3");
    QTest::newRow("continuation of nothing")
        << QByteArray(QByteArray::fromHex("808100000000") + "x") << QByteArray("nothing to continue");
}

void TestNodeBadInput::webSocketProtocolErrors()
{
    // RFC 6455 §5: what a server must refuse, refused with 1002 after an ERROR that says why,
    // and counted (bad_frame).
    QFETCH(QByteArray, frame);
    QFETCH(QByteArray, words);
    const double before = metricValue(metricsText(m_node->port()), droppedTotal("bad_frame"));
    RawWebSocket ws;
    QCOMPARE(ws.open(m_node->port()), 101);
    QVERIFY(stompConnect(ws, m_alice).startsWith("CONNECTED"));
    ws.socket().write(frame);
    ws.socket().flush();
    const RawWebSocket::Message error = ws.read();
    QVERIFY2(error.payload.startsWith("ERROR"), error.payload.constData());
    QVERIFY2(stompHeader(error.payload, "message").contains(words), error.payload.constData());
    QCOMPARE(ws.waitForClose(), 1002);
    QCOMPARE(waitForMetric(m_node->port(), droppedTotal("bad_frame"), before + 1), before + 1);
}

void TestNodeBadInput::incompleteWebSocketFrame()
{
    // A frame begun and never finished: after --limit-ws-frame-timeout-ms without a byte of it
    // (5 s by default, QWebSocket's rule; shorter here) the node says so and closes with 1001.
    const double before = metricValue(metricsText(m_node->port()), droppedTotal("frame_timeout"));
    RawWebSocket ws;
    QCOMPARE(ws.open(m_node->port()), 101);
    QVERIFY(stompConnect(ws, m_alice).startsWith("CONNECTED"));
    QElapsedTimer sent;
    sent.start();
    ws.socket().write(QByteArray(QByteArray::fromHex("818a00000000") + "SEND")); // 10 bytes promised, 4 sent
    ws.socket().flush();
    const RawWebSocket::Message error = ws.read(20000);
    QVERIFY2(error.payload.startsWith("ERROR"), error.payload.constData());
    QVERIFY2(stompHeader(error.payload, "message").contains("incomplete"), error.payload.constData());
    // Not before its time, and the option's time, not the default 5 s (a bound far from 1 s
    // that a loaded machine's late timer still meets).
    QVERIFY2(sent.elapsed() >= kBadInputFrameTimeoutMs - 100, QByteArray::number(sent.elapsed()).constData());
    QVERIFY2(sent.elapsed() < 4500, QByteArray::number(sent.elapsed()).constData());
    QCOMPARE(ws.waitForClose(), 1001);
    QCOMPARE(waitForMetric(m_node->port(), droppedTotal("frame_timeout"), before + 1), before + 1);
}

SB_TEST_GUILESS_MAIN(TestNodeBadInput)
#include "tst_nodebadinput.moc"
