// Unit tests of what clients send the node, parsed: STOMP destinations, the channel
// message paths of the HTTP API, SEND bodies, CONNECT requests and the bounds on STOMP
// transactions.

#include "node/ChatMessage.h"
#include "node/Destination.h"
#include "node/StompConnectRequest.h"
#include "node/StompSendBody.h"
#include "node/StompTransactions.h"
#include "protocol/NodeApi.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::node;

using StompHeaders = QList<QPair<QByteArray, QByteArray>>;

class TestNodeRequests : public QObject
{
    Q_OBJECT
private slots:
    void destinationParse_data();
    void destinationParse();
    void channelMessagesPaths_data();
    void channelMessagesPaths();
    void stompSendBody_data();
    void stompSendBody();
    void stompConnectRequest_data();
    void stompConnectRequest();
    void transactionsAreBounded();
};

void TestNodeRequests::destinationParse_data()
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

void TestNodeRequests::destinationParse()
{
    QFETCH(QString, text);
    QFETCH(int, kind);
    QFETCH(QString, channel);
    const Destination d = Destination::parse(text);
    QCOMPARE(int(d.kind), kind);
    QCOMPARE(d.channel, channel);
}

void TestNodeRequests::channelMessagesPaths_data()
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

void TestNodeRequests::channelMessagesPaths()
{
    QFETCH(QString, path);
    QFETCH(QString, channel);
    QCOMPARE(sb::protocol::nodeapi::channelOfMessagesPath(path), channel);
    if (!channel.isEmpty())
        QCOMPARE(sb::protocol::nodeapi::channelMessagesPath(channel), path);
}

void TestNodeRequests::stompSendBody_data()
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

void TestNodeRequests::stompSendBody()
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

void TestNodeRequests::stompConnectRequest_data()
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

void TestNodeRequests::stompConnectRequest()
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

void TestNodeRequests::transactionsAreBounded()
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

SB_TEST_GUILESS_MAIN(TestNodeRequests)
#include "tst_noderequests.moc"
