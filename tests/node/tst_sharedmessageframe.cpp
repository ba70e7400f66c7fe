// SharedMessageFrame: a MESSAGE encoded once per destination and shared by its subscribers
// must be, byte for byte, what the node sent before it existed: StompEncoder's encoding of
// StompServerFrames::message for each subscription (escaped header values, content-length,
// the ack header of client-ack subscriptions, recovered for replays), in every version.

#include "node/SharedMessageFrame.h"
#include "node/StompServerFrames.h"
#include "protocol/StompEncoder.h"
#include "support/TestMain.h"

#include <QTest>

using sb::node::SharedMessageFrame;
using sb::node::StompServerFrames;
using sb::node::StompSubscription;
using sb::protocol::StompEncoder;
using sb::protocol::StompVersion;

Q_DECLARE_METATYPE(StompVersion)

namespace {
QByteArray perSubscriber(const StompSubscription &subscription, const QString &messageId,
    const QByteArray &body, bool replayed, StompVersion version)
{
    return StompEncoder::encode(StompServerFrames::message(subscription, messageId, body, replayed), version);
}
} // namespace

class TestSharedMessageFrame : public QObject
{
    Q_OBJECT
private slots:
    void sameBytesAsPerSubscriberEncode_data()
    {
        QTest::addColumn<QString>("destination");
        QTest::addColumn<QString>("messageId");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("replayed");

        QTest::newRow("json") << QStringLiteral("/topic/channel.general") << QStringLiteral("m-1")
                              << QByteArrayLiteral(R"({"id":"m-1","text":"hello"})") << false;
        QTest::newRow("replayed") << QStringLiteral("/topic/channel.general") << QStringLiteral("m-2")
                                  << QByteArrayLiteral(R"({"text":"from history"})") << true;
        QTest::newRow("empty body") << QStringLiteral("/topic/presence") << QStringLiteral("presence-1")
                                    << QByteArray() << false;
        QTest::newRow("utf-8 body") << QStringLiteral("/topic/channel.café") << QStringLiteral("m-é")
                                    << QByteArrayLiteral("{\"text\":\"gr\xc3\xbc\xc3\x9f \xe2\x9c\x93\"}")
                                    << false;
        QTest::newRow("nul in body") << QStringLiteral("/topic/channel.bin") << QStringLiteral("m-3")
                                     << QByteArray("a\0b", 3) << false;
        QTest::newRow("body not utf-8") << QStringLiteral("/topic/channel.raw") << QStringLiteral("m-4")
                                        << QByteArrayLiteral("{\"text\":\"\xc3(\"}") << false;
        // Every character STOMP 1.1/1.2 escapes (and 1.0 drops), in the shared headers.
        QTest::newRow("escapes") << QStringLiteral("/topic/a:b\\c\nd\re") << QStringLiteral("id:1\\2\n3\r4")
                                 << QByteArrayLiteral("body:with\nnewline\\") << true;
    }

    void sameBytesAsPerSubscriberEncode()
    {
        QFETCH(QString, destination);
        QFETCH(QString, messageId);
        QFETCH(QByteArray, body);
        QFETCH(bool, replayed);

        const SharedMessageFrame frame(destination, messageId, body, replayed);
        const QList<StompSubscription> subscriptions {
            { "sub-0", destination, "auto" }, { "sub-1", destination, "client" },
            { "sub-2", destination, "client-individual" },
            { "s:1\\x\ny\rz", destination, "auto" }, // a subscription id needing escapes
            { "s:2", destination, "client" }, { "", destination, "auto" },
            { "s-\xff", destination, "client" }, // an id that is not UTF-8
        };
        // Several subscribers and versions in turn: the parts built for one are reused.
        for (int round = 0; round < 2; ++round) {
            for (const StompVersion version :
                { StompVersion::V1_2, StompVersion::V1_0, StompVersion::V1_1 }) {
                for (const StompSubscription &subscription : subscriptions) {
                    const QByteArray expected
                        = perSubscriber(subscription, messageId, body, replayed, version);
                    QCOMPARE(frame.encode(subscription, version), expected);
                    // Told as the frame is encoded what a per-frame check would find.
                    bool validUtf8 = !expected.isValidUtf8(); // the wrong answer, to be overwritten
                    QCOMPARE(frame.encode(subscription, version, &validUtf8), expected);
                    QCOMPARE(validUtf8, expected.isValidUtf8());
                }
            }
        }
        QCOMPARE(frame.bodyHasNul(), body.contains('\0'));
    }

    void contentLengthIsTheBodySize()
    {
        const QByteArray body(70000, 'x');
        const SharedMessageFrame frame(QStringLiteral("/topic/t"), QStringLiteral("m"), body);
        const QByteArray bytes
            = frame.encode({ "s", QStringLiteral("/topic/t"), "auto" }, StompVersion::V1_2);
        QVERIFY(bytes.contains("\ncontent-length:70000\n\n"));
        QVERIFY(bytes.endsWith(QByteArray(body).append('\0')));
    }

    // A subscription to another destination (never expected) still gets its own frame.
    void otherDestinationIsEncodedWhole()
    {
        const SharedMessageFrame frame(QStringLiteral("/topic/a"), QStringLiteral("m"), "{}");
        const StompSubscription other { "s", QStringLiteral("/topic/b"), "client" };
        bool validUtf8 = true;
        QCOMPARE(frame.encode(other, StompVersion::V1_2, &validUtf8),
            perSubscriber(other, QStringLiteral("m"), QByteArrayLiteral("{}"), false, StompVersion::V1_2));
        QVERIFY(!validUtf8); // not known: checked per frame
    }
};

SB_TEST_GUILESS_MAIN(TestSharedMessageFrame)
#include "tst_sharedmessageframe.moc"
