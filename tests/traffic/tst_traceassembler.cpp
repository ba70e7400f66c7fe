#include "inspect/TraceAssembler.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::inspect;
using sb::protocol::TrafficFrame;
using namespace Qt::StringLiterals;

namespace {

using T = TrafficFrame::Transport;
using D = TrafficFrame::Direction;

struct FrameMaker
{
    QList<TrafficFrame> frames;
    qint64 seq = 0;

    TrafficFrame &add(qint64 ts, const QString &source, T transport, D dir, const QString &command,
        const QString &session = {}, const QString &user = {}, const QString &destination = {},
        const QString &messageId = {})
    {
        TrafficFrame f;
        f.seq = ++seq;
        f.tsMs = ts;
        f.source = source;
        f.transport = transport;
        f.direction = dir;
        f.command = command;
        f.session = session;
        f.user = user;
        f.destination = destination;
        f.messageId = messageId;
        frames.append(f);
        return frames.last();
    }
    void subscribe(
        qint64 ts, const QString &source, const QString &session, const QString &user, const QString &dest)
    {
        add(ts, source, T::Stomp, D::In, u"SUBSCRIBE"_s, session, user, dest)
            .setHeaders({ { u"id"_s, u"sub-0"_s }, { u"destination"_s, dest } });
    }
};

const QString kId = u"m-1"_s;
const QString kTopic = u"/topic/channels.general"_s;

// Three replicas; alice on node-1 and carol on node-3 subscribed; bob's SSE stream on node-2.
FrameMaker cluster()
{
    FrameMaker m;
    m.add(900, u"node-1"_s, T::Stomp, D::None, u"STATE"_s, u"s-a"_s, u"alice"_s).body
        = R"({"subscriptions":[{"id":"sub-0","destination":"/topic/channels.general"}]})";
    m.add(900, u"node-2"_s, T::Sse, D::None, u"STATE"_s, u"e-b"_s, u"bob"_s).body
        = R"({"channels":["general","ops"]})";
    m.add(950, u"node-3"_s, T::Stomp, D::None, u"OPEN"_s, u"s-c"_s, u"carol"_s);
    m.subscribe(960, u"node-3"_s, u"s-c"_s, u"carol"_s, kTopic);
    return m;
}

void publishAndFanOut(FrameMaker &m, bool deliverToCarol, qint64 at = 1000)
{
    const qint64 shift = at - 1000;
    m.add(shift + 1000, u"node-1"_s, T::Stomp, D::In, u"SEND"_s, u"s-a"_s, u"alice"_s,
        u"/app/channels.general"_s, kId);
    m.add(shift + 1010, u"node-2"_s, T::Kafka, D::In, u"STAGE1"_s, {}, {},
         u"switchboard.MessageCreatedEvent"_s, kId)
        .setHeaders({ { u"partition"_s, u"2"_s }, { u"offset"_s, u"17"_s }, { u"channel"_s, u"general"_s } });
    for (const QString &node : { u"node-3"_s, u"node-1"_s, u"node-2"_s })
        m.add(shift + 1030, node, T::Kafka, D::In, u"BROADCAST"_s, {}, {}, u"switchboard.SseBroadcast"_s, kId)
            .setHeaders({ { u"partition"_s, u"0"_s }, { u"offset"_s, u"5"_s } });
    m.add(shift + 1041, u"node-1"_s, T::Stomp, D::Out, u"MESSAGE"_s, u"s-a"_s, u"alice"_s, kTopic, kId);
    m.add(shift + 1042, u"node-2"_s, T::Sse, D::Out, u"message"_s, u"e-b"_s, u"bob"_s, u"/api/sse"_s, kId);
    if (deliverToCarol)
        m.add(shift + 1040, u"node-3"_s, T::Stomp, D::Out, u"MESSAGE"_s, u"s-c"_s, u"carol"_s, kTopic, kId);
}

} // namespace

class TestTraceAssembler : public QObject
{
    Q_OBJECT

private slots:
    void everyHopInTimeOrderWithLatency()
    {
        FrameMaker m = cluster();
        publishAndFanOut(m, true);
        const MessageTrace trace = TraceAssembler::assemble(kId, m.frames);
        QCOMPARE(trace.channel, u"general"_s);
        QCOMPARE(trace.publishedMs, 1000);
        QCOMPARE(trace.hops.size(), 8);
        for (qsizetype i = 1; i < trace.hops.size(); ++i)
            QVERIFY(trace.hops[i - 1].tsMs <= trace.hops[i].tsMs);
        QCOMPARE(trace.hops.first().kind, TraceHop::Kind::Publish);
        QCOMPARE(trace.hops[1].kind, TraceHop::Kind::Stage1);
        QCOMPARE(trace.hops[1].detail, u"partition 2 offset 17"_s);
        QCOMPARE(trace.hops[1].latencyMs, 10);
        QCOMPARE(trace.hops.last().kind, TraceHop::Kind::DeliveredSse);
        QCOMPARE(trace.hops.last().latencyMs, 42);
        QCOMPARE(trace.hops.last().latencyText(), u"+42 ms"_s);
        QCOMPARE(trace.deliveredSources(), (QStringList { u"node-3"_s, u"node-1"_s, u"node-2"_s }));
        QVERIFY2(trace.missed.isEmpty(), qPrintable(trace.missed.value(0).reason));
    }

    void aSubscriberWithoutDeliveryIsMissed()
    {
        FrameMaker m = cluster();
        publishAndFanOut(m, false);
        const MessageTrace trace = TraceAssembler::assemble(kId, m.frames);
        QCOMPARE(trace.missed.size(), 1);
        QCOMPARE(trace.missed.first().session, u"s-c"_s);
        QCOMPARE(trace.missed.first().source, u"node-3"_s);
        QCOMPARE(trace.missed.first().destination, kTopic);
        QVERIFY(trace.missed.first().reason.startsWith(u"no delivery seen"_s));
    }

    void reasons_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("reasonStart");
        QTest::newRow("disconnected before")
            << u"closed-before"_s << u"disconnected 200 ms before the publish (client)"_s;
        QTest::newRow("slow consumer after") << u"slow-after"_s << u"slow consumer: dropped by its replica"_s;
        QTest::newRow("heart-beat") << u"heartbeat-before"_s << u"heart-beat timeout"_s;
        QTest::newRow("not a member")
            << u"refused"_s << u"not a member: its SUBSCRIBE was refused (not a member of general)"_s;
        QTest::newRow("tap down") << u"tap-down"_s << u"not seen: the tap of node-3 is down"_s;
    }
    void reasons()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, reasonStart);
        FrameMaker m = cluster();
        QList<TapSourceStatus> sources;
        if (scenario == u"closed-before")
            m.add(800 + 0, u"node-3"_s, T::Stomp, D::None, u"CLOSE"_s, u"s-c"_s, u"carol"_s)
                .setHeaders({ { u"reason"_s, u"client"_s } });
        if (scenario == u"heartbeat-before")
            m.add(990, u"node-3"_s, T::Stomp, D::None, u"CLOSE"_s, u"s-c"_s, u"carol"_s)
                .setHeaders({ { u"reason"_s, u"heartbeat_timeout"_s } });
        if (scenario == u"refused") {
            m.add(970, u"node-3"_s, T::Stomp, D::Out, u"ERROR"_s, u"s-c"_s, u"carol"_s)
                .setHeaders({ { u"message"_s, u"not a member of general"_s } });
            m.add(971, u"node-3"_s, T::Stomp, D::None, u"CLOSE"_s, u"s-c"_s, u"carol"_s)
                .setHeaders({ { u"reason"_s, u"forbidden"_s } });
        }
        publishAndFanOut(m, false);
        if (scenario == u"slow-after")
            m.add(1100, u"node-3"_s, T::Stomp, D::None, u"CLOSE"_s, u"s-c"_s, u"carol"_s)
                .setHeaders({ { u"reason"_s, u"slow_consumer"_s } });
        if (scenario == u"tap-down") {
            TapSourceStatus down;
            down.id = u"node-3"_s;
            down.state = TapSourceStatus::State::Down;
            down.detail = u"connection refused"_s;
            sources.append(down);
        }
        if (scenario == u"closed-before") // the session frame's time decides, not its place in the capture
            std::swap(m.frames[3], m.frames[4]);
        const MessageTrace trace = TraceAssembler::assemble(kId, m.frames, sources);
        QCOMPARE(trace.missed.size(), 1);
        QVERIFY2(
            trace.missed.first().reason.startsWith(reasonStart), qPrintable(trace.missed.first().reason));
        if (scenario == u"tap-down")
            QVERIFY(!trace.notes.isEmpty());
    }

    void longGoneSessionsAreNotSubscribers()
    {
        FrameMaker m = cluster();
        m.add(970, u"node-3"_s, T::Stomp, D::None, u"CLOSE"_s, u"s-c"_s, u"carol"_s);
        publishAndFanOut(m, false, 970 + TraceAssembler::kRecentlyClosedMs + 1);
        const MessageTrace trace = TraceAssembler::assemble(kId, m.frames);
        QVERIFY2(trace.missed.isEmpty(),
            qPrintable(trace.missed.value(0).session + u' ' + trace.missed.value(0).reason));
        // The same close, recent: carol is listed, as disconnected.
        FrameMaker recent = cluster();
        recent.add(970, u"node-3"_s, T::Stomp, D::None, u"CLOSE"_s, u"s-c"_s, u"carol"_s);
        publishAndFanOut(recent, false, 970 + TraceAssembler::kRecentlyClosedMs - 1);
        QCOMPARE(TraceAssembler::assemble(kId, recent.frames).missed.size(), 1);
    }

    void unsubscribedIsNotMissed()
    {
        FrameMaker m = cluster();
        m.add(980, u"node-3"_s, T::Stomp, D::In, u"UNSUBSCRIBE"_s, u"s-c"_s, u"carol"_s)
            .setHeaders({ { u"id"_s, u"sub-0"_s } });
        publishAndFanOut(m, false);
        QVERIFY(TraceAssembler::assemble(kId, m.frames).missed.isEmpty());
    }

    void sseStreamOfANonMemberIsNotExpected()
    {
        FrameMaker m;
        m.add(900, u"node-2"_s, T::Sse, D::None, u"OPEN"_s, u"e-x"_s, u"dave"_s).body
            = R"({"channels":["ops"]})";
        m.add(1000, u"node-1"_s, T::Http, D::In, u"POST"_s, {}, u"carol"_s,
            u"/api/channels/general/messages"_s, kId);
        const MessageTrace trace = TraceAssembler::assemble(kId, m.frames);
        QCOMPARE(trace.channel, u"general"_s);
        QCOMPARE(trace.hops.size(), 1);
        QVERIFY(trace.missed.isEmpty());
    }

    void withoutThePublishLatenciesAreUnknown()
    {
        FrameMaker m = cluster();
        m.add(1041, u"node-1"_s, T::Stomp, D::Out, u"MESSAGE"_s, u"s-a"_s, u"alice"_s, kTopic, kId);
        const MessageTrace trace = TraceAssembler::assemble(kId, m.frames);
        QCOMPARE(trace.publishedMs, -1);
        QVERIFY(!trace.hops.first().latencyKnown());
        QCOMPARE(trace.hops.first().latencyText(), u"?"_s);
        QCOMPARE(trace.channel, u"general"_s);
        QVERIFY(!trace.notes.isEmpty());
    }

    void unknownIdIsEmpty()
    {
        FrameMaker m = cluster();
        publishAndFanOut(m, true);
        QVERIFY(TraceAssembler::assemble(u"nope"_s, m.frames).isEmpty());
        QVERIFY(TraceAssembler::assemble(QString(), m.frames).isEmpty());
    }

    void channelOf_data()
    {
        QTest::addColumn<QString>("destination");
        QTest::addColumn<QString>("channel");
        QTest::newRow("send") << u"/app/channels.general"_s << u"general"_s;
        QTest::newRow("topic") << u"/topic/channels.ops"_s << u"ops"_s;
        QTest::newRow("http") << u"/api/channels/general/messages"_s << u"general"_s;
        QTest::newRow("http nested") << u"/api/channels/a/b/messages"_s << QString();
        QTest::newRow("user queue") << u"/user/queue/notifications"_s << QString();
        QTest::newRow("empty") << QString() << QString();
    }
    void channelOf()
    {
        QFETCH(QString, destination);
        QFETCH(QString, channel);
        QCOMPARE(TraceAssembler::channelOf(destination), channel);
    }
};

SB_TEST_GUILESS_MAIN(TestTraceAssembler)
#include "tst_traceassembler.moc"
