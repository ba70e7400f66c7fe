#include "inspect/SseProbeStream.h"
#include "support/TestMain.h"

#include <QTest>

using namespace sb::inspect;
using sb::protocol::TrafficFrame;
using namespace Qt::StringLiterals;

namespace {

// One frame as "COMMAND|messageId|name=value;…|body", so rows read at a glance.
QString sseProbeDescribe(const TrafficFrame &frame)
{
    QStringList headers;
    for (const auto &[name, value] : frame.headers())
        headers << name + u'=' + value;
    return frame.command + u'|' + frame.messageId + u'|' + headers.join(u';') + u'|'
        + QString::fromUtf8(frame.body);
}

QStringList sseProbeFeed(SseProbeStream &stream, const QByteArray &input, qsizetype chunk)
{
    QStringList out;
    const qsizetype step = chunk > 0 ? chunk : qMax<qsizetype>(1, input.size());
    for (qsizetype offset = 0; offset < input.size(); offset += step)
        for (const TrafficFrame &frame :
            stream.feed(QByteArrayView(input).sliced(offset, qMin(step, input.size() - offset))))
            out << sseProbeDescribe(frame);
    return out;
}

} // namespace

class TestSseProbeStream : public QObject
{
    Q_OBJECT

private slots:
    void frames_data();
    void frames();
    void wireBytes();
    void initialLastEventIdKept();
    void lineLimit();
    void eventLimit();
    void bodyCut();
    void restartKeepsIdAndRetry();
};

void TestSseProbeStream::frames_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<QString>("lastEventId");
    QTest::addColumn<qint64>("retryMs");

    QTest::newRow("node notification")
        << "id: 17-a\nevent: notification\ndata: {\"text\":\"hi\"}\n\n"_ba
        << QStringList { u"notification|17-a|id=17-a;event=notification|{\"text\":\"hi\"}"_s } << u"17-a"_s
        << qint64(-1);
    QTest::newRow("unnamed, two data lines")
        << "data: a\ndata: b\n\n"_ba << QStringList { u"message|||a\nb"_s } << QString() << qint64(-1);
    QTest::newRow("comments") << ":keep-alive\n: spaced\n:\n"_ba
                              << QStringList { u"COMMENT|||keep-alive"_s, u"COMMENT|||spaced"_s,
                                     u"COMMENT|||"_s }
                              << QString() << qint64(-1);
    QTest::newRow("comment inside an event")
        << "data: x\n:ka\ndata: y\n\n"_ba << QStringList { u"COMMENT|||ka"_s, u"message|||x\ny"_s }
        << QString() << qint64(-1);
    QTest::newRow("retry alone") << "retry: 3000\n\n"_ba << QStringList { u"RETRY||retry=3000|"_s }
                                 << QString() << qint64(3000);
    QTest::newRow("retry with an event")
        << "retry: 500\nid: 1\ndata: x\n\n"_ba << QStringList { u"message|1|id=1;retry=500|x"_s } << u"1"_s
        << qint64(500);
    QTest::newRow("invalid retry ignored")
        << "retry: 3x\n\nretry:\n\n"_ba << QStringList() << QString() << qint64(-1);
    QTest::newRow("node reset after an id")
        << "id: 5\ndata: x\n\nevent: reset\ndata: {\"reason\":\"gone\"}\n\n"_ba
        << QStringList { u"message|5|id=5|x"_s, u"reset||event=reset|{\"reason\":\"gone\"}"_s } << u"5"_s
        << qint64(-1);
    QTest::newRow("id without data") << "id: 7\n\n"_ba << QStringList() << u"7"_s << qint64(-1);
    QTest::newRow("empty id clears") << "id: 7\n\nid\n\n"_ba << QStringList() << QString() << qint64(-1);
    QTest::newRow("id with NUL ignored")
        << "id: 7\n\nid: a\0b\ndata: x\n\n"_ba << QStringList { u"message|||x"_s } << u"7"_s << qint64(-1);
    QTest::newRow("CRLF") << "id: 1\r\ndata: x\r\n\r\n:c\r\n"_ba
                          << QStringList { u"message|1|id=1|x"_s, u"COMMENT|||c"_s } << u"1"_s << qint64(-1);
    QTest::newRow("CR") << "id: 1\rdata: x\r\r:c\r"_ba
                        << QStringList { u"message|1|id=1|x"_s, u"COMMENT|||c"_s } << u"1"_s << qint64(-1);
    QTest::newRow("BOM then comment")
        << "\xEF\xBB\xBF:hello\ndata: x\n\n"_ba << QStringList { u"COMMENT|||hello"_s, u"message|||x"_s }
        << QString() << qint64(-1);
    QTest::newRow("unfinished event not dispatched")
        << "data: x\n"_ba << QStringList() << QString() << qint64(-1);
    QTest::newRow("unknown field ignored")
        << "foo: bar\ndata: x\n\n"_ba << QStringList { u"message|||x"_s } << QString() << qint64(-1);
}

void TestSseProbeStream::frames()
{
    QFETCH(QByteArray, input);
    QFETCH(QStringList, expected);
    QFETCH(QString, lastEventId);
    QFETCH(qint64, retryMs);
    // Whole, and one byte at a time (a CRLF split between reads counts once), and in threes.
    for (const qsizetype chunk : { qsizetype(0), qsizetype(1), qsizetype(3) }) {
        SseProbeStream stream;
        QCOMPARE(sseProbeFeed(stream, input, chunk), expected);
        QVERIFY2(!stream.hasError(), qPrintable(stream.errorString()));
        QCOMPARE(stream.lastEventId(), lastEventId);
        QCOMPARE(stream.retryMs(), retryMs);
    }
}

void TestSseProbeStream::wireBytes()
{
    SseProbeStream stream;
    const QByteArray event = "id: 1\r\nevent: e\r\ndata: x\r\n\r\n"_ba;
    const QList<TrafficFrame> frames = stream.feed(QByteArray(":ka\n"_ba + event));
    QCOMPARE(frames.size(), 2);
    QCOMPARE(frames.at(0).bytes, qint64(4));
    QCOMPARE(frames.at(1).bytes, qint64(event.size()));
}

void TestSseProbeStream::initialLastEventIdKept()
{
    SseProbeStream stream;
    stream.setLastEventId(u"42"_s);
    // The node's first block (retry only) and an event without an id leave it alone.
    sseProbeFeed(stream, "retry: 3000\n\ndata: x\n\n"_ba, 0);
    QCOMPARE(stream.lastEventId(), u"42"_s);
    sseProbeFeed(stream, "id: 43\ndata: y\n\n"_ba, 0);
    QCOMPARE(stream.lastEventId(), u"43"_s);
}

void TestSseProbeStream::lineLimit()
{
    SseProbeStream stream(1024, 4096);
    QVERIFY(stream.feed(QByteArray("data: " + QByteArray(1100, 'x')))
                .isEmpty()); // unterminated: caught before the end of the line
    QVERIFY(stream.hasError());
    QVERIFY2(stream.errorString().contains(u"longer than 1024 bytes"_s), qPrintable(stream.errorString()));
    QVERIFY(stream.feed("\n\n").isEmpty()); // an error is final
    SseProbeStream terminated(1024, 4096);
    QVERIFY(terminated.feed(QByteArray("data: " + QByteArray(1100, 'x') + "\n\n")).isEmpty());
    QVERIFY(terminated.hasError());
}

void TestSseProbeStream::eventLimit()
{
    SseProbeStream stream(1024, 2048);
    QByteArray input;
    for (int i = 0; i < 5; ++i)
        input += "data: " + QByteArray(1000, 'x') + '\n';
    QVERIFY(stream.feed(input).isEmpty());
    QVERIFY(stream.hasError());
    QVERIFY2(stream.errorString().contains(u"larger than 2048 bytes"_s), qPrintable(stream.errorString()));
}

void TestSseProbeStream::bodyCut()
{
    SseProbeStream stream(65536, 65536, 10);
    const QList<TrafficFrame> frames = stream.feed("data: 0123456789abcdef\n\n");
    QCOMPARE(frames.size(), 1);
    QCOMPARE(frames.at(0).body, "0123456789"_ba);
    QVERIFY(frames.at(0).truncated);
}

void TestSseProbeStream::restartKeepsIdAndRetry()
{
    SseProbeStream stream;
    sseProbeFeed(stream, "retry: 100\nid: 9\ndata: x\n\ndata: half", 0);
    stream.restart();
    QCOMPARE(stream.lastEventId(), u"9"_s);
    QCOMPARE(stream.retryMs(), qint64(100));
    // The half event of the old connection is gone.
    QCOMPARE(sseProbeFeed(stream, "data: new\n\n"_ba, 0), QStringList { u"message|||new"_s });
}

SB_TEST_APPLESS_MAIN(TestSseProbeStream)
#include "tst_sseprobestream.moc"
