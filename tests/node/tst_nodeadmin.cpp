// The admin surface of a real node: /admin/stats and the /admin/tap WebSocket need
// ROLE_ADMIN; the tap streams one JSON object per frame with secrets masked.

#include "NodeTestSupport.h"
#include "support/TestMain.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <memory>

using namespace sb::testing;

class TestNodeAdmin : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase();
    void statsNeedsAdmin();
    void tapNeedsAdmin();
    void tapStreamsFramesWithSecretsMasked();
    void slowTapReaderLosesFramesNotMemory();
    void stage1PauseNeedsAdminAndKafka();

private:
    std::unique_ptr<NodeProcess> m_node;
};

void TestNodeAdmin::initTestCase()
{
    m_node = std::make_unique<NodeProcess>();
    QVERIFY2(m_node->start({ QStringLiteral("--tap-body-bytes"), QStringLiteral("16") }),
        qPrintable(m_node->errorString()));
}

void TestNodeAdmin::statsNeedsAdmin()
{
    const quint16 port = m_node->port();
    QCOMPARE(httpGet(port, "/admin/stats").status, 401);
    const HttpResult forbidden = httpGet(port, "/admin/stats", login(port, QStringLiteral("alice")));
    QCOMPARE(forbidden.status, 403);
    QVERIFY2(forbidden.body.contains("ROLE_ADMIN"), forbidden.body.constData());
    const HttpResult stats = httpGet(port, "/admin/stats", login(port, QStringLiteral("admin")));
    QCOMPARE(stats.status, 200);
    const QJsonObject json = QJsonDocument::fromJson(stats.body).object();
    for (const char *key : { "node", "bootId", "version", "startedAt", "uptimeSeconds", "ready", "draining",
             "workers", "connections", "subscriptions", "messagesIn", "messagesOut", "heartBeatTimeouts",
             "dropped", "authFailures", "deliveries", "tapReaders" })
        QVERIFY2(json.contains(QLatin1String(key)), key);
    QCOMPARE(json.value(QStringLiteral("ready")).toBool(), true);
    QCOMPARE(json.value(QStringLiteral("workers")).toInt(), 2);
    QVERIFY(json.value(QStringLiteral("authFailures")).toObject().value(QStringLiteral("forbidden")).toInt()
        >= 1);
}

void TestNodeAdmin::tapNeedsAdmin()
{
    const quint16 port = m_node->port();
    RawWebSocket anonymous;
    QCOMPARE(anonymous.open(port, "/admin/tap", {}), 401);
    RawWebSocket alice;
    QCOMPARE(alice.open(port, "/admin/tap", {},
                 "Authorization: Bearer " + login(port, QStringLiteral("alice")) + "\r\n"),
        403);
    QVERIFY2(alice.handshakeResponse().contains("ROLE_ADMIN"), alice.handshakeResponse().constData());
}

void TestNodeAdmin::tapStreamsFramesWithSecretsMasked()
{
    const quint16 port = m_node->port();
    RawWebSocket tap;
    QCOMPARE(tap.open(port, "/admin/tap", {},
                 "Authorization: Bearer " + login(port, QStringLiteral("admin")) + "\r\n"),
        101);
    QTRY_COMPARE_WITH_TIMEOUT(
        QJsonDocument::fromJson(httpGet(port, "/admin/stats", login(port, QStringLiteral("admin"))).body)
            .object()
            .value(QStringLiteral("tapReaders"))
            .toInt(),
        1, 5000);

    const QByteArray aliceToken = login(port, QStringLiteral("alice"));
    const QByteArray bobToken = login(port, QStringLiteral("bob"));
    RawWebSocket bob;
    QCOMPARE(bob.open(port), 101);
    // passcode carries the token here, to check that it is masked too.
    bob.sendText(stompFrame("CONNECT",
        { { "accept-version", "1.2" }, { "host", "x" }, { "login", "bob" }, { "passcode", bobToken } }));
    QVERIFY(bob.read().payload.startsWith("CONNECTED"));
    bob.sendText(stompFrame(
        "SUBSCRIBE", { { "id", "1" }, { "destination", "/topic/channels.general" }, { "receipt", "r" } }));
    QVERIFY(bob.read().payload.startsWith("RECEIPT"));
    RawWebSocket alice;
    QCOMPARE(alice.open(port), 101);
    QVERIFY(stompConnect(alice, aliceToken).startsWith("CONNECTED"));
    alice.sendText(stompFrame("SEND", { { "destination", "/app/channels.general" }, { "receipt", "s" } },
        "{\"text\":\"a long enough text to be cut in the tap\"}"));
    QVERIFY(alice.read().payload.startsWith("RECEIPT"));
    const RawWebSocket::Message delivered = bob.read();
    QVERIFY(delivered.payload.startsWith("MESSAGE"));
    const QByteArray messageId = stompHeader(delivered.payload, "message-id");

    QList<QJsonObject> frames;
    QByteArray everything;
    const QDeadlineTimer deadline(5000);
    bool sawMessageOut = false;
    while (!sawMessageOut && !deadline.hasExpired()) {
        const RawWebSocket::Message m = tap.read(200);
        if (m.opcode != 1)
            continue;
        everything += m.payload;
        for (const QByteArray &line : m.payload.split('\n')) { // a batch: one frame per line
            QJsonParseError error;
            const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
            QVERIFY2(doc.isObject(), line.constData());
            frames << doc.object();
            const QJsonObject f = doc.object();
            sawMessageOut = sawMessageOut
                || (f.value(QStringLiteral("command")) == QStringLiteral("MESSAGE")
                    && f.value(QStringLiteral("messageId")).toString().toUtf8() == messageId);
        }
    }
    QVERIFY2(sawMessageOut, everything.constData());
    for (const QJsonObject &f : std::as_const(frames))
        for (const char *key : { "ts", "node", "session", "user", "transport", "dir", "command",
                 "destination", "messageId", "bytes", "headers", "body" })
            QVERIFY2(f.contains(QLatin1String(key)), key);

    auto find = [&](const QString &user, const QString &command, const QString &dir) {
        for (const QJsonObject &f : std::as_const(frames))
            if (f.value(QStringLiteral("user")).toString() == user
                && f.value(QStringLiteral("command")).toString() == command
                && f.value(QStringLiteral("dir")).toString() == dir)
                return f;
        return QJsonObject();
    };
    // CONNECT arrives before authentication, so its user may still be empty: find by command.
    QJsonObject aliceConnect;
    QJsonObject bobConnect;
    for (const QJsonObject &f : std::as_const(frames)) {
        if (f.value(QStringLiteral("command")) != QStringLiteral("CONNECT"))
            continue;
        const QJsonObject headers = f.value(QStringLiteral("headers")).toObject();
        if (headers.contains(QStringLiteral("Authorization")))
            aliceConnect = f;
        if (headers.contains(QStringLiteral("passcode")))
            bobConnect = f;
    }
    QCOMPARE(aliceConnect.value(QStringLiteral("headers"))
                 .toObject()
                 .value(QStringLiteral("Authorization"))
                 .toString(),
        QStringLiteral("***"));
    QCOMPARE(
        bobConnect.value(QStringLiteral("headers")).toObject().value(QStringLiteral("passcode")).toString(),
        QStringLiteral("***"));
    QCOMPARE(aliceConnect.value(QStringLiteral("transport")).toString(), QStringLiteral("stomp"));
    QCOMPARE(aliceConnect.value(QStringLiteral("dir")).toString(), QStringLiteral("in"));
    QVERIFY(!everything.contains(aliceToken));
    QVERIFY(!everything.contains(bobToken));

    const QJsonObject send = find(QStringLiteral("alice"), QStringLiteral("SEND"), QStringLiteral("in"));
    QCOMPARE(send.value(QStringLiteral("destination")).toString(), QStringLiteral("/app/channels.general"));
    QCOMPARE(send.value(QStringLiteral("body")).toString().size(), 16); // --tap-body-bytes 16
    QCOMPARE(send.value(QStringLiteral("truncated")).toBool(), true);
    const QJsonObject out = find(QStringLiteral("bob"), QStringLiteral("MESSAGE"), QStringLiteral("out"));
    QCOMPARE(out.value(QStringLiteral("messageId")).toString().toUtf8(), messageId);
    QVERIFY(out.value(QStringLiteral("bytes")).toInt() > 0);
}

void TestNodeAdmin::slowTapReaderLosesFramesNotMemory()
{
    // A tap reader that stops reading: once its socket holds --limit-outbound-bytes
    // unsent, its frames are dropped and counted, instead of piling up in the node.
    NodeProcess node;
    QVERIFY2(node.start({ QStringLiteral("--limit-outbound-bytes"), QStringLiteral("65536"),
                 QStringLiteral("--tap-body-bytes"), QStringLiteral("8192") }),
        qPrintable(node.errorString()));
    const quint16 port = node.port();
    const QByteArray admin = login(port, QStringLiteral("admin"));
    RawWebSocket tap(4096); // a tiny receive window, and never read
    QCOMPARE(tap.open(port, "/admin/tap", {}, "Authorization: Bearer " + admin + "\r\n"), 101);
    QTRY_COMPARE_WITH_TIMEOUT(QJsonDocument::fromJson(httpGet(port, "/admin/stats", admin).body)
                                  .object()
                                  .value(QStringLiteral("tapReaders"))
                                  .toInt(),
        1, 5000);

    const QByteArray alice = login(port, QStringLiteral("alice"));
    const QByteArray body = QJsonDocument(QJsonObject { { QStringLiteral("text"), QString(4000, u'x') } })
                                .toJson(QJsonDocument::Compact);
    int published = 0;
    double overflow = 0;
    // The longest text a publish may carry (4000 characters), ~5 KB of tap per publish: the
    // kernel's socket buffers fill after a few MB at most.
    for (; published < 3000 && overflow < 1; ++published) {
        QCOMPARE(httpPost(port, "/api/channels/general/messages", body, alice).status, 201);
        if (published % 100 == 99)
            overflow = metricValue(metricsText(port), "sb_dropped_total{reason=\"tap_overflow\"}");
    }
    QVERIFY2(overflow >= 1, qPrintable(QStringLiteral("no tap_overflow after %1 publishes").arg(published)));
    QCOMPARE(httpGet(port, "/healthz/live").status, 200);
}

// POST /admin/stage1/{pause,resume}: ROLE_ADMIN, POST only, and a clear 409 on a replica
// without Kafka (no stage-1 consumer); /admin/stats says nothing of stage 1 there. The
// pause itself, on a devcluster, is tst_demoscript's (the group's lag grows, then falls).
void TestNodeAdmin::stage1PauseNeedsAdminAndKafka()
{
    const quint16 port = m_node->port();
    QCOMPARE(httpPost(port, "/admin/stage1/pause", {}).status, 401);
    QCOMPARE(httpPost(port, "/admin/stage1/pause", {}, login(port, QStringLiteral("alice"))).status, 403);
    QCOMPARE(httpGet(port, "/admin/stage1/pause", login(port, QStringLiteral("admin"))).status, 405);
    const QByteArray admin = login(port, QStringLiteral("admin"));
    for (const char *path : { "/admin/stage1/pause", "/admin/stage1/resume" }) {
        const HttpResult refused = httpPost(port, path, {}, admin);
        QCOMPARE(refused.status, 409);
        QVERIFY2(refused.body.contains("no stage-1 consumer"), refused.body.constData());
    }
    QVERIFY(!QJsonDocument::fromJson(httpGet(port, "/admin/stats", admin).body)
                 .object()
                 .contains(QStringLiteral("stage1Paused")));
}

SB_TEST_GUILESS_MAIN(TestNodeAdmin)
#include "tst_nodeadmin.moc"
