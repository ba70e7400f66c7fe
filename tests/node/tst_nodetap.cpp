// What the node's tap says around the frames (docs/protocol.md, "Tap frames"), against a
// real node: a reader that fell behind is told how many frames it lost; sessions show as
// OPEN and CLOSE, with the reason they ended; a reader that attaches late gets one STATE
// per session that already exists, on every worker thread.

#include "NodeTestSupport.h"
#include "support/TestMain.h"

#include "protocol/TapFrameCodec.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <functional>
#include <memory>
#include <vector>

using namespace sb::testing;

namespace {

int tapReaders(quint16 port, const QByteArray &admin)
{
    return QJsonDocument::fromJson(httpGet(port, "/admin/stats", admin).body)
        .object()
        .value(QStringLiteral("tapReaders"))
        .toInt();
}

QString text(const QJsonObject &frame, const char *key)
{
    return frame.value(QLatin1String(key)).toString();
}

QString header(const QJsonObject &frame, const char *name)
{
    return frame.value(QStringLiteral("headers")).toObject().value(QLatin1String(name)).toString();
}

// An /admin/tap reader that keeps every message it read, so a test can wait for one frame
// and look back at the others.
class TapStream
{
public:
    explicit TapStream(int receiveBufferBytes = 0)
        : m_socket(receiveBufferBytes)
    { }

    // 101 once the node counts the reader, so no later frame can miss it.
    int open(quint16 port, const QByteArray &admin)
    {
        const int status = m_socket.open(port, "/admin/tap", {}, "Authorization: Bearer " + admin + "\r\n");
        if (status != 101)
            return status;
        const QDeadlineTimer deadline(5000);
        while (tapReaders(port, admin) < 1 && !deadline.hasExpired())
            QTest::qWait(20);
        return deadline.hasExpired() ? 0 : status;
    }

    // The first frame (read before or now) that matches, or an empty object at the deadline.
    QJsonObject waitFor(const std::function<bool(const QJsonObject &)> &match, int timeoutMs = 5000)
    {
        for (const QJsonObject &frame : std::as_const(m_frames))
            if (match(frame))
                return frame;
        const QDeadlineTimer deadline(timeoutMs);
        while (!deadline.hasExpired()) {
            const RawWebSocket::Message message
                = m_socket.read(int(qMax<qint64>(1, qMin<qint64>(200, deadline.remainingTime()))));
            if (message.opcode != 1)
                continue;
            const qsizetype before = m_frames.size();
            take(message.payload);
            for (qsizetype i = before; i < m_frames.size(); ++i)
                if (match(m_frames.at(i)))
                    return m_frames.at(i);
        }
        return {};
    }

    // Whatever arrives within ms (for a "no such frame" check after a positive one).
    void readFor(int ms)
    {
        const QDeadlineTimer deadline(ms);
        while (!deadline.hasExpired()) {
            const RawWebSocket::Message message
                = m_socket.read(int(qMax<qint64>(1, deadline.remainingTime())));
            if (message.opcode == 1)
                take(message.payload);
        }
    }

    const QList<QJsonObject> &frames() const { return m_frames; }
    const QList<qint64> &droppedNotices() const { return m_notices; }
    const QList<QByteArray> &rawDroppedNotices() const { return m_rawNotices; }
    QByteArray everything() const { return m_everything; }
    RawWebSocket &socket() { return m_socket; }

    // One message: a frame, or a batch of frames one per line (docs/protocol.md, "Tap frames").
    void take(const QByteArray &payload)
    {
        if (m_everything.size() < 64 * 1024)
            m_everything += payload + '\n';
        for (const QByteArray &line : payload.split('\n')) {
            if (const auto dropped = sb::protocol::TapFrameCodec::droppedNotice(line)) {
                m_notices << *dropped;
                m_rawNotices << line;
                continue;
            }
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            QVERIFY2(doc.isObject(), qPrintable(error.errorString() + u": " + QString::fromUtf8(line)));
            m_frames << doc.object();
        }
    }

private:
    RawWebSocket m_socket;
    QList<QJsonObject> m_frames;
    QList<qint64> m_notices;
    QList<QByteArray> m_rawNotices;
    QByteArray m_everything;
};

auto lifecycle(const char *command, const QString &session)
{
    return [command = QString::fromLatin1(command), session](const QJsonObject &f) {
        return text(f, "command") == command && text(f, "session") == session;
    };
}

QJsonObject bodyOf(const QJsonObject &frame)
{
    return QJsonDocument::fromJson(text(frame, "body").toUtf8()).object();
}

} // namespace

class TestNodeTap : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void droppedNoticeTellsASlowReaderWhatItLost();
    void stompSessionsOpenAndCloseWithAReason();
    void sseStreamOpensWithItsChannelsAndCloses();
    void lateReaderGetsTheStateOfEverySession();
    void oneMessageToManySubscribersTapsEveryDelivery();

private:
    std::unique_ptr<NodeProcess> m_node;
};

void TestNodeTap::initTestCase()
{
    // Short heart-beats, so a silent client times out in well under a second; tiny tap
    // bodies, to show that the node's own JSON (OPEN, STATE) is never cut.
    m_node = std::make_unique<NodeProcess>();
    QVERIFY2(m_node->start({ QStringLiteral("--heartbeat-ms"), QStringLiteral("100"),
                 QStringLiteral("--tap-body-bytes"), QStringLiteral("16") }),
        qPrintable(m_node->errorString()));
}

void TestNodeTap::droppedNoticeTellsASlowReaderWhatItLost()
{
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--limit-outbound-bytes"), QStringLiteral("65536"),
                 QStringLiteral("--tap-body-bytes"), QStringLiteral("8192") }),
        qPrintable(node.errorString()));
    const quint16 port = node.port();
    TapStream tap(4096); // a tiny receive window, and no reading until the node drops frames
    QCOMPARE(tap.open(port, login(port, QStringLiteral("admin"))), 101);

    // One tapped SEND of ~4 KB per frame on one WebSocket: the kernel's buffers between the
    // node and the reader fill after a few MB, then the node drops.
    RawWebSocket alice;
    QCOMPARE(alice.open(port), 101);
    QVERIFY(stompConnect(alice, login(port, QStringLiteral("alice"))).startsWith("CONNECTED"));
    const QByteArray send = stompFrame("SEND", { { "destination", "/app/channels.general" } },
        "{\"text\":\"" + QByteArray(3900, 'x') + "\"}");
    const QByteArray overflow = "sb_dropped_total{reason=\"tap_overflow\"}";
    double dropped = 0;
    int sent = 0;
    for (; sent < 4000 && dropped < 1; ++sent) {
        QVERIFY(alice.sendText(send));
        if (sent % 100 == 99)
            dropped = metricValue(metricsText(port), overflow);
    }
    QVERIFY2(dropped >= 1, qPrintable(QStringLiteral("no tap_overflow after %1 SENDs").arg(sent)));

    // Reading again: the node owes the reader a notice with its running total, and keeps
    // owing until the last drop is told (the metric, with one reader, is that total).
    const QDeadlineTimer deadline(30000);
    bool told = false;
    while (!told && !deadline.hasExpired()) {
        const RawWebSocket::Message message = tap.socket().read(200);
        if (message.opcode == 1) {
            tap.take(message.payload);
            continue;
        }
        // Quiet for 200 ms: everything queued is out; has the latest notice the total?
        told = !tap.droppedNotices().isEmpty()
            && tap.droppedNotices().last() == qint64(metricValue(metricsText(port), overflow));
    }
    qInfo() << sent << "SENDs;" << tap.frames().size()
            << "frames read; dropped notices:" << tap.droppedNotices();
    QVERIFY2(!tap.droppedNotices().isEmpty(), "no {\"type\":\"dropped\"} notice");
    QVERIFY2(told,
        qPrintable(QStringLiteral("last notice %1, tap_overflow %2")
                       .arg(tap.droppedNotices().last())
                       .arg(metricValue(metricsText(port), overflow))));
    for (qsizetype i = 1; i < tap.droppedNotices().size(); ++i)
        QVERIFY(tap.droppedNotices().at(i)
            > tap.droppedNotices().at(i - 1)); // a running total, told once per change
    // The notice is exactly the documented object.
    const QByteArray first = tap.rawDroppedNotices().constFirst();
    const QByteArray expectedStart = "{\"type\":\"dropped\",\"dropped\":"
        + QByteArray::number(tap.droppedNotices().constFirst()) + ",\"ts\":";
    QVERIFY2(first.startsWith(expectedStart), first.constData());
    const QJsonObject notice = QJsonDocument::fromJson(first).object();
    QCOMPARE(notice.size(), 3);
    QVERIFY(notice.value(QStringLiteral("ts")).toInteger() > 0);

    // Caught up, the reader gets frames again (the node stopped building them for it
    // while it was behind).
    QVERIFY(alice.sendText(
        stompFrame("SEND", { { "destination", "/app/channels.general" } }, "{\"text\":\"caught up\"}")));
    const QJsonObject after
        = tap.waitFor([](const QJsonObject &f) { return text(f, "body").contains(u"caught up"); });
    QVERIFY2(!after.isEmpty(), "no frame after the reader caught up");
    QCOMPARE(text(after, "command"), QStringLiteral("SEND"));
    QCOMPARE(httpGet(port, "/healthz/live").status, 200);
}

void TestNodeTap::stompSessionsOpenAndCloseWithAReason()
{
    const quint16 port = m_node->port();
    TapStream tap;
    QCOMPARE(tap.open(port, login(port, QStringLiteral("admin"))), 101);

    // A client that says DISCONNECT.
    RawWebSocket bob;
    QCOMPARE(bob.open(port), 101);
    const QByteArray connected = stompConnect(bob, login(port, QStringLiteral("bob")));
    QVERIFY(connected.startsWith("CONNECTED"));
    const QString bobSession = QString::fromUtf8(stompHeader(connected, "session"));
    const QJsonObject open = tap.waitFor(lifecycle("OPEN", bobSession));
    QVERIFY2(!open.isEmpty(), tap.everything().constData());
    QCOMPARE(text(open, "transport"), QStringLiteral("stomp"));
    QCOMPARE(text(open, "dir"), QString());
    QVERIFY(open.value(QStringLiteral("ts")).toDouble() > 0);
    QCOMPARE(header(open, "subprotocol"), QStringLiteral("v12.stomp"));
    QVERIFY(header(open, "remote").startsWith(QStringLiteral("127.0.0.1:")));
    bob.sendText(stompFrame("DISCONNECT", { { "receipt", "bye" } }));
    QVERIFY(bob.read().payload.startsWith("RECEIPT"));
    QJsonObject close = tap.waitFor(lifecycle("CLOSE", bobSession));
    QVERIFY2(!close.isEmpty(), tap.everything().constData());
    QCOMPARE(text(close, "user"), QStringLiteral("bob"));
    QCOMPARE(text(close, "transport"), QStringLiteral("stomp"));
    QCOMPARE(text(close, "dir"), QString());
    QCOMPARE(header(close, "reason"), QStringLiteral("client"));
    QCOMPARE(header(close, "code"), QStringLiteral("1000"));

    // A client that closes the WebSocket itself (close 4000, no DISCONNECT).
    RawWebSocket alice;
    QCOMPARE(alice.open(port), 101);
    const QByteArray aliceConnected = stompConnect(alice, login(port, QStringLiteral("alice")));
    const QString aliceSession = QString::fromUtf8(stompHeader(aliceConnected, "session"));
    alice.sendFrame(8, QByteArray::fromHex("0fa0") + "bye");
    close = tap.waitFor(lifecycle("CLOSE", aliceSession));
    QVERIFY2(!close.isEmpty(), tap.everything().constData());
    QCOMPARE(header(close, "reason"), QStringLiteral("client"));
    QCOMPARE(header(close, "code"), QStringLiteral("4000"));

    // A client that promised heart-beats every 100 ms and went silent.
    RawWebSocket carol;
    QCOMPARE(carol.open(port), 101);
    const QByteArray carolConnected = stompConnect(carol, login(port, QStringLiteral("carol")), "100,0");
    const QString carolSession = QString::fromUtf8(stompHeader(carolConnected, "session"));
    close = tap.waitFor(lifecycle("CLOSE", carolSession));
    QVERIFY2(!close.isEmpty(), tap.everything().constData());
    QCOMPARE(text(close, "user"), QStringLiteral("carol"));
    QCOMPARE(header(close, "reason"), QStringLiteral("heartbeat_timeout"));
    QCOMPARE(header(close, "code"), QStringLiteral("1000"));

    // A token the node does not accept: the session opened, then ended for "auth".
    RawWebSocket stranger;
    QCOMPARE(stranger.open(port), 101);
    const QByteArray refused = stompConnect(stranger, "not-a-token");
    QVERIFY(refused.startsWith("ERROR"));
    QCOMPARE(stranger.waitForClose(), 1002);
    close = tap.waitFor([](const QJsonObject &f) {
        return text(f, "command") == u"CLOSE" && header(f, "reason") == u"auth";
    });
    QVERIFY2(!close.isEmpty(), tap.everything().constData());
    QCOMPARE(header(close, "code"), QStringLiteral("1002"));
    QVERIFY2(header(close, "message").startsWith(QStringLiteral("invalid token")),
        qPrintable(header(close, "message")));
    QCOMPARE(text(close, "user"), QString());
    QVERIFY(!tap.waitFor(lifecycle("OPEN", text(close, "session"))).isEmpty());
}

void TestNodeTap::sseStreamOpensWithItsChannelsAndCloses()
{
    const quint16 port = m_node->port();
    TapStream tap;
    QCOMPARE(tap.open(port, login(port, QStringLiteral("admin"))), 101);
    int status = 0;
    auto stream
        = openSseStream(port, login(port, QStringLiteral("bob")), "0000000000001-000000000000", &status);
    QCOMPARE(status, 200);
    const QJsonObject open = tap.waitFor([](const QJsonObject &f) {
        return text(f, "command") == u"OPEN" && text(f, "transport") == u"sse" && text(f, "user") == u"bob";
    });
    QVERIFY2(!open.isEmpty(), tap.everything().constData());
    QCOMPARE(text(open, "dir"), QString());
    QCOMPARE(header(open, "last-event-id"), QStringLiteral("0000000000001-000000000000"));
    // Whole, although tap bodies are cut at 16 bytes here: a reader must parse it.
    QCOMPARE(open.value(QStringLiteral("truncated")).toBool(), false);
    QCOMPARE(bodyOf(open).value(QStringLiteral("channels")).toArray(),
        QJsonArray({ QStringLiteral("general"), QStringLiteral("ops") }));
    const QString session = text(open, "session");
    QVERIFY(!session.isEmpty());

    stream->disconnectFromHost();
    const QJsonObject close = tap.waitFor(lifecycle("CLOSE", session));
    QVERIFY2(!close.isEmpty(), tap.everything().constData());
    QCOMPARE(text(close, "transport"), QStringLiteral("sse"));
    QCOMPARE(text(close, "user"), QStringLiteral("bob"));
    QCOMPARE(header(close, "reason"), QStringLiteral("client"));
}

void TestNodeTap::lateReaderGetsTheStateOfEverySession()
{
    const quint16 port = m_node->port();
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    const QByteArray aliceToken = login(port, QStringLiteral("alice"));
    const QByteArray carolToken = login(port, QStringLiteral("carol"));
    const QByteArray bobToken = login(port, QStringLiteral("bob"));
    const QByteArray admin = login(port, QStringLiteral("admin"));
    // Two WebSockets accepted one after the other: the listener hands them to different
    // workers (round robin), so the baseline must come from both.
    RawWebSocket alice;
    RawWebSocket carol;
    QCOMPARE(alice.open(port), 101);
    QCOMPARE(carol.open(port), 101);
    const QString aliceSession = QString::fromUtf8(stompHeader(stompConnect(alice, aliceToken), "session"));
    const QString carolSession = QString::fromUtf8(stompHeader(stompConnect(carol, carolToken), "session"));
    QVERIFY(!aliceSession.isEmpty() && !carolSession.isEmpty());
    alice.sendText(stompFrame("SUBSCRIBE",
        { { "id", "sub-general" }, { "destination", "/topic/channels.general" }, { "receipt", "1" } }));
    QVERIFY(alice.read().payload.startsWith("RECEIPT"));
    alice.sendText(stompFrame(
        "SUBSCRIBE", { { "id", "sub-ops" }, { "destination", "/topic/channels.ops" }, { "receipt", "2" } }));
    QVERIFY(alice.read().payload.startsWith("RECEIPT"));
    carol.sendText(
        stompFrame("SUBSCRIBE", { { "id", "0" }, { "destination", "/topic/presence" }, { "receipt", "3" } }));
    QVERIFY(carol.read().payload.startsWith("RECEIPT"));
    int status = 0;
    auto stream = openSseStream(port, bobToken, {}, &status);
    QCOMPARE(status, 200);

    TapStream tap;
    QCOMPARE(tap.open(port, admin), 101);
    const QJsonObject aliceState = tap.waitFor(lifecycle("STATE", aliceSession));
    QVERIFY2(!aliceState.isEmpty(), tap.everything().constData());
    QCOMPARE(text(aliceState, "transport"), QStringLiteral("stomp"));
    QCOMPARE(text(aliceState, "dir"), QString());
    QCOMPARE(text(aliceState, "user"), QStringLiteral("alice"));
    QCOMPARE(header(aliceState, "state"), QStringLiteral("connected"));
    const QDateTime since = QDateTime::fromString(header(aliceState, "since"), Qt::ISODateWithMs);
    QVERIFY2(since.isValid(), qPrintable(header(aliceState, "since")));
    QVERIFY(since.toMSecsSinceEpoch() >= before - 1000
        && since.toMSecsSinceEpoch() <= QDateTime::currentMSecsSinceEpoch());
    QCOMPARE(aliceState.value(QStringLiteral("truncated")).toBool(), false);
    const QJsonArray expected {
        QJsonObject { { QStringLiteral("id"), QStringLiteral("sub-general") },
            { QStringLiteral("destination"), QStringLiteral("/topic/channels.general") } },
        QJsonObject { { QStringLiteral("id"), QStringLiteral("sub-ops") },
            { QStringLiteral("destination"), QStringLiteral("/topic/channels.ops") } }
    };
    QCOMPARE(bodyOf(aliceState).value(QStringLiteral("subscriptions")).toArray(), expected);

    const QJsonObject carolState = tap.waitFor(lifecycle("STATE", carolSession));
    QVERIFY2(!carolState.isEmpty(), tap.everything().constData());
    QCOMPARE(bodyOf(carolState).value(QStringLiteral("subscriptions")).toArray(),
        QJsonArray({ QJsonObject { { QStringLiteral("id"), QStringLiteral("0") },
            { QStringLiteral("destination"), QStringLiteral("/topic/presence") } } }));

    const QJsonObject bobState = tap.waitFor([](const QJsonObject &f) {
        return text(f, "command") == u"STATE" && text(f, "transport") == u"sse" && text(f, "user") == u"bob";
    });
    QVERIFY2(!bobState.isEmpty(), tap.everything().constData());
    QCOMPARE(text(bobState, "dir"), QString());
    QVERIFY(QDateTime::fromString(header(bobState, "since"), Qt::ISODateWithMs).isValid());
    QCOMPARE(bodyOf(bobState).value(QStringLiteral("channels")).toArray(),
        QJsonArray({ QStringLiteral("general"), QStringLiteral("ops") }));

    // One STATE per session, not one per worker that was asked.
    tap.readFor(300);
    int aliceStates = 0;
    for (const QJsonObject &f : tap.frames())
        aliceStates += lifecycle("STATE", aliceSession)(f) ? 1 : 0;
    QCOMPARE(aliceStates, 1);
}

void TestNodeTap::oneMessageToManySubscribersTapsEveryDelivery()
{
    // A fan-out's tap frames share the message's escaped part (TapMessageFrame): each
    // delivery must still come out as a frame of its own, with its session, user,
    // subscription (and ack header for a client-ack one), bytes, and the body cut at
    // --tap-body-bytes, once per delivery, from every worker.
    const quint16 port = m_node->port();
    TapStream tap;
    QCOMPARE(tap.open(port, login(port, QStringLiteral("admin"))), 101);
    struct Subscriber
    {
        QString user;
        QByteArray id;
        QByteArray ack;
        QString session;
        QByteArray delivered;
    };
    QList<Subscriber> subscribers { { QStringLiteral("alice"), "fan-a", "auto", {}, {} },
        { QStringLiteral("bob"), "fan \"b\"", "client", {}, {} },
        { QStringLiteral("alice"), "fan-c", "auto", {}, {} },
        { QStringLiteral("bob"), "fan-d", "client-individual", {}, {} } };
    std::vector<std::unique_ptr<RawWebSocket>> sockets;
    for (Subscriber &s : subscribers) {
        auto &ws = sockets.emplace_back(std::make_unique<RawWebSocket>());
        QCOMPARE(ws->open(port), 101);
        s.session = QString::fromUtf8(stompHeader(stompConnect(*ws, login(port, s.user)), "session"));
        QVERIFY(!s.session.isEmpty());
        ws->sendText(stompFrame("SUBSCRIBE",
            { { "id", s.id }, { "destination", "/topic/channels.general" }, { "ack", s.ack },
                { "receipt", "r" } }));
        QVERIFY(ws->read().payload.startsWith("RECEIPT"));
    }
    QCOMPARE(httpPost(port, "/api/channels/general/messages", "{\"text\":\"one message, four deliveries\"}",
                 login(port, QStringLiteral("alice")))
                 .status,
        201);
    QByteArray messageId;
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        subscribers[qsizetype(i)].delivered = sockets[i]->read().payload;
        QVERIFY(subscribers[qsizetype(i)].delivered.startsWith("MESSAGE"));
        messageId = stompHeader(subscribers[qsizetype(i)].delivered, "message-id");
    }
    for (const Subscriber &s : std::as_const(subscribers)) {
        const auto isDelivery = [&](const QJsonObject &f) {
            return text(f, "command") == u"MESSAGE" && text(f, "session") == s.session
                && text(f, "messageId").toUtf8() == messageId;
        };
        const QJsonObject f = tap.waitFor(isDelivery);
        QVERIFY2(!f.isEmpty(), tap.everything().constData());
        QCOMPARE(text(f, "user"), s.user);
        QCOMPARE(text(f, "transport"), QStringLiteral("stomp"));
        QCOMPARE(text(f, "dir"), QStringLiteral("out"));
        QCOMPARE(text(f, "destination"), QStringLiteral("/topic/channels.general"));
        QCOMPARE(header(f, "subscription").toUtf8(), s.id);
        QCOMPARE(header(f, "ack").toUtf8(), s.ack == "auto" ? QByteArray() : messageId);
        QCOMPARE(header(f, "message-id").toUtf8(), messageId);
        QCOMPARE(header(f, "destination"), QStringLiteral("/topic/channels.general"));
        QCOMPARE(f.value(QStringLiteral("bytes")).toInteger(), s.delivered.size());
        const QByteArray body = s.delivered.mid(s.delivered.indexOf("\n\n") + 2).chopped(1); // NUL
        QCOMPARE(text(f, "body"), QString::fromUtf8(body.first(16))); // --tap-body-bytes 16
        QCOMPARE(f.value(QStringLiteral("truncated")).toBool(), true);
    }
    // Once per delivery, not once per worker or per subscriber of the worker. (Only these
    // sessions counted: an earlier test's sessions may still be closing.)
    tap.readFor(300);
    QStringList tapped;
    for (const QJsonObject &frame : tap.frames())
        if (text(frame, "command") == u"MESSAGE" && text(frame, "messageId").toUtf8() == messageId)
            tapped << text(frame, "session");
    for (const Subscriber &s : std::as_const(subscribers))
        QCOMPARE(tapped.count(s.session), 1);
}

SB_TEST_GUILESS_MAIN(TestNodeTap)
#include "tst_nodetap.moc"
