#include "inspect/TrafficRecording.h"
#include "protocol/TapFrameCodec.h"
#include "support/TestMain.h"

#include <QBuffer>
#include <QTemporaryDir>
#include <QTest>

using namespace sb::inspect;
using sb::protocol::TrafficFrame;
using namespace Qt::StringLiterals;

namespace {

QList<TrafficFrame> someFrames(int count)
{
    QList<TrafficFrame> frames;
    for (int i = 0; i < count; ++i) {
        TrafficFrame f;
        f.tsMs = 1700000000000 + i;
        f.source = u"node-%1"_s.arg(i % 3 + 1);
        f.transport = i % 2 ? TrafficFrame::Transport::Sse : TrafficFrame::Transport::Stomp;
        f.direction = TrafficFrame::Direction::Out;
        f.command = u"MESSAGE"_s;
        f.destination = u"/topic/channels.general"_s;
        f.messageId = u"m-%1"_s.arg(i);
        f.bytes = 100 + i;
        f.setHeaders({ { u"message-id"_s, f.messageId }, { u"line"_s, u"a\nb"_s } });
        f.body = "{\"text\":\"héllo\"}";
        frames.append(f);
    }
    return frames;
}

TrafficRecording::FrameSource sourceOf(const QList<TrafficFrame> &frames)
{
    return [frames](const std::function<bool(const TrafficFrame &)> &visit) {
        for (const TrafficFrame &f : frames)
            if (!visit(f))
                return;
    };
}

QByteArray written(const QList<TrafficFrame> &frames)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    TrafficRecording::Header header { u"embedded demo cluster"_s, QDateTime::currentDateTimeUtc(),
        frames.size() };
    TrafficRecording::write(&buffer, header, sourceOf(frames), nullptr);
    return buffer.data();
}

std::optional<TrafficRecording::Contents> readBack(const QByteArray &bytes, QString *error)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    return TrafficRecording::read(&buffer, error);
}

} // namespace

class TestTrafficRecording : public QObject
{
    Q_OBJECT

private slots:
    void roundTrip()
    {
        const QList<TrafficFrame> frames = someFrames(50);
        QString error;
        const auto contents = readBack(written(frames), &error);
        QVERIFY2(contents, qPrintable(error));
        QVERIFY(contents->warning.isEmpty());
        QCOMPARE(contents->header.origin, u"embedded demo cluster"_s);
        QCOMPARE(contents->header.frames, 50);
        QCOMPARE(contents->frames.size(), 50);
        for (int i = 0; i < 50; ++i) {
            const TrafficFrame &a = frames[i];
            const TrafficFrame &b = contents->frames[i];
            QCOMPARE(b.tsMs, a.tsMs);
            QCOMPARE(b.source, a.source);
            QCOMPARE(b.transport, a.transport);
            QCOMPARE(b.messageId, a.messageId);
            QCOMPARE(b.bytes, a.bytes);
            QCOMPARE(b.body, a.body);
            QCOMPARE(b.header(u"line"_s), u"a\nb"_s);
        }
    }

    void savesAtomicallyAndLoads()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"capture.sbtraffic.jsonl"_s);
        QString error;
        QVERIFY2(TrafficRecording::save(
                     path, { u"x"_s, QDateTime::currentDateTimeUtc(), 3 }, sourceOf(someFrames(3)), &error),
            qPrintable(error));
        QCOMPARE(TrafficRecording::load(path, &error)->frames.size(), 3);
        QVERIFY(!TrafficRecording::save(dir.filePath(u"no/such/dir/x.jsonl"_s), {}, sourceOf({}), &error));
        QVERIFY2(error.contains(u"cannot write"_s), qPrintable(error));
        QVERIFY(!TrafficRecording::load(dir.filePath(u"missing.jsonl"_s), &error));
        QVERIFY2(error.contains(u"cannot open"_s), qPrintable(error));
    }

    void truncatedLastLineKeepsWhatCameBefore()
    {
        QByteArray bytes = written(someFrames(10));
        bytes.chop(25); // the writer died in the middle of the last frame
        QString error;
        const auto contents = readBack(bytes, &error);
        QVERIFY2(contents, qPrintable(error));
        QCOMPARE(contents->frames.size(), 9);
        QVERIFY2(contents->warning.contains(u"cut short"_s), qPrintable(contents->warning));
    }

    void bareTapLinesRead()
    {
        QByteArray bytes;
        for (const TrafficFrame &f : someFrames(4))
            bytes += sb::protocol::TapFrameCodec::encode(f) + '\n';
        QString error;
        const auto contents = readBack(bytes, &error);
        QVERIFY2(contents, qPrintable(error));
        QCOMPARE(contents->frames.size(), 4);
    }

    void refusals_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("messagePart");
        QTest::newRow("empty") << QByteArray() << u"empty"_s;
        QTest::newRow("only blank lines") << "\n\n  \n"_ba << u"empty"_s;
        QTest::newRow("a session recording") << "{\"format\":\"switchboard-recording/1\",\"samples\":[]}\n"_ba
                                             << u"unsupported capture format 'switchboard-recording/1'"_s;
        QTest::newRow("csv") << "time,replica\n1,node-1\n"_ba << u"not a Switchboard traffic capture"_s;
        QTest::newRow("json array") << "[1,2,3]\n"_ba << u"not a Switchboard traffic capture"_s;
        QTest::newRow("bad middle line")
            << "{\"format\":\"switchboard-traffic/1\"}\n{\"ts\":1}\nnot json\n{\"ts\":2}\n"_ba
            << u"line 3: not JSON"_s;
        QTest::newRow("wrong type in middle")
            << "{\"ts\":1}\n{\"ts\":\"x\"}\n"_ba << u"line 2: field \"ts\""_s;
        QTest::newRow("huge line") << QByteArray(TrafficRecording::kMaxLineBytes + 10, 'x')
                                   << u"longer than"_s;
    }
    void refusals()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, messagePart);
        QString error;
        QVERIFY(!readBack(bytes, &error));
        QVERIFY2(error.contains(messagePart), qPrintable(error));
    }
};

SB_TEST_GUILESS_MAIN(TestTrafficRecording)
#include "tst_trafficrecording.moc"
