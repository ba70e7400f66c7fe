// Unit tests of a message's way through the node: the bus envelope, message ids that sort
// in creation order, recovery's seam between history and live messages, and the window
// that drops repeats.

#include "cluster/LocalEventBus.h"
#include "cluster/ReplayStore.h"
#include "node/Envelope.h"
#include "node/MessageService.h"
#include "node/NodeMetrics.h"
#include "node/PasswordHasher.h"
#include "node/RecentIds.h"
#include "node/ReplaySeam.h"
#include "node/TapHub.h"
#include "node/UserDirectory.h"
#include "support/TestMain.h"

#include <QDateTime>
#include <QJsonArray>
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
    void envelopeBytesAreQJsonDocuments_data();
    void envelopeBytesAreQJsonDocuments();
    void aPublishedMessageIsSerialisedOnce();
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

namespace {
// The bus record as QJsonDocument wrote it before the message's JSON was made once and
// spliced in: the bytes other replicas (of any version) read.
QByteArray referenceEnvelopeJson(const Envelope &envelope)
{
    QJsonObject json { { QStringLiteral("publishedAtUs"), envelope.publishedAtUs } };
    json.insert(QStringLiteral("type"), QStringLiteral("message"));
    json.insert(QStringLiteral("message"), envelope.message.toJson());
    json.insert(QStringLiteral("recipients"), QJsonArray::fromStringList(envelope.recipients));
    return QJsonDocument(json).toJson(QJsonDocument::Compact);
}

QByteArray referenceMessageJson(const ChatMessage &message)
{
    return QJsonDocument(message.toJson()).toJson(QJsonDocument::Compact);
}

QByteArray referenceNotificationJson(const ChatMessage &message)
{
    return QJsonDocument(message.notificationJson()).toJson(QJsonDocument::Compact);
}

// Keeps what stage 1 was asked to store; reads nothing back.
class RecordingReplayStore : public sb::cluster::ReplayStore
{
public:
    void append(const QString &, const sb::cluster::ReplayEvent &) override { }
    void readAfter(const QString &, const QString &, QObject *,
        std::function<void(const sb::cluster::ReplayResult &)>) override
    { }
    void readChannelAfter(const QString &, const QString &, QObject *,
        std::function<void(const sb::cluster::ReplayResult &)>) override
    { }
    bool persistOnce(const sb::cluster::PersistRequest &request, QString *) override
    {
        requests.append(request);
        return true;
    }

    QList<sb::cluster::PersistRequest> requests;
};
} // namespace

void TestNodeMessages::envelopeBytesAreQJsonDocuments_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("recipients");
    QTest::addColumn<qint64>("publishedAtUs");

    QTest::newRow("plain") << QStringLiteral("hello") << QStringList { QStringLiteral("bob") }
                           << qint64(1795312504145123);
    QTest::newRow("escapes") << QStringLiteral("q\"b\\s/\x01\x1f\b\f\n\r\t\x7f</script>")
                             << QStringList { QStringLiteral("bo\"b"), QStringLiteral("c\\d") } << qint64(0);
    QTest::newRow("unicode") << QStringLiteral("h\u00e9llo \u2713 \U0001F600")
                             << QStringList { QStringLiteral("j\u00fcrgen"), QStringLiteral("\u674e") }
                             << qint64(-1);
    QTest::newRow("lone surrogate") << QString(QString(QChar(0xd800)) + QStringLiteral("x") + QChar(0xdc00))
                                    << QStringList {} << qint64(4102444800000000);
    QTest::newRow("utf-8 lengths") << QStringLiteral(
        "\u0080\u07ff\u0800\ud7ff\ue000\ufffe\uffff\U00010000\U0010FFFF")
                                   << QStringList { QStringLiteral("\u00ff") } << qint64(7);
    QTest::newRow("surrogates out of order")
        << QString(QString(QChar(0xdc00)) + QChar(0xd800) + QChar(0xd800) + QChar(0xdfff) + QChar(0xdbff))
        << QStringList { QString(QChar(0xdfff)) } << qint64(8);
    QTest::newRow("empty text") << QString() << QStringList { QString() } << qint64(42);
}

void TestNodeMessages::envelopeBytesAreQJsonDocuments()
{
    QFETCH(QString, text);
    QFETCH(QStringList, recipients);
    QFETCH(qint64, publishedAtUs);
    Envelope envelope;
    envelope.message.id = QStringLiteral("1795312504145-85f838c91156");
    envelope.message.channel = QStringLiteral("g\u00e9n\"eral");
    envelope.message.sender = QStringLiteral("alice");
    envelope.message.text = text;
    envelope.message.timestampMs = 1795312504145;
    envelope.recipients = recipients;
    envelope.publishedAtUs = publishedAtUs;

    // Written directly, the bytes QJsonDocument wrote; made on demand or made once.
    QCOMPARE(envelope.message.toJsonBytes(), referenceMessageJson(envelope.message));
    QCOMPARE(envelope.messageBytes(), referenceMessageJson(envelope.message));
    QCOMPARE(envelope.toJson(), referenceEnvelopeJson(envelope));
    QCOMPARE(envelope.notificationBytes(), referenceNotificationJson(envelope.message));
    envelope.messageJson = envelope.message.toJsonBytes();
    QCOMPARE(envelope.toJson(), referenceEnvelopeJson(envelope));
    QCOMPARE(envelope.notificationBytes(), referenceNotificationJson(envelope.message));

    // Decoded, the envelope carries its message's JSON made once, as its creator's.
    QString error;
    const auto decoded = Envelope::fromJson(referenceEnvelopeJson(envelope), &error);
    QVERIFY2(decoded, qPrintable(error));
    QCOMPARE(decoded->messageJson, envelope.messageJson);
    QCOMPARE(decoded->toJson(), referenceEnvelopeJson(envelope));
}

// One node on LocalEventBus: the message's JSON made when it is created is the bytes stage 1
// stores and the envelope the workers get (no decoding of the node's own record), and the
// notification is what QJsonDocument made of it.
void TestNodeMessages::aPublishedMessageIsSerialisedOnce()
{
    UserDirectory users; // the demo users' hashes would cost ~0.5 s here; one iteration will do
    for (const char *name : { "alice", "bob", "carol" }) {
        QString error;
        QVERIFY2(users.addUser({ QString::fromLatin1(name), PasswordHasher::hash(QStringLiteral("x"), 1),
                                   { QStringLiteral("ROLE_USER") }, { QStringLiteral("general") } },
                     &error),
            qPrintable(error));
    }
    sb::cluster::LocalEventBus bus;
    RecordingReplayStore store;
    NodeMetrics metrics;
    TapHub tap(QStringLiteral("node-1"), 1024);
    QList<EnvelopePtr> delivered;
    MessageService service(&users, &bus, &store, &metrics, &tap,
        [&delivered](const EnvelopePtr &envelope) { delivered.append(envelope); });
    bus.setPersistHandler([&service](const QByteArray &payload, const sb::cluster::BusHop &hop,
                              QString *error) { return service.persistFromBus(payload, hop, error); });
    bus.setHandler([&service](const QByteArray &payload, const sb::cluster::BusHop &hop) {
        service.deliverFromBus(payload, hop);
    });

    const MessageService::Creation creation = service.create(
        QStringLiteral("alice"), QStringLiteral("general"), QStringLiteral("h\u00e9 \"1\""), {});
    QCOMPARE(int(creation.admission), int(sb::cluster::PublishAdmission::Accepted));
    QCOMPARE(delivered.size(), 1);
    QCOMPARE(store.requests.size(), 1);
    const Envelope &envelope = *delivered.first();
    const sb::cluster::PersistRequest &stored = store.requests.first();
    QCOMPARE(envelope.message.id, creation.message.id);
    QCOMPARE(envelope.messageJson, creation.message.toJsonBytes());
    QCOMPARE(stored.channelEvent.data, envelope.messageJson);
    // The same bytes, not equal ones: serialised once, neither decoded nor made again.
    // (As pointers: QCOMPARE compares two const char * as C strings.)
    QCOMPARE(static_cast<const void *>(stored.channelEvent.data.constData()),
        static_cast<const void *>(envelope.messageJson.constData()));
    QVERIFY(!stored.userEvents.isEmpty());
    for (const auto &[recipient, event] : stored.userEvents) {
        QVERIFY(recipient != QStringLiteral("alice"));
        QCOMPARE(event.data, referenceNotificationJson(creation.message));
    }

    // A record from another replica (new bytes) is decoded, to the same envelope.
    bus.publish("general", referenceEnvelopeJson(envelope));
    QCOMPARE(delivered.size(), 1); // the same message id: stage 2 drops the repeat
    Envelope other = envelope;
    other.message.id = QStringLiteral("1795312504146-85f838c91157");
    other.messageJson.clear();
    bus.publish("general", referenceEnvelopeJson(other));
    QCOMPARE(delivered.size(), 2);
    QCOMPARE(delivered.last()->messageJson, other.message.toJsonBytes());
    QCOMPARE(store.requests.last().channelEvent.data, other.message.toJsonBytes());
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
