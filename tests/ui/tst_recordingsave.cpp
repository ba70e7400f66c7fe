// File → Save Recording off the GUI thread (issue 11): an hour's recording took ~7 s to
// encode, compress and write (docs/benchmarks.md, "Recording size"), all of it on the GUI
// thread. MainWindow::saveRecordingTo now takes a cheap copy on the GUI thread and saves it
// on a pool thread: the event loop keeps turning meanwhile, the status bar says each step,
// the file is complete and opens, a failure is shown, and a window closed mid-save still
// leaves the whole file.
#include "models/AttachmentState.h"
#include "models/RecordingStore.h"
#include "protocol/Gzip.h"
#include "support/EventLoopGapMeter.h"
#include "support/LargeRecording.h"
#include "support/TestMain.h"
#include "ui/MainWindow.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QMessageBox>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QTest>
#include <QThreadPool>
#include <QTimer>

using namespace sb;

namespace {

// The GUI thread may not stall longer than this while a save runs, or a quarter of the save
// on a slow runner (a save on the GUI thread stalled it for the whole save: seconds).
constexpr qint64 kMaxSaveStallMs = 250;
constexpr int kSavedFrames = sb::test::kLargeRecordingFrames;
using sb::test::checkCompleteRecording;
using sb::test::largeSavedRecording;
using sb::test::largeTrafficSection;

// The save's modal message (a failure, a second save refused), read and closed from within
// its own event loop every 20 ms while the closer lives.
class SaveMessageCloser
{
public:
    SaveMessageCloser()
    {
        m_timer.setInterval(20);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                m_shown = box->text();
                box->close();
            }
        });
        m_timer.start();
    }
    const QString &shown() const { return m_shown; }

private:
    QTimer m_timer;
    QString m_shown;
};

} // namespace

class TestRecordingSave : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("switchboard-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_recordingsave"));
    }

    void savingALargeRecordingKeepsTheEventLoopTurning()
    {
        QTemporaryDir dir;
        models::AttachmentState attachment;
        models::RecordingStore recording = largeSavedRecording();
        ui::MainWindow window(&attachment, &recording);
        window.setRecordingExtras([](const QDateTime &, const QDateTime &) { return largeTrafficSection; });
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QSignalSpy saved(&window, &ui::MainWindow::recordingSaved);
        QStringList steps;
        connect(window.statusBar(), &QStatusBar::messageChanged, this, [&steps](const QString &message) {
            if (!message.isEmpty())
                steps << message;
        });

        const QString path = dir.filePath(QStringLiteral("hour.sbrec.json.gz"));
        sb::test::EventLoopGapMeter meter;
        QElapsedTimer saving;
        saving.start();
        QVERIFY(window.saveRecordingTo(path));
        QVERIFY(window.isSavingRecording());
        recording.append(QDateTime::currentDateTimeUtc(), {}); // the live store goes on recording
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 120000);
        const qint64 savedMs = saving.elapsed();
        QVERIFY(!window.isSavingRecording());
        QCOMPARE(saved.first().at(0).toBool(), true);
        QCOMPARE(saved.first().at(1).toString(), path);
        qInfo("saved in %lld ms; the GUI thread's longest stall meanwhile %lld ms", savedMs,
            meter.longestGapMs());
        // A save that took no time would prove nothing: this one must take longer than the
        // bound (0.7 s on an idle machine at -O1, 1.2–2.1 s on a loaded one).
        QVERIFY2(savedMs > kMaxSaveStallMs, "the recording is too small to tell");
        // On the GUI thread the stall was the whole save. Off it, what is left is the copy and
        // the scheduler: on a loaded 2-core runner (load 13) one stall of 260 ms was seen in a
        // 2.1 s save, so the bound grows with the save, a quarter of it, never the whole.
        const qint64 allowedMs = qMax(kMaxSaveStallMs, savedMs / 4);
        QVERIFY2(meter.longestGapMs() < allowedMs,
            qPrintable(QStringLiteral("the GUI thread stalled %1 ms (allowed %2 ms)")
                           .arg(meter.longestGapMs())
                           .arg(allowedMs)));

        // The status bar said it was saving, and each step with its size, then where it went.
        QVERIFY2(steps.first().startsWith(QStringLiteral("Saving recording to %1…").arg(path)),
            qPrintable(steps.first()));
        QVERIFY(steps.filter(QStringLiteral("compressing ")).size() == 1);
        QVERIFY(steps.filter(QStringLiteral(" MB")).size() >= 2);
        QCOMPARE(steps.last(), QStringLiteral("Recording saved to %1").arg(path));

        checkCompleteRecording(path);
        // The extras builder ran too, on the pool thread: its section is in the file, whole.
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QString why;
        const auto json = protocol::Gzip::decompress(file.readAll(), qint64(1) << 30, &why);
        QVERIFY2(json, qPrintable(why));
        QCOMPARE(QJsonDocument::fromJson(*json)
                     .object()[QStringLiteral("traffic")][QStringLiteral("frames")]
                     .toArray()
                     .size(),
            kSavedFrames);
    }

    void aFailedSaveIsShown()
    {
        QTemporaryDir dir;
        models::AttachmentState attachment;
        models::RecordingStore recording = largeSavedRecording();
        ui::MainWindow window(&attachment, &recording);
        window.show();
        QSignalSpy saved(&window, &ui::MainWindow::recordingSaved);
        const SaveMessageCloser closer;
        const QString path = dir.filePath(QStringLiteral("no-such-folder/r.sbrec.json"));
        QVERIFY(window.saveRecordingTo(path));
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 60000);
        QCOMPARE(saved.first().at(0).toBool(), false);
        QTRY_VERIFY2(
            closer.shown().contains(QStringLiteral("cannot write %1").arg(path)), qPrintable(closer.shown()));
        QVERIFY(!window.isSavingRecording());
    }

    void aSecondSaveWaitsForTheFirst()
    {
        QTemporaryDir dir;
        models::AttachmentState attachment;
        models::RecordingStore recording = largeSavedRecording();
        ui::MainWindow window(&attachment, &recording);
        window.setRecordingExtras([](const QDateTime &, const QDateTime &) { return largeTrafficSection; });
        window.show();
        QSignalSpy saved(&window, &ui::MainWindow::recordingSaved);
        const SaveMessageCloser closer;
        const QString first = dir.filePath(QStringLiteral("first.sbrec.json.gz"));
        QVERIFY(window.saveRecordingTo(first));
        QVERIFY(!window.saveRecordingTo(dir.filePath(QStringLiteral("second.sbrec.json.gz"))));
        QVERIFY2(closer.shown().contains(QStringLiteral("still being saved to %1").arg(first)),
            qPrintable(closer.shown()));
        QTRY_COMPARE_WITH_TIMEOUT(saved.size(), 1, 120000);
        QCOMPARE(saved.first().at(1).toString(), first);
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("second.sbrec.json.gz"))));
        checkCompleteRecording(first);
    }

    void closingTheWindowWhileSavingStillFinishesTheFile()
    {
        QTemporaryDir dir;
        models::AttachmentState attachment;
        models::RecordingStore recording = largeSavedRecording();
        auto *window = new ui::MainWindow(&attachment, &recording);
        window->setRecordingExtras([](const QDateTime &, const QDateTime &) { return largeTrafficSection; });
        window->show();
        const QString path = dir.filePath(QStringLiteral("closed.sbrec.json.gz"));
        QVERIFY(window->saveRecordingTo(path));
        window->close();
        delete window; // as the console's exit does; the save's results find no window
        recording = models::RecordingStore(); // and the live store is gone too
        // What QCoreApplication's destructor does before the process exits.
        QThreadPool::globalInstance()->waitForDone();
        QCoreApplication::processEvents(); // the queued results, to no one
        checkCompleteRecording(path);
    }
};

SB_TEST_MAIN(TestRecordingSave)
#include "tst_recordingsave.moc"
