// What a recording sample carries against a snapshot, through the window as the console
// takes both (MainWindow → AreaView → TrafficView): a recording sample's Traffic rows have
// their columns only — no rendered body, no headers — and no trace, while a full snapshot of
// the same moment still carries them; every column of every row is the same in both.
#include "models/AttachmentState.h"
#include "models/RecordingStore.h"
#include "models/SeriesHistory.h"
#include "models/TrafficBuffer.h"
#include "models/TrafficModel.h"
#include "support/TestMain.h"
#include "ui/AreaView.h"
#include "ui/MainWindow.h"
#include "ui/TrafficView.h"

#include <QJsonArray>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>

using namespace sb;
using namespace Qt::StringLiterals;
using protocol::TrafficFrame;

namespace {

TrafficFrame frame(int i)
{
    TrafficFrame f;
    f.tsMs = 1700000000000 + i;
    f.source = u"node-1"_s;
    f.transport = TrafficFrame::Transport::Stomp;
    f.direction = i % 2 ? TrafficFrame::Direction::Out : TrafficFrame::Direction::In;
    f.command = i % 2 ? u"MESSAGE"_s : u"SEND"_s;
    f.destination = u"/topic/channels.general"_s;
    f.user = u"alice"_s;
    f.session = u"s-1"_s;
    f.messageId = u"m-%1"_s.arg(i / 2);
    f.bytes = 60;
    f.body = R"({"text":"hello","n":1})";
    f.setHeaders({ { u"destination"_s, f.destination } });
    return f;
}

} // namespace

class TestRecordingSample : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchboard-test"_s);
        QCoreApplication::setApplicationName(u"tst_recordingsample"_s);
        QSettings().clear();
    }

    void aSampleCarriesNoRenderedTrafficRowsASnapshotDoes()
    {
        models::AttachmentState attachment;
        models::RecordingStore recording;
        ui::MainWindow window(&attachment, &recording);
        models::TrafficBuffer buffer(1000);
        models::TrafficModel model(&buffer);
        models::SeriesHistory rates(60);
        auto *view = new ui::TrafficView(&model, &rates);
        window.area(u"traffic"_s)->setContent(view);
        window.show();
        QList<TrafficFrame> frames;
        for (int i = 0; i < 300; ++i)
            frames.append(frame(i));
        model.apply(frames);

        const QJsonObject full = window.snapshotState().value(u"traffic"_s).toObject();
        const QJsonObject sample
            = window.snapshotState(ui::kRecordingTableRows, ui::SnapshotPurpose::RecordingSample)
                  .value(u"traffic"_s)
                  .toObject();

        // The snapshot: every row rendered, and the trace.
        const QJsonArray fullRows = full.value(u"rows"_s).toArray();
        QCOMPARE(fullRows.size(), 300);
        for (const QJsonValue &row : fullRows) {
            QVERIFY(row.toObject().value(u"body"_s).toString().contains(u"hello"_s));
            QVERIFY(row.toObject().value(u"headers"_s).toObject().contains(u"destination"_s));
        }
        QVERIFY(full.value(u"trace"_s).toObject().contains(u"hops"_s));

        // The sample: the newest kRecordingTableRows rows, columns only, no trace.
        const QJsonArray sampleRows = sample.value(u"rows"_s).toArray();
        QCOMPARE(sampleRows.size(), ui::kRecordingTableRows);
        for (int i = 0; i < sampleRows.size(); ++i) {
            const QJsonObject row = sampleRows.at(i).toObject();
            QVERIFY2(!row.contains(u"body"_s) && !row.contains(u"headers"_s), qPrintable(QString::number(i)));
            QJsonObject columns = fullRows.at(fullRows.size() - ui::kRecordingTableRows + i).toObject();
            columns.remove(u"body"_s);
            columns.remove(u"headers"_s);
            QCOMPARE(row, columns);
        }
        QVERIFY(!sample.contains(u"trace"_s));
        // The rest of the area is the same in both.
        for (const QString &key : { u"counts"_s, u"sources"_s, u"filter"_s, u"paused"_s, u"showing"_s })
            QCOMPARE(sample.value(key), full.value(key));
    }
};

SB_TEST_MAIN(TestRecordingSample)
#include "tst_recordingsample.moc"
