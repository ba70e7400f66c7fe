// TapMessageFrame: the tap frame of a MESSAGE, escaped once per message and shared by its
// deliveries, must be byte for byte the frame the node wrote per delivery before it
// existed (TapEvent::fromStompFrame of StompServerFrames::message, then appendJson), for
// any destination, id, body and subscription a client can bring, and N deliveries of one
// message must come out as N frames, each with its own session, user and subscription.

#include "node/SharedMessageFrame.h"
#include "node/StompServerFrames.h"
#include "node/TapEvent.h"
#include "node/TapMessageFrame.h"
#include "support/TestMain.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

using namespace sb::node;

namespace {
constexpr qint64 kTs = 1700000000123;

QByteArray perDeliveryJson(QByteArrayView node, int bodyLimit, const QString &session, const QString &user,
    const StompSubscription &subscription, const QString &messageId, const QByteArray &body, bool replayed,
    qint64 bytes)
{
    TapEvent event = TapEvent::fromStompFrame(session, user, QByteArrayLiteral("out"),
        StompServerFrames::message(subscription, messageId, body, replayed), bytes, messageId);
    event.tsMs = kTs;
    QByteArray json;
    event.appendJson(json, node, bodyLimit);
    return json;
}
} // namespace

class TestTapMessageFrame : public QObject
{
    Q_OBJECT
private slots:
    void sameBytesAsAFramePerDelivery_data()
    {
        QTest::addColumn<QString>("destination");
        QTest::addColumn<QString>("messageId");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("replayed");
        QTest::addColumn<int>("bodyLimit");
        QTest::addColumn<QByteArray>("subscriptionId");
        QTest::addColumn<QByteArray>("ack");
        QTest::addColumn<QString>("session");
        QTest::addColumn<QString>("user");

        const QString general = QStringLiteral("/topic/channels.general");
        const QByteArray json = QByteArrayLiteral("{\"id\":\"m-1\",\"text\":\"hello \\\"you\\\"\\n\"}");
        QTest::newRow("json") << general << QStringLiteral("m-1") << json << false << 4096
                              << QByteArray("sub-0") << QByteArray("auto") << QStringLiteral("s-1")
                              << QStringLiteral("alice");
        QTest::newRow("client ack") << general << QStringLiteral("m-2") << json << false << 4096
                                    << QByteArray("7") << QByteArray("client") << QStringLiteral("s-2")
                                    << QStringLiteral("bob");
        QTest::newRow("replayed, client-individual")
            << general << QStringLiteral("m-3") << json << true << 4096 << QByteArray("x")
            << QByteArray("client-individual") << QStringLiteral("s-3") << QStringLiteral("carol");
        QTest::newRow("body cut") << general << QStringLiteral("m-4") << json << false << 16
                                  << QByteArray("a") << QByteArray("auto") << QStringLiteral("s")
                                  << QStringLiteral("u");
        QTest::newRow("cut inside a character")
            << general << QStringLiteral("m-5") << QStringLiteral("\u00e9\u00e9\u00e9").toUtf8() << false << 3
            << QByteArray("a") << QByteArray("auto") << QStringLiteral("s") << QStringLiteral("u");
        QTest::newRow("empty body, empty names")
            << general << QString() << QByteArray() << false << 16 << QByteArray() << QByteArray("auto")
            << QString() << QString();
        QTest::newRow("controls and invalid UTF-8 in the body")
            << general << QStringLiteral("m-6")
            << QByteArray("a\0b\x01\x1f\x7f\\\"\t\r\n\b\f\xff\xfe"
                          "end",
                   18)
            << false << 4096 << QByteArray("sub") << QByteArray("auto") << QStringLiteral("s")
            << QStringLiteral("u");
        QTest::newRow("a client's own names")
            << QStringLiteral("/topic/\u00e9t\u00e9 \"q\"\\") << QStringLiteral("m\u2028") << json << false
            << 4096 << QByteArray("id \"\\\n\x01\xff") << QByteArray("client")
            << QStringLiteral("s\"\u0001\U0001F600") << QStringLiteral("\u00fcser\\");
        QTest::newRow("lone surrogates")
            << QString(QStringLiteral("/topic/a") + QChar(0xd800))
            << QString(QChar(0xdc00) + QStringLiteral("id")) << json << false << 4096 << QByteArray("s")
            << QByteArray("auto") << QString(QChar(0xd83d) + QStringLiteral("s")) << QStringLiteral("u");
    }

    void sameBytesAsAFramePerDelivery()
    {
        QFETCH(QString, destination);
        QFETCH(QString, messageId);
        QFETCH(QByteArray, body);
        QFETCH(bool, replayed);
        QFETCH(int, bodyLimit);
        QFETCH(QByteArray, subscriptionId);
        QFETCH(QByteArray, ack);
        QFETCH(QString, session);
        QFETCH(QString, user);
        const QByteArray node = QStringLiteral("node-\u00e91").toUtf8();
        const StompSubscription subscription { subscriptionId, destination, ack };
        const TapMessageFrame frame(node, bodyLimit, destination, messageId, body, replayed);
        QByteArray shared = QByteArrayLiteral("before|"); // appended to what is there
        frame.appendDelivery(shared, session, user, subscriptionId, ack != "auto", 321, kTs);
        const QByteArray expected
            = perDeliveryJson(node, bodyLimit, session, user, subscription, messageId, body, replayed, 321);
        QCOMPARE(shared, "before|" + expected);
        QVERIFY2(QJsonDocument::fromJson(expected).isObject(), expected.constData());
    }

    void everyDeliveryOfAFanOutHasItsOwnSubscriber()
    {
        // One message to N subscribers through the message's shared frame: N frames, each
        // with its session, user, subscription, ack and bytes, the shared part the same.
        const SharedMessageFrame message(
            QStringLiteral("/topic/channels.general"), QStringLiteral("m-9"), QByteArrayLiteral("{\"n\":9}"));
        constexpr int subscribers = 5;
        QList<QByteArray> frames;
        for (int i = 0; i < subscribers; ++i) {
            QByteArray out;
            const TapMessageFrame &shared = message.tapFrame("node-1", 4096);
            QCOMPARE(&shared, &message.tapFrame("node-1", 4096)); // built once, then shared
            shared.appendDelivery(out, QStringLiteral("session-%1").arg(i), QStringLiteral("user-%1").arg(i),
                QByteArray::number(i * 10), i % 2 == 1, 100 + i, kTs + i);
            frames << out;
        }
        for (int i = 0; i < subscribers; ++i) {
            const QJsonObject f = QJsonDocument::fromJson(frames.at(i)).object();
            QVERIFY2(!f.isEmpty(), frames.at(i).constData());
            QCOMPARE(f.value(QStringLiteral("session")).toString(), QStringLiteral("session-%1").arg(i));
            QCOMPARE(f.value(QStringLiteral("user")).toString(), QStringLiteral("user-%1").arg(i));
            QCOMPARE(f.value(QStringLiteral("bytes")).toInteger(), 100 + i);
            QCOMPARE(f.value(QStringLiteral("ts")).toInteger(), kTs + i);
            const QJsonObject headers = f.value(QStringLiteral("headers")).toObject();
            QCOMPARE(headers.value(QStringLiteral("subscription")).toString(), QString::number(i * 10));
            QCOMPARE(headers.contains(QStringLiteral("ack")), i % 2 == 1);
            QCOMPARE(headers.value(QStringLiteral("message-id")).toString(), QStringLiteral("m-9"));
            QCOMPARE(f.value(QStringLiteral("messageId")).toString(), QStringLiteral("m-9"));
            QCOMPARE(f.value(QStringLiteral("command")).toString(), QStringLiteral("MESSAGE"));
            QCOMPARE(f.value(QStringLiteral("body")).toString(), QStringLiteral("{\"n\":9}"));
        }
    }
};

SB_TEST_GUILESS_MAIN(TestTapMessageFrame)
#include "tst_tapmessageframe.moc"
