// Alerts in a replay (issue 11): `switchboard --open-recording FILE` attaches nothing live, and
// the services then read as down; the live alert rules must not run on them (opening a
// recording raised "critical redis-unreachable"). The replay's alerts are the recording's:
// the ones active at the replay position. The recording is read on a pool thread
// (models::RecordingOpenJob, as File → Open Recording does): start() returns before it is,
// and the event loop turns until the replay window is there.
#include "RecordingFixture.h"
#include "app/ConsoleAlerts.h"
#include "app/ConsoleController.h"
#include "models/AlertThresholds.h"
#include "support/TestMain.h"
#include "ui/RecordedTableModel.h"
#include "ui/ReplayAreaPane.h"
#include "ui/ReplayWindow.h"

#include <QApplication>
#include <QJsonDocument>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace sb;

class TestReplayAlerts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("switchboard-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_replayalerts"));
        QSettings().clear();
        // Raised at the first evaluation that sees the condition, so one evaluation tells.
        models::AlertThresholds immediate;
        immediate.raiseAfterSeconds = 0;
        QSettings().setValue(QStringLiteral("alerts/demoThresholds"),
            QString::fromUtf8(QJsonDocument(immediate.toJson()).toJson(QJsonDocument::Compact)));
    }

    void openingARecordingRaisesNoLiveAlertAndShowsTheRecordedOnes()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("r.sbrec.json"));
        QString error;
        QVERIFY2(test::threeSampleRecording().save(path, &error), qPrintable(error));

        app::ConsoleOptions options;
        options.recordingPath = path;
        options.recordingAt = QStringLiteral("+5"); // the second sample: node-2 down
        app::ConsoleController console(options);
        QVERIFY2(console.start(&error), qPrintable(error));
        QVERIFY2(
            !console.replayWindow(), "the recording was read on the GUI thread, before start() returned");

        // Every service reads as down (nothing live attached), yet no rule judges them.
        console.alerts()->evaluateNow();
        console.alerts()->evaluateNow();
        QStringList raised;
        for (const models::Alert &alert : console.alerts()->engine().active())
            raised << alert.rule;
        QVERIFY2(raised.isEmpty(), qPrintable(raised.join(u' ')));
        QCOMPARE(console.alerts()->model()->rowCount(), 0);
        QVERIFY(console.alerts()->isReplaying());

        // The recording's own alert, as it was at that moment, in the replay's Alerts.
        QTRY_VERIFY_WITH_TIMEOUT(console.replayWindow(), 10000);
        const ui::ReplayWindow *replay = console.replayWindow();
        QCOMPARE(replay->shownSample(), 1);
        const ui::RecordedTableModel *active = replay->pane(QStringLiteral("alerts"))->tableModel(0);
        QCOMPARE(active->rowCount(), 1);
        QCOMPARE(active->index(0, 0).data().toString(), QStringLiteral("critical"));
        QCOMPARE(active->index(0, 1).data().toString(), QStringLiteral("replica-down"));
    }
};

SB_TEST_MAIN(TestReplayAlerts)
#include "tst_replayalerts.moc"
