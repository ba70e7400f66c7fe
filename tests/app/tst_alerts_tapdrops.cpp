#include "app/ConsoleAlerts.h"
#include "app/TrafficAreaAssembly.h"
#include "models/AlertRules.h"
#include "models/ProfileStore.h"
#include "support/DevClusterProcess.h"
#include "ui/AreaView.h"
#include "ui/TrafficView.h"

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace sb;
using namespace Qt::StringLiterals;
using models::Alert;
using models::AlertRules;

namespace {

const Alert *findAlert(const QList<Alert> &alerts, QStringView rule, const QString &subject)
{
    for (const Alert &a : alerts)
        if (a.rule == rule && a.subject == subject)
            return &a;
    return nullptr;
}

} // namespace

// The "tap frames dropped" alert for the console's own drops, end to end (issue 13): a real
// `switchboard devcluster` process posting demo traffic (so the traffic goes on whatever
// this process does), the Traffic area assembled as the console does, tapping its replica,
// and the console's alert evaluation over it. The GUI thread is then kept busy for 6 s, the
// situation the batcher guards against: the capture thread's batches go unacknowledged, and
// past TrafficBatcher::kMaxBatchesInFlight it drops and counts frames. Once the GUI thread
// runs again it applies the queued batches, the count reaches the alert as the `console`
// subject, and the alert clears once nothing more was dropped for the (shortened) window.
class TestAlertsTapDrops : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;
    testing::DevClusterProcess m_cluster;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchboard-test"_s);
        QCoreApplication::setApplicationName(u"tst_alerts_tapdrops"_s);
        QVERIFY2(!qEnvironmentVariableIsEmpty("SB_BINARY"),
            "run through ctest (SB_BINARY names the switchboard binary)");
        QVERIFY2(m_cluster.start({ u"--replicas"_s, u"1"_s, u"--demo-traffic"_s, u"100"_s }),
            qPrintable(m_cluster.errorString()));
    }

    void cleanupTestCase() { m_cluster.stop(); }

    void busyGuiThreadRaisesConsoleTapDropsThenClears()
    {
        models::AttachmentState attachment;
        ui::AreaView area(u"traffic"_s, ui::EmptyState { u"Traffic"_s, {}, {} });
        app::TrafficAreaAssembly traffic(&area, { {}, u"admin"_s, u"admin"_s }, u"test"_s, &attachment);
        traffic.start();
        QCOMPARE(m_cluster.nodeUrls().size(), 1);
        traffic.setEndpoints({ { m_cluster.nodeIds().first(), m_cluster.nodeUrls().first() } });
        models::ProfileStore profiles(m_dir.filePath(u"secrets.json"_s));
        app::ConsoleAlerts alerts(&attachment, &profiles);
        models::AlertThresholds thresholds; // short holds and window keep the test short
        thresholds.raiseAfterSeconds = 2;
        thresholds.clearAfterSeconds = 2;
        thresholds.counterWindowSeconds = 5;
        alerts.restart({}, thresholds);
        alerts.watch(nullptr, nullptr, &traffic);
        alerts.start();

        // Frames flowing from a live tap, none dropped, and the alerts have seen that 0.
        auto liveTaps = [&traffic] {
            int live = 0;
            for (const auto &source : traffic.view()->sources())
                live
                    += source.kind == u"tap" && source.state == inspect::TapSourceStatus::State::Live ? 1 : 0;
            return live;
        };
        QTRY_COMPARE_WITH_TIMEOUT(liveTaps(), 1, 20000);
        QSignalSpy applied(&traffic, &app::TrafficAreaAssembly::batchApplied);
        QTRY_VERIFY_WITH_TIMEOUT(applied.size() >= 5, 10000);
        QCOMPARE(traffic.droppedByConsole(), std::optional<qint64>(0));
        const QDateTime seenZero = QDateTime::currentDateTimeUtc();
        QTRY_VERIFY_WITH_TIMEOUT(alerts.engine().evaluatedAt() > seenZero, 5000);
        QVERIFY(!findAlert(alerts.model()->active(), AlertRules::TapDrops, u"console"_s));

        // The GUI thread busy (a stall, not a wait for something): the capture thread goes on.
        QThread::msleep(6000);

        QTRY_VERIFY_WITH_TIMEOUT(traffic.droppedByConsole().value_or(0) > 0, 5000);
        const qint64 dropped = *traffic.droppedByConsole();
        QTRY_VERIFY_WITH_TIMEOUT(
            findAlert(alerts.model()->active(), AlertRules::TapDrops, u"console"_s), 10000);
        const Alert raised = *findAlert(alerts.model()->active(), AlertRules::TapDrops, u"console"_s);
        QCOMPARE(raised.severity, Alert::Severity::Info);
        QVERIFY2(raised.figure.contains(u"tap frames dropped by the console"_s), qPrintable(raised.figure));
        QVERIFY2(raised.figure.startsWith(u'+'), qPrintable(raised.figure));
        QVERIFY(raised.since.secsTo(raised.raisedAt) >= thresholds.raiseAfterSeconds);

        // Keeping up again: no more drops, so the alert clears after the window and the hold.
        QTRY_VERIFY_WITH_TIMEOUT(
            !findAlert(alerts.model()->active(), AlertRules::TapDrops, u"console"_s), 20000);
        QVERIFY(findAlert(alerts.model()->recent(), AlertRules::TapDrops, u"console"_s));
        QVERIFY(traffic.droppedByConsole().value_or(0) >= dropped); // a counter: never down
    }
};

QTEST_MAIN(TestAlertsTapDrops)
#include "tst_alerts_tapdrops.moc"
