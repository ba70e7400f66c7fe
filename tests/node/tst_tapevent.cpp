// Unit tests of the tap's events (TapEvent): secrets masked, and the JSON written by hand
// for speed carrying any text a client sends, exactly as JSON needs.

#include "node/TapEvent.h"
#include "support/TestMain.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QTest>

using namespace sb::node;

class TestTapEvent : public QObject
{
    Q_OBJECT
private slots:
    void tapEventMasksSecrets();
    void tapEventJsonCarriesAnyText_data();
    void tapEventJsonCarriesAnyText();
    void tapEventJsonEncodesEveryCodePoint();
    void tapEventJsonAppendsToWhatIsThere();
};

void TestTapEvent::tapEventMasksSecrets()
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

void TestTapEvent::tapEventJsonCarriesAnyText_data()
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

void TestTapEvent::tapEventJsonCarriesAnyText()
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

void TestTapEvent::tapEventJsonEncodesEveryCodePoint()
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

void TestTapEvent::tapEventJsonAppendsToWhatIsThere()
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

SB_TEST_GUILESS_MAIN(TestTapEvent)
#include "tst_tapevent.moc"
