// Unit tests of the node's pure classes: password hashes, the login rate limiter,
// destination parsing, the bus envelope and the Prometheus rendering of the metrics.

#include "cluster/InMemoryTokenRegistry.h"
#include "node/AddressConnectionLimit.h"
#include "node/Destination.h"
#include "node/Envelope.h"
#include "node/MessageService.h"
#include "node/NodeMetrics.h"
#include "node/PasswordHasher.h"
#include "node/RateLimiter.h"
#include "node/RecentIds.h"
#include "node/ReplaySeam.h"
#include "node/StompConnectRequest.h"
#include "node/StompSendBody.h"
#include "node/StompTransactions.h"
#include "node/TapEvent.h"
#include "protocol/NodeApi.h"
#include "support/TestMain.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace sb::node;

using StompHeaders = QList<QPair<QByteArray, QByteArray>>;

class TestNodeUnits : public QObject
{
    Q_OBJECT
private slots:
    void passwordHashRoundTrip();
    void passwordHashRejectsMalformed_data();
    void passwordHashRejectsMalformed();
    void rateLimiterSlidingWindow();
    void rateLimiterBoundsKeys();
    void destinationParse_data();
    void destinationParse();
    void channelMessagesPaths_data();
    void channelMessagesPaths();
    void stompSendBody_data();
    void stompSendBody();
    void stompConnectRequest_data();
    void stompConnectRequest();
    void envelopeRoundTrip();
    void envelopeRejectsGarbage();
    void messageIdsSortInCreationOrder();
    void recoveryReplaysHistoryThenUnseenLive();
    void recoveryIsBounded();
    void inMemoryTokensRevokeByUser();
    void addressLimitCountsPerAddress();
    void transactionsAreBounded();
    void recentIdsDropRepeatsWithinTheWindow();
    void metricsPrometheusText();
    void tapEventMasksSecrets();
    void tapEventJsonCarriesAnyText_data();
    void tapEventJsonCarriesAnyText();
    void tapEventJsonEncodesEveryCodePoint();
    void tapEventJsonAppendsToWhatIsThere();
};

void TestNodeUnits::passwordHashRoundTrip()
{
    const QString encoded = PasswordHasher::hash(QStringLiteral("s3cret ü"), 1000);
    QVERIFY(encoded.startsWith(QStringLiteral("pbkdf2-sha256$1000$")));
    QVERIFY(PasswordHasher::isWellFormed(encoded));
    QVERIFY(PasswordHasher::verify(QStringLiteral("s3cret ü"), encoded));
    QVERIFY(!PasswordHasher::verify(QStringLiteral("s3cret u"), encoded));
    QVERIFY(!PasswordHasher::verify(QString(), encoded));
    // A fresh salt each time.
    QVERIFY(
        PasswordHasher::hash(QStringLiteral("x"), 1000) != PasswordHasher::hash(QStringLiteral("x"), 1000));
}

void TestNodeUnits::passwordHashRejectsMalformed_data()
{
    QTest::addColumn<QString>("encoded");
    QTest::newRow("empty") << QString();
    QTest::newRow("wrong scheme") << QStringLiteral("bcrypt$10$abc$def");
    QTest::newRow("missing key") << QStringLiteral("pbkdf2-sha256$1000$c2FsdA==");
    QTest::newRow("bad iterations") << QStringLiteral("pbkdf2-sha256$-5$c2FsdA==$a2V5");
    QTest::newRow("not base64") << QStringLiteral("pbkdf2-sha256$1000$***$###");
    QTest::newRow("absurd iterations") << QStringLiteral("pbkdf2-sha256$999999999999$c2FsdA==$a2V5");
}

void TestNodeUnits::passwordHashRejectsMalformed()
{
    QFETCH(QString, encoded);
    QVERIFY(!PasswordHasher::isWellFormed(encoded));
    QVERIFY(!PasswordHasher::verify(QStringLiteral("anything"), encoded));
}

void TestNodeUnits::rateLimiterSlidingWindow()
{
    RateLimiter limiter(3);
    const qint64 t0 = 1'000'000;
    QVERIFY(limiter.allow(QStringLiteral("alice"), t0));
    QVERIFY(limiter.allow(QStringLiteral("alice"), t0 + 10));
    QVERIFY(limiter.allow(QStringLiteral("alice"), t0 + 20));
    QVERIFY(!limiter.allow(QStringLiteral("alice"), t0 + 30));
    QVERIFY(limiter.allow(QStringLiteral("bob"), t0 + 30)); // keys are independent
    QCOMPARE(limiter.retryAfterSeconds(QStringLiteral("alice"), t0 + 30), 60);
    QCOMPARE(limiter.retryAfterSeconds(QStringLiteral("nobody"), t0), 0);
    // The first attempt leaves the one-minute window: one more is allowed, not more.
    QVERIFY(limiter.allow(QStringLiteral("alice"), t0 + 60'000));
    QVERIFY(!limiter.allow(QStringLiteral("alice"), t0 + 60'001));
}

void TestNodeUnits::rateLimiterBoundsKeys()
{
    RateLimiter limiter(5, 10);
    for (int i = 0; i < 10; ++i)
        QVERIFY(limiter.allow(QString::number(i), 0));
    // Full of keys still in their window: a new key is refused rather than stored.
    QVERIFY(!limiter.allow(QStringLiteral("new"), 1000));
    QVERIFY(limiter.allow(QStringLiteral("3"), 1000)); // known keys still work
    // Once the window has passed, old keys are purged and new ones fit again.
    QVERIFY(limiter.allow(QStringLiteral("new"), 120'000));
}

void TestNodeUnits::destinationParse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("channel");
    using K = Destination::Kind;
    QTest::newRow("topic") << QStringLiteral("/topic/channels.general") << int(K::ChannelTopic)
                           << QStringLiteral("general");
    QTest::newRow("app") << QStringLiteral("/app/channels.ops-2_b") << int(K::ChannelApp)
                         << QStringLiteral("ops-2_b");
    QTest::newRow("own queue") << QStringLiteral("/user/queue/notifications") << int(K::UserNotifications)
                               << QString();
    QTest::newRow("other's queue") << QStringLiteral("/user/bob/queue/notifications")
                                   << int(K::OtherUsersQueue) << QString();
    QTest::newRow("presence") << QStringLiteral("/topic/presence") << int(K::Presence) << QString();
    QTest::newRow("admin") << QStringLiteral("/admin/tap") << int(K::Admin) << QString();
    QTest::newRow("empty channel") << QStringLiteral("/topic/channels.") << int(K::Invalid) << QString();
    QTest::newRow("dot in channel") << QStringLiteral("/topic/channels.a.b") << int(K::Invalid) << QString();
    QTest::newRow("slash in channel")
        << QStringLiteral("/app/channels.a/../b") << int(K::Invalid) << QString();
    QTest::newRow("non-ASCII letter")
        << QStringLiteral("/topic/channels.caf\u00e9") << int(K::Invalid) << QString();
    QTest::newRow("too long") << (QStringLiteral("/topic/channels.") + QString(65, u'a')) << int(K::Invalid)
                              << QString();
    QTest::newRow("unknown") << QStringLiteral("/queue/x") << int(K::Invalid) << QString();
    QTest::newRow("prefix only") << QStringLiteral("/adminx") << int(K::Invalid) << QString();
}

void TestNodeUnits::destinationParse()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(QString, channel);
    const Destination d = Destination::parse(text);
    QCOMPARE(int(d.kind), kind);
    QCOMPARE(d.channel, channel);
}

void TestNodeUnits::channelMessagesPaths_data()
{
    // The node routes POST /api/channels/{id}/messages by nodeapi::channelOfMessagesPath:
    // one non-empty segment; whether it is a channel id is the node's next question.
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("channel");
    QTest::newRow("channel") << QStringLiteral("/api/channels/general/messages") << QStringLiteral("general");
    QTest::newRow("any segment") << QStringLiteral("/api/channels/caf\u00e9/messages")
                                 << QStringLiteral("caf\u00e9");
    QTest::newRow("no segment") << QStringLiteral("/api/channels//messages") << QString();
    QTest::newRow("overlapping") << QStringLiteral("/api/channels/messages") << QString();
    QTest::newRow("two segments") << QStringLiteral("/api/channels/a/b/messages") << QString();
    QTest::newRow("climbs") << QStringLiteral("/api/channels/../messages/messages") << QString();
    QTest::newRow("trailing slash") << QStringLiteral("/api/channels/general/messages/") << QString();
    QTest::newRow("another endpoint") << QStringLiteral("/api/sse") << QString();
}

void TestNodeUnits::channelMessagesPaths()
{
    QFETCH(QString, path);
    QFETCH(QString, channel);
    QCOMPARE(sb::protocol::nodeapi::channelOfMessagesPath(path), channel);
    if (!channel.isEmpty())
        QCOMPARE(sb::protocol::nodeapi::channelMessagesPath(channel), path);
}

void TestNodeUnits::stompSendBody_data()
{
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("error");
    const QString shape = QStringLiteral("SEND body must be JSON {\"text\": \"…\"} with non-empty text");
    QTest::newRow("text") << QByteArray(R"({"text":"hi"})") << QStringLiteral("hi") << QString();
    QTest::newRow("longest") << (R"({"text":")" + QByteArray(ChatMessage::kMaxTextChars, 'a') + R"("})")
                             << QString(ChatMessage::kMaxTextChars, u'a') << QString();
    QTest::newRow("too long") << (R"({"text":")" + QByteArray(ChatMessage::kMaxTextChars + 1, 'a') + R"("})")
                              << QString() << QStringLiteral("text longer than 4000 characters");
    QTest::newRow("blank") << QByteArray(R"({"text":"  "})") << QString() << shape;
    QTest::newRow("not a string") << QByteArray(R"({"text":5})") << QString() << shape;
    QTest::newRow("array") << QByteArray(R"(["text"])") << QString() << shape;
    QTest::newRow("not JSON") << QByteArray("hi") << QString() << shape;
}

void TestNodeUnits::stompSendBody()
{
    QFETCH(QByteArray, body);
    QFETCH(QString, text);
    QFETCH(QString, error);
    const StompSendBody parsed = StompSendBody::parse(body);
    QCOMPARE(parsed.ok(), error.isEmpty());
    QCOMPARE(parsed.error, error);
    QCOMPARE(parsed.text, text);
    QCOMPARE(parsed.details.isEmpty(), body != "hi"); // only a parse failure has the parser's words
}

void TestNodeUnits::stompConnectRequest_data()
{
    using Problem = StompConnectRequest::Problem;
    QTest::addColumn<StompHeaders>("headers");
    QTest::addColumn<int>("problem");
    QTest::addColumn<QByteArray>("token");
    QTest::addColumn<qint64>("sendMs");
    const QPair<QByteArray, QByteArray> bearer { "Authorization", "Bearer t0k" };
    QTest::newRow("bearer") << StompHeaders { { "accept-version", "1.2" }, bearer } << int(Problem::None)
                            << QByteArray("t0k") << qint64(0);
    QTest::newRow("lower-case header")
        << StompHeaders { { "accept-version", "1.2" }, { "authorization", "Bearer x" } } << int(Problem::None)
        << QByteArray("x") << qint64(0);
    QTest::newRow("passcode") << StompHeaders { { "accept-version", "1.1" }, { "passcode", "p" } }
                              << int(Problem::None) << QByteArray("p") << qint64(0);
    QTest::newRow("heart-beat") << StompHeaders { { "accept-version", "1.2" }, { "heart-beat", "500,0" },
        bearer } << int(Problem::None)
                                << QByteArray("t0k") << qint64(500);
    QTest::newRow("no token") << StompHeaders { { "accept-version", "1.2" } } << int(Problem::MissingToken)
                              << QByteArray() << qint64(0);
    QTest::newRow("bad heart-beat before the token")
        << StompHeaders { { "accept-version", "1.2" }, { "heart-beat", "x" } } << int(Problem::BadHeartBeat)
        << QByteArray() << qint64(0);
    QTest::newRow("version first") << StompHeaders { { "accept-version", "9.9" }, { "heart-beat", "x" } }
                                   << int(Problem::UnsupportedVersion) << QByteArray() << qint64(0);
}

void TestNodeUnits::stompConnectRequest()
{
    QFETCH(StompHeaders, headers);
    QFETCH(int, problem);
    QFETCH(QByteArray, token);
    QFETCH(qint64, sendMs);
    sb::protocol::StompFrame frame("CONNECT");
    for (const auto &[name, value] : std::as_const(headers))
        frame.addHeader(name, value);
    const StompConnectRequest request = StompConnectRequest::parse(frame);
    QCOMPARE(int(request.problem), problem);
    QCOMPARE(request.token, token);
    QCOMPARE(request.heartBeat.sendMs, sendMs);
    QCOMPARE(request.negotiation.ok, problem != int(StompConnectRequest::Problem::UnsupportedVersion));
}

void TestNodeUnits::envelopeRoundTrip()
{
    Envelope message;
    message.type = Envelope::Type::Message;
    message.message.id = QStringLiteral("1795312504145-85f838c91156");
    message.message.channel = QStringLiteral("general");
    message.message.sender = QStringLiteral("alice");
    message.message.text = QStringLiteral("héllo \"quoted\"\n");
    message.message.timestampMs = 1795312504145;
    message.recipients = { QStringLiteral("bob"), QStringLiteral("carol") };
    message.publishedAtUs = 1795312504145123;
    QString error;
    const auto decoded = Envelope::fromJson(message.toJson(), &error);
    QVERIFY2(decoded, qPrintable(error));
    QCOMPARE(int(decoded->type), int(Envelope::Type::Message));
    QCOMPARE(decoded->message.id, message.message.id);
    QCOMPARE(decoded->message.channel, message.message.channel);
    QCOMPARE(decoded->message.sender, message.message.sender);
    QCOMPARE(decoded->message.text, message.message.text);
    QCOMPARE(decoded->message.timestampMs, message.message.timestampMs);
    QCOMPARE(decoded->recipients, message.recipients);
    QCOMPARE(decoded->publishedAtUs, message.publishedAtUs);

    Envelope presence;
    presence.type = Envelope::Type::Presence;
    presence.presenceUser = QStringLiteral("bob");
    presence.online = true;
    const auto back = Envelope::fromJson(presence.toJson(), &error);
    QVERIFY2(back, qPrintable(error));
    QCOMPARE(int(back->type), int(Envelope::Type::Presence));
    QCOMPARE(back->presenceUser, QStringLiteral("bob"));
    QCOMPARE(back->online, true);
    const QJsonObject body = QJsonDocument::fromJson(back->presenceBody()).object();
    QCOMPARE(body.value(QStringLiteral("user")).toString(), QStringLiteral("bob"));
}

void TestNodeUnits::envelopeRejectsGarbage()
{
    QString error;
    QVERIFY(!Envelope::fromJson(QByteArrayLiteral("not json"), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!Envelope::fromJson(QByteArrayLiteral("[]"), &error));
    QVERIFY(!Envelope::fromJson(QByteArrayLiteral("{\"type\":\"martian\"}"), &error));
}

void TestNodeUnits::messageIdsSortInCreationOrder()
{
    QStringList ids;
    for (int i = 0; i < 2000; ++i)
        ids << MessageService::newMessageId();
    QStringList sorted = ids;
    sorted.sort();
    QCOMPARE(sorted, ids);
    QCOMPARE(QSet<QString>(ids.cbegin(), ids.cend()).size(), ids.size());
    QVERIFY(ids.first().contains(u'-'));
    // The prefix is the creation time in milliseconds, so ids from any replica and any
    // process life sort by time (it once carried ms mod 2^32 and wrapped).
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const qint64 stamped = ids.last().section(u'-', 0, 0).toLongLong();
    QVERIFY2(qAbs(now - stamped) < 5000, qPrintable(ids.last()));
}

void TestNodeUnits::recoveryReplaysHistoryThenUnseenLive()
{
    // Live m3 and m4 arrive while the history (m2, m3) is read: the client gets m2, m3
    // once (from history, marked replayed), then m4 — no gap, no duplicate at the seam.
    ReplaySeam seam;
    QVERIFY(seam.isReading());
    QCOMPARE(seam.offer({ QStringLiteral("m3"), "message", "live-3" }, 30), ReplaySeam::Live::Held);
    QCOMPARE(seam.offer({ QStringLiteral("m4"), "message", "live-4" }, 40), ReplaySeam::Live::Held);
    sb::cluster::ReplayResult history;
    history.events = { { QStringLiteral("m1"), "message", "hist-1" },
        { QStringLiteral("m2"), "message", "hist-2" }, { QStringLiteral("m3"), "message", "hist-3" } };
    const QList<ReplaySeam::Item> out = seam.finish(history);
    QCOMPARE(out.size(), 4);
    QCOMPARE(out[0].event.id, QStringLiteral("m1"));
    QVERIFY(out[0].replayed);
    QCOMPARE(out[2].event.id, QStringLiteral("m3"));
    QCOMPARE(out[2].event.data, QByteArray("hist-3"));
    QCOMPARE(out[3].event.id, QStringLiteral("m4"));
    QVERIFY(!out[3].replayed);
    QCOMPARE(out[3].publishedAtUs, 40);

    // A live copy of a replayed event that comes late (Kafka's broadcast lagging Redis'
    // history) is dropped once; new events go through.
    QVERIFY(!seam.isReading());
    QCOMPARE(seam.offer({ QStringLiteral("m2"), "message", "live-2" }, 20), ReplaySeam::Live::Duplicate);
    QCOMPARE(seam.offer({ QStringLiteral("m2"), "message", "live-2" }, 20), ReplaySeam::Live::Deliver);
    QCOMPARE(seam.offer({ QStringLiteral("m5"), "message", "live-5" }, 50), ReplaySeam::Live::Deliver);
    QVERIFY(!seam.isDone()); // m1 may still come late
    QCOMPARE(seam.offer({ QStringLiteral("m1"), "message", "live-1" }, 10), ReplaySeam::Live::Duplicate);
    QVERIFY(seam.isDone());

    history.reset = true;
    const sb::protocol::StompFrame notice
        = ReplaySeam::stompResetNotice("sub-1", QStringLiteral("/topic/channels.general"), history);
    QCOMPARE(notice.command(), QByteArray("MESSAGE"));
    QCOMPARE(notice.header("recovery"), QByteArray("reset"));
    QCOMPARE(notice.header("subscription"), QByteArray("sub-1"));
}

void TestNodeUnits::recoveryIsBounded()
{
    ReplaySeam seam(2);
    QCOMPARE(seam.offer({ QStringLiteral("a"), {}, {} }, 0), ReplaySeam::Live::Held);
    QCOMPARE(seam.offer({ QStringLiteral("b"), {}, {} }, 0), ReplaySeam::Live::Held);
    QCOMPARE(seam.offer({ QStringLiteral("c"), {}, {} }, 0), ReplaySeam::Live::Overflow);
    QCOMPARE(seam.finish({}).size(), 2);
    QVERIFY(seam.isDone());
}

void TestNodeUnits::inMemoryTokensRevokeByUser()
{
    sb::cluster::InMemoryTokenRegistry tokens;
    const qint64 exp = QDateTime::currentSecsSinceEpoch() + 60;
    tokens.remember(QStringLiteral("b-1"), QStringLiteral("bob"), exp);
    tokens.remember(QStringLiteral("b-2"), QStringLiteral("bob"), exp);
    tokens.remember(QStringLiteral("c-1"), QStringLiteral("carol"), exp);
    tokens.revokeUser(QStringLiteral("bob"));
    QVERIFY(!tokens.isActiveNow(QStringLiteral("b-1")));
    QVERIFY(!tokens.isActiveNow(QStringLiteral("b-2")));
    QVERIFY(tokens.isActiveNow(QStringLiteral("c-1")));
    tokens.remember(QStringLiteral("b-3"), QStringLiteral("bob"), exp); // a new login works again
    QVERIFY(tokens.isActiveNow(QStringLiteral("b-3")));
}

void TestNodeUnits::addressLimitCountsPerAddress()
{
    AddressConnectionLimit limit;
    const QHostAddress a(QStringLiteral("192.0.2.1"));
    const QHostAddress mapped(QStringLiteral("::ffff:192.0.2.1")); // the same client through an IPv6 socket
    const QHostAddress other(QStringLiteral("2001:db8::1"));
    QVERIFY(limit.tryAcquire(a, 2, false));
    QVERIFY(limit.tryAcquire(mapped, 2, false));
    QVERIFY(!limit.tryAcquire(a, 2, false));
    QVERIFY(!limit.tryAcquire(mapped, 2, true)); // the exemption is for loopback only
    QCOMPARE(limit.openFrom(a), 2);
    QVERIFY(limit.tryAcquire(other, 2, false)); // another address is not affected
    limit.release(mapped);
    QCOMPARE(limit.openFrom(a), 1);
    QVERIFY(limit.tryAcquire(a, 2, false));
    limit.release(a);
    limit.release(a);
    limit.release(a); // one too many: never below zero, never a stale entry
    QCOMPARE(limit.openFrom(a), 0);
    QVERIFY(limit.tryAcquire(a, 1, false));

    // Loopback counts like any address unless exempted, and an exempt one is never counted.
    const QHostAddress loopback(QHostAddress::LocalHost);
    QVERIFY(limit.tryAcquire(loopback, 1, false));
    QVERIFY(!limit.tryAcquire(QHostAddress(QStringLiteral("::ffff:127.0.0.1")), 1, false));
    limit.release(loopback);
    for (int i = 0; i < 5; ++i)
        QVERIFY(limit.tryAcquire(i % 2 ? loopback : QHostAddress(QHostAddress::LocalHostIPv6), 1, true));
    QCOMPARE(limit.openFrom(loopback), 0);
}

void TestNodeUnits::transactionsAreBounded()
{
    StompTransactions transactions;
    const sb::protocol::StompFrame send("SEND");
    QVERIFY(!transactions.begin("t1"));
    QCOMPARE(transactions.begin("t1")->message, QStringLiteral("transaction 't1' already begun"));
    for (int i = 0; i < StompTransactions::kMaxFrames; ++i)
        QVERIFY(!transactions.hold("t1", send));
    QCOMPARE(transactions.hold("t1", send)->dropReason, QByteArray("transaction_too_large"));
    QCOMPARE(transactions.hold("nope", send)->message, QStringLiteral("unknown transaction 'nope'"));
    StompTransactions::Refusal refusal;
    const auto frames = transactions.end("t1", &refusal);
    QVERIFY(frames);
    QCOMPARE(frames->size(), StompTransactions::kMaxFrames);
    QVERIFY(!transactions.end("t1", &refusal)); // ended: COMMIT or ABORT once
    QCOMPARE(refusal.message, QStringLiteral("unknown transaction 't1'"));
    for (int i = 0; i < StompTransactions::kMaxOpen; ++i)
        QVERIFY(!transactions.begin("x" + QByteArray::number(i)));
    QCOMPARE(
        transactions.begin("one-too-many")->message, QStringLiteral("too many open transactions (limit 10)"));
}

void TestNodeUnits::recentIdsDropRepeatsWithinTheWindow()
{
    RecentIds ids(3);
    QVERIFY(ids.insert(QStringLiteral("a")));
    QVERIFY(!ids.insert(QStringLiteral("a"))); // a redelivered broadcast
    QVERIFY(ids.insert(QStringLiteral("b")));
    QVERIFY(ids.insert(QStringLiteral("c")));
    QVERIFY(ids.insert(QStringLiteral("d"))); // "a" leaves the window
    QVERIFY(ids.insert(QStringLiteral("a")));
    QVERIFY(!ids.insert(QStringLiteral("d")));
}

void TestNodeUnits::metricsPrometheusText()
{
    NodeMetrics metrics;
    metrics.connectionOpened(NodeMetrics::Transport::Stomp);
    metrics.connectionOpened(NodeMetrics::Transport::Stomp);
    metrics.connectionClosed(NodeMetrics::Transport::Stomp);
    metrics.connectionOpened(NodeMetrics::Transport::Sse);
    metrics.subscriptionsChanged(+3);
    metrics.message(NodeMetrics::Transport::Stomp, NodeMetrics::Direction::Out, 5);
    metrics.heartBeatTimeout();
    metrics.dropped(QByteArrayLiteral("slow_consumer"));
    metrics.dropped(QByteArrayLiteral("slow_consumer"));
    metrics.authFailure(QByteArrayLiteral("expired"));
    metrics.observeDeliveryLatency(0.0003);
    metrics.observeDeliveryLatency(0.02);
    metrics.observeDeliveryLatency(10);
    const QByteArray text = metrics.prometheusText(QByteArrayLiteral("node-1"), true, false);
    const QList<QByteArray> expected {
        "sb_connections{transport=\"stomp\"} 1",
        "sb_connections{transport=\"sse\"} 1",
        "sb_connections{transport=\"http\"} 0",
        "sb_subscriptions 3",
        "sb_messages_total{transport=\"stomp\",direction=\"out\"} 5",
        "sb_heartbeat_timeouts_total 1",
        "sb_dropped_total{reason=\"slow_consumer\"} 2",
        "sb_auth_failures_total{reason=\"expired\"} 1",
        "sb_delivery_latency_seconds_bucket{le=\"0.0005\"} 1",
        "sb_delivery_latency_seconds_bucket{le=\"0.025\"} 2",
        "sb_delivery_latency_seconds_bucket{le=\"2.5\"} 2",
        "sb_delivery_latency_seconds_bucket{le=\"+Inf\"} 3",
        "sb_delivery_latency_seconds_count 3",
        "sb_node_ready{node=\"node-1\"} 1",
        "sb_node_draining{node=\"node-1\"} 0",
    };
    const QList<QByteArray> lines = text.split('\n');
    for (const QByteArray &line : expected)
        QVERIFY2(lines.contains(line), line.constData());
    // Every sample belongs to a family declared with # TYPE before it.
    QSet<QByteArray> declared;
    for (const QByteArray &line : lines) {
        if (line.startsWith("# TYPE "))
            declared.insert(line.split(' ').value(2));
        else if (!line.isEmpty() && !line.startsWith('#')) {
            QByteArray name = line.left(line.indexOf(line.contains('{') ? '{' : ' '));
            for (const char *suffix : { "_bucket", "_sum", "_count" })
                if (name.endsWith(suffix) && !declared.contains(name))
                    name.chop(qstrlen(suffix));
            QVERIFY2(declared.contains(name), line.constData());
        }
    }
    QVERIFY(text.endsWith('\n'));
    QCOMPARE(metrics.toJson()
                 .value(QStringLiteral("dropped"))
                 .toObject()
                 .value(QStringLiteral("slow_consumer"))
                 .toInt(),
        2);
}

void TestNodeUnits::tapEventMasksSecrets()
{
    TapEvent event;
    event.transport = QByteArrayLiteral("stomp");
    event.direction = QByteArrayLiteral("in");
    event.command = QByteArrayLiteral("CONNECT");
    event.headers = { { QByteArrayLiteral("Authorization"), QByteArrayLiteral("Bearer secret-token") },
        { QByteArrayLiteral("passcode"), QByteArrayLiteral("secret-token") },
        { QByteArrayLiteral("host"), QByteArrayLiteral("x") } };
    event.body = QByteArrayLiteral("0123456789");
    const QByteArray json = event.toJson(QStringLiteral("node-1"), 4);
    QVERIFY(!json.contains("secret-token"));
    const QJsonObject object = QJsonDocument::fromJson(json).object();
    QCOMPARE(
        object.value(QStringLiteral("headers")).toObject().value(QStringLiteral("Authorization")).toString(),
        QStringLiteral("***"));
    QCOMPARE(object.value(QStringLiteral("headers")).toObject().value(QStringLiteral("host")).toString(),
        QStringLiteral("x"));
    QCOMPARE(object.value(QStringLiteral("body")).toString(), QStringLiteral("0123"));
    QCOMPARE(object.value(QStringLiteral("truncated")).toBool(), true);
}

void TestNodeUnits::tapEventJsonCarriesAnyText_data()
{
    // What a client can put in a frame reaches the tap as the same text, whatever it holds:
    // the tap's JSON is written by hand for speed, so it must escape exactly as JSON needs.
    QTest::addColumn<QByteArray>("text"); // as it came in (UTF-8, or not)
    QTest::addColumn<QString>("expected"); // as a reader decodes it
    QTest::newRow("plain") << QByteArray("hello") << QStringLiteral("hello");
    QTest::newRow("empty") << QByteArray() << QString();
    QTest::newRow("quotes and backslashes")
        << QByteArray(R"(say "hi" \ C:\x)") << QStringLiteral(R"(say "hi" \ C:\x)");
    QTest::newRow("control characters") << QByteArray("a\nb\rc\td\x01"
                                                      "e\x1f"
                                                      "\x7f\bf\fg")
                                        << QStringLiteral("a\nb\rc\td\u0001e\u001f\u007f\bf\fg");
    QTest::newRow("nul") << QByteArray("a\0b", 3)
                         << QString(QStringLiteral("a") + QChar(0) + QStringLiteral("b"));
    QTest::newRow("non-ASCII") << QStringLiteral("h\u00e9llo \u2028 \U0001F600").toUtf8()
                               << QStringLiteral("h\u00e9llo \u2028 \U0001F600");
    QTest::newRow("invalid UTF-8") << QByteArray("a\xff\xfe"
                                                 "b")
                                   << QString::fromUtf8("a\xff\xfe"
                                                        "b");
    QTest::newRow("slash and html") << QByteArray("</script><b>") << QStringLiteral("</script><b>");
}

void TestNodeUnits::tapEventJsonCarriesAnyText()
{
    QFETCH(QByteArray, text);
    QFETCH(QString, expected);
    TapEvent event;
    event.tsMs = 1700000000123;
    event.session = QString::fromUtf8(text);
    event.user = QString::fromUtf8(text);
    event.transport = QByteArrayLiteral("stomp");
    event.direction = QByteArrayLiteral("in");
    event.command = text;
    event.destination = QString::fromUtf8(text);
    event.messageId = QString::fromUtf8(text);
    event.bytes = 42;
    event.headers = { { QByteArrayLiteral("x"), text }, { text + "-name", QByteArrayLiteral("v") },
        { QByteArrayLiteral("x"), QByteArrayLiteral("second") } };
    event.body = text;
    const QByteArray json = event.toJson(QString::fromUtf8(text), 512);
    QJsonParseError error;
    const QJsonObject object = QJsonDocument::fromJson(json, &error).object();
    QVERIFY2(error.error == QJsonParseError::NoError,
        qPrintable(error.errorString() + u": " + QString::fromUtf8(json)));
    QVERIFY2(QByteArrayView(json).isValidUtf8(), json.toHex().constData());
    for (const char *key : { "node", "session", "user", "command", "destination", "messageId", "body" })
        QCOMPARE(object.value(QLatin1String(key)).toString(), expected);
    const QJsonObject headers = object.value(QStringLiteral("headers")).toObject();
    QCOMPARE(headers.value(QStringLiteral("x")).toString(), expected); // the first of a repeated header wins
    QCOMPARE(headers.value(expected + QStringLiteral("-name")).toString(), QStringLiteral("v"));
    QCOMPARE(headers.size(), 2);
    QCOMPARE(object.value(QStringLiteral("ts")).toInteger(), 1700000000123);
    QCOMPARE(object.value(QStringLiteral("bytes")).toInteger(), 42);
    QCOMPARE(object.value(QStringLiteral("transport")).toString(), QStringLiteral("stomp"));
    QCOMPARE(object.value(QStringLiteral("dir")).toString(), QStringLiteral("in"));
    QCOMPARE(object.value(QStringLiteral("truncated")).toBool(), false);
    QCOMPARE(object.size(), 13);
}

void TestNodeUnits::tapEventJsonEncodesEveryCodePoint()
{
    // The QString fields are encoded to UTF-8 as they are written (no toUtf8() per field):
    // every code unit sequence must come out as QString::toUtf8() makes it, lone surrogates
    // included, and as valid UTF-8. 2,000 seeded random strings over the whole UTF-16 range.
    QRandomGenerator random(20261205);
    for (int round = 0; round < 2000; ++round) {
        QString text;
        const int length = int(random.bounded(12));
        for (int i = 0; i < length; ++i) {
            switch (random.bounded(5)) {
            case 0:
                text += QChar(char16_t(random.bounded(0x80)));
                break; // ASCII, controls too
            case 1:
                text += QChar(char16_t(0x80 + random.bounded(0x780)));
                break; // two bytes
            case 2:
                text += QChar(char16_t(0x800 + random.bounded(0xf800)));
                break; // three, or a lone surrogate
            case 3:
                text += QChar(char16_t(0xd800 + random.bounded(0x400))); // a pair
                text += QChar(char16_t(0xdc00 + random.bounded(0x400)));
                break;
            default:
                text += QChar(char16_t(0xd800 + random.bounded(0x800)));
                break; // a lone half
            }
        }
        TapEvent event;
        event.session = text;
        event.user = text;
        event.destination = text;
        event.messageId = text;
        const QByteArray json = event.toJson(text, 512);
        QVERIFY2(QByteArrayView(json).isValidUtf8(), json.toHex().constData());
        QJsonParseError error;
        const QJsonObject object = QJsonDocument::fromJson(json, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError,
            qPrintable(error.errorString() + u": " + QString::fromUtf8(json)));
        const QString expected = QString::fromUtf8(text.toUtf8());
        for (const char *key : { "node", "session", "user", "destination", "messageId" })
            QCOMPARE(object.value(QLatin1String(key)).toString(), expected);
    }
}

void TestNodeUnits::tapEventJsonAppendsToWhatIsThere()
{
    // The tap writes each frame after the previous ones in one reused buffer.
    TapEvent first;
    first.session = QStringLiteral("s-1");
    first.body = QByteArrayLiteral("one");
    TapEvent second;
    second.session = QStringLiteral("s-2");
    second.body = QByteArray(600, 'x');
    QByteArray out = QByteArrayLiteral("head\n");
    first.appendJson(out, "node-1", 512);
    out.append('\n');
    second.appendJson(out, "node-1", 512);
    const QList<QByteArray> lines = out.split('\n');
    QCOMPARE(lines.size(), 3);
    QCOMPARE(lines.at(0), QByteArrayLiteral("head"));
    QCOMPARE(lines.at(1), first.toJson(QStringLiteral("node-1"), 512));
    QCOMPARE(lines.at(2), second.toJson(QStringLiteral("node-1"), 512));
    QCOMPARE(
        QJsonDocument::fromJson(lines.at(2)).object().value(QStringLiteral("body")).toString().size(), 512);
}

SB_TEST_GUILESS_MAIN(TestNodeUnits)
#include "tst_nodeunits.moc"
