// A worker's SubscriptionTable: which local subscriber an envelope reaches, and that a
// subscriber which leaves while a delivery runs (a slow consumer closed by its own MESSAGE)
// neither loses the others their copy nor gets one after it left.

#include "node/SharedMessageFrame.h"
#include "node/SharedSseEvent.h"
#include "node/SseSubscriber.h"
#include "node/StompSubscriber.h"
#include "node/SubscriptionTable.h"
#include "support/TestMain.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

#include <functional>

using sb::node::Envelope;
using sb::node::SseSubscriber;
using sb::node::StompSubscriber;
using sb::node::StompSubscription;
using sb::node::SubscriptionTable;

namespace {

struct Delivery
{
    QByteArray subscription;
    QString messageId;
    QByteArray body;
};

class FakeSession final : public StompSubscriber
{
public:
    void deliver(
        const StompSubscription &subscription, const sb::node::SharedMessageFrame &message, qint64) override
    {
        got.append({ subscription.id, message.messageId(), message.body() });
        if (onDelivery)
            onDelivery();
    }
    QList<Delivery> got;
    std::function<void()> onDelivery;
};

class FakeStream final : public SseSubscriber
{
public:
    void deliver(const sb::node::SharedSseEvent &event, qint64) override { got.append(event.event()); }
    QList<sb::cluster::ReplayEvent> got;
};

Envelope makeMessage(const QString &channel, const QString &sender, const QStringList &recipients)
{
    Envelope envelope;
    envelope.type = Envelope::Type::Message;
    envelope.message.id = QStringLiteral("m-1");
    envelope.message.channel = channel;
    envelope.message.sender = sender;
    envelope.message.text = QStringLiteral("hello");
    envelope.recipients = recipients;
    envelope.publishedAtUs = 1;
    return envelope;
}

StompSubscription makeSubscription(const char *id, const QString &destination)
{
    return { QByteArray(id), destination, QByteArrayLiteral("auto") };
}

QString field(const QByteArray &json, const char *name)
{
    return QJsonDocument::fromJson(json).object().value(QLatin1String(name)).toString();
}

} // namespace

class TestSubscriptionTable : public QObject
{
    Q_OBJECT
private slots:
    void aMessageReachesItsChannelsSubscribersOnly()
    {
        SubscriptionTable table;
        FakeSession general, ops;
        table.subscribe(&general, QStringLiteral("alice"),
            makeSubscription("s1", QStringLiteral("/topic/channels.general")));
        table.subscribe(
            &ops, QStringLiteral("bob"), makeSubscription("s2", QStringLiteral("/topic/channels.ops")));
        table.deliver(makeMessage(QStringLiteral("general"), QStringLiteral("carol"), {}));
        QCOMPARE(general.got.size(), 1);
        QCOMPARE(general.got.first().subscription, QByteArray("s1"));
        QCOMPARE(general.got.first().messageId, QStringLiteral("m-1"));
        QCOMPARE(field(general.got.first().body, "text"), QStringLiteral("hello"));
        QCOMPARE(ops.got.size(), 0);
    }

    void notificationsGoToEachRecipientsQueueAndStreams()
    {
        SubscriptionTable table;
        FakeSession aliceQueue, bobQueue;
        FakeStream aliceStream, carolStream;
        const QString queue = QStringLiteral("/user/queue/notifications");
        // Every user subscribes to the same text: the table resolves it to the caller's own queue.
        table.subscribe(&aliceQueue, QStringLiteral("alice"), makeSubscription("q", queue));
        table.subscribe(&bobQueue, QStringLiteral("bob"), makeSubscription("q", queue));
        table.addStream(QStringLiteral("alice"), &aliceStream);
        table.addStream(QStringLiteral("carol"), &carolStream);
        table.deliver(
            makeMessage(QStringLiteral("general"), QStringLiteral("bob"), { QStringLiteral("alice") }));
        QCOMPARE(aliceQueue.got.size(), 1);
        QCOMPARE(field(aliceQueue.got.first().body, "channel"), QStringLiteral("general"));
        QCOMPARE(bobQueue.got.size(), 0);
        QCOMPARE(aliceStream.got.size(), 1);
        QCOMPARE(aliceStream.got.first().type, QByteArray("notification"));
        QCOMPARE(aliceStream.got.first().id, QStringLiteral("m-1"));
        QCOMPARE(aliceStream.got.first().data, aliceQueue.got.first().body);
        QCOMPARE(carolStream.got.size(), 0);

        table.removeStream(QStringLiteral("alice"), &aliceStream);
        table.deliver(
            makeMessage(QStringLiteral("general"), QStringLiteral("bob"), { QStringLiteral("alice") }));
        QCOMPARE(aliceStream.got.size(), 1);
        QCOMPARE(aliceQueue.got.size(), 2);
    }

    void presenceGoesToPresenceSubscribers()
    {
        SubscriptionTable table;
        FakeSession watcher, other;
        table.subscribe(
            &watcher, QStringLiteral("alice"), makeSubscription("p", QStringLiteral("/topic/presence")));
        table.subscribe(
            &other, QStringLiteral("bob"), makeSubscription("g", QStringLiteral("/topic/channels.general")));
        Envelope presence;
        presence.type = Envelope::Type::Presence;
        presence.presenceUser = QStringLiteral("carol");
        presence.online = true;
        presence.publishedAtUs = 42;
        table.deliver(presence);
        QCOMPARE(watcher.got.size(), 1);
        QCOMPARE(watcher.got.first().messageId, QStringLiteral("presence-42"));
        QCOMPARE(field(watcher.got.first().body, "user"), QStringLiteral("carol"));
        QCOMPARE(other.got.size(), 0);
    }

    void unsubscribeTakesOneSubscriptionForgetTakesAll()
    {
        SubscriptionTable table;
        FakeSession session;
        const QString general = QStringLiteral("/topic/channels.general");
        table.subscribe(&session, QStringLiteral("alice"), makeSubscription("a", general));
        table.subscribe(&session, QStringLiteral("alice"), makeSubscription("b", general));
        table.subscribe(&session, QStringLiteral("alice"),
            makeSubscription("q", QStringLiteral("/user/queue/notifications")));
        table.unsubscribe(&session, makeSubscription("a", general));
        table.deliver(
            makeMessage(QStringLiteral("general"), QStringLiteral("bob"), { QStringLiteral("alice") }));
        QCOMPARE(session.got.size(), 2); // "b" and the queue
        QCOMPARE(session.got.at(0).subscription, QByteArray("b"));
        QCOMPARE(session.got.at(1).subscription, QByteArray("q"));

        table.forget(&session);
        QCOMPARE(table.destinationCount(), 0);
        table.deliver(
            makeMessage(QStringLiteral("general"), QStringLiteral("bob"), { QStringLiteral("alice") }));
        QCOMPARE(session.got.size(), 2);
    }

    void aSubscriberThatLeavesDuringADeliveryLeavesTheOthersTheirs()
    {
        SubscriptionTable table;
        FakeSession first, second;
        const QString general = QStringLiteral("/topic/channels.general");
        table.subscribe(&first, QStringLiteral("alice"), makeSubscription("1", general));
        table.subscribe(&second, QStringLiteral("bob"), makeSubscription("2", general));
        // As a session closed as a slow consumer by its own MESSAGE: it forgets itself at once.
        first.onDelivery = [&] { table.forget(&first); };
        table.deliver(makeMessage(QStringLiteral("general"), QStringLiteral("carol"), {}));
        QCOMPARE(first.got.size(), 1);
        QCOMPARE(second.got.size(), 1);
        table.deliver(makeMessage(QStringLiteral("general"), QStringLiteral("carol"), {}));
        QCOMPARE(first.got.size(), 1);
        QCOMPARE(second.got.size(), 2);
    }
};

SB_TEST_GUILESS_MAIN(TestSubscriptionTable)
#include "tst_subscriptiontable.moc"
