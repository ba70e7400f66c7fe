// Unit tests of a message's way through the node: the bus envelope, message ids that sort
// in creation order, recovery's seam between history and live messages, and the window
// that drops repeats.

#include "node/Envelope.h"
#include "node/MessageService.h"
#include "node/RecentIds.h"
#include "node/ReplaySeam.h"
#include "support/TestMain.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace sb::node;

class TestNodeMessages : public QObject
{
    Q_OBJECT
private slots:
    void envelopeRoundTrip();
    void envelopeRejectsGarbage();
    void messageIdsSortInCreationOrder();
    void recoveryReplaysHistoryThenUnseenLive();
    void recoveryIsBounded();
    void recentIdsDropRepeatsWithinTheWindow();
};

void TestNodeMessages::envelopeRoundTrip()
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

void TestNodeMessages::envelopeRejectsGarbage()
{
    QString error;
    QVERIFY(!Envelope::fromJson(QByteArrayLiteral("not json"), &error));
    QVERIFY(!error.isEmpty());
    QVERIFY(!Envelope::fromJson(QByteArrayLiteral("[]"), &error));
    QVERIFY(!Envelope::fromJson(QByteArrayLiteral("{\"type\":\"martian\"}"), &error));
}

void TestNodeMessages::messageIdsSortInCreationOrder()
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

void TestNodeMessages::recoveryReplaysHistoryThenUnseenLive()
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

void TestNodeMessages::recoveryIsBounded()
{
    ReplaySeam seam(2);
    QCOMPARE(seam.offer({ QStringLiteral("a"), {}, {} }, 0), ReplaySeam::Live::Held);
    QCOMPARE(seam.offer({ QStringLiteral("b"), {}, {} }, 0), ReplaySeam::Live::Held);
    QCOMPARE(seam.offer({ QStringLiteral("c"), {}, {} }, 0), ReplaySeam::Live::Overflow);
    QCOMPARE(seam.finish({}).size(), 2);
    QVERIFY(seam.isDone());
}

void TestNodeMessages::recentIdsDropRepeatsWithinTheWindow()
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

SB_TEST_GUILESS_MAIN(TestNodeMessages)
#include "tst_nodemessages.moc"
