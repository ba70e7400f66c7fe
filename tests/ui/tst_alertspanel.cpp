#include "models/AlertModel.h"
#include "models/AttachmentState.h"
#include "models/RecordingStore.h"
#include "support/TestMain.h"
#include "ui/AlertNotifier.h"
#include "ui/AlertStatusButton.h"
#include "ui/AlertThresholdsDialog.h"
#include "ui/AlertsPanel.h"
#include "ui/MainWindow.h"

#include <QAction>
#include <QCheckBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QJsonArray>
#include <QLabel>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QTest>

using namespace sb;
using namespace Qt::StringLiterals;
using models::Alert;
using models::AlertTransition;

namespace {

const QDateTime kPanelT0 = QDateTime::fromMSecsSinceEpoch(1714550400000, Qt::UTC);

Alert alert(const QString &rule, const QString &subject, Alert::Severity severity)
{
    Alert a;
    a.rule = rule;
    a.subject = subject;
    a.severity = severity;
    a.figure = u"down since 12:00:00 UTC"_s;
    a.since = kPanelT0;
    a.raisedAt = kPanelT0.addSecs(5);
    return a;
}

} // namespace

// The Alerts panel in the main window: a dock opened by Alt+5 or the status bar's count,
// the count in the status bar, the "alerts" section of state.json; the thresholds dialog
// and which transitions make a desktop notification.
class TestAlertsPanel : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(u"switchboard-test"_s);
        QCoreApplication::setApplicationName(u"tst_alertspanel"_s);
        QSettings().clear();
    }

    void statusBarCountOpensThePanelAndTheSnapshotCarriesAlerts()
    {
        models::AttachmentState attachment;
        models::RecordingStore recording;
        models::AlertModel alerts;
        ui::MainWindow window(&attachment, &recording);
        ui::AlertsPanel *panel = window.setAlerts(&alerts);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(panel);
        QVERIFY(!window.alertsDock()->isVisible()); // hidden until asked for

        auto *count = window.findChild<ui::AlertStatusButton *>(u"alertStatus"_s);
        QVERIFY(count);
        QCOMPARE(count->text(), u"No alerts"_s);
        QVERIFY(window.snapshotState().value(u"alerts"_s).toObject().value(u"active"_s).toArray().isEmpty());

        const Alert down = alert(u"replica-down"_s, u"node-2"_s, Alert::Severity::Critical);
        const Alert unready = alert(u"replica-unready"_s, u"node-1"_s, Alert::Severity::Warning);
        alerts.apply({ down, unready }, {}, { { AlertTransition::Kind::Raised, down } }, {});
        QCOMPARE(count->text(), u"2 alerts (1 critical)"_s);
        QVERIFY(count->toolTip().contains(u"Replica down: node-2"_s));
        QCOMPARE(panel->table()->model()->rowCount(), 2);
        QVERIFY(panel->summary()->text().startsWith(u"2 active (1 critical)"_s));

        count->click();
        QTRY_VERIFY(window.alertsDock()->isVisible());
        window.alertsDock()->toggleViewAction()->trigger();
        QTRY_VERIFY(!window.alertsDock()->isVisible());
        QCOMPARE(window.alertsDock()->toggleViewAction()->shortcut(), QKeySequence(Qt::ALT | Qt::Key_5));

        const QJsonObject json = window.snapshotState().value(u"alerts"_s).toObject();
        const QJsonArray active = json.value(u"active"_s).toArray();
        QCOMPARE(active.size(), 2);
        QCOMPARE(active.at(0).toObject().value(u"rule"_s).toString(), u"replica-down"_s);
        QCOMPARE(active.at(0).toObject().value(u"severity"_s).toString(), u"critical"_s);
        QCOMPARE(active.at(0).toObject().value(u"since"_s).toString(), kPanelT0.toString(Qt::ISODateWithMs));

        Alert cleared = down;
        cleared.clearedAt = kPanelT0.addSecs(30);
        alerts.apply({ unready }, { cleared }, { { AlertTransition::Kind::Cleared, cleared } }, {});
        QCOMPARE(count->text(), u"1 alert"_s);
        QCOMPARE(window.snapshotState().value(u"alerts"_s).toObject().value(u"recent"_s).toArray().size(), 1);
    }

    void onlyNewCriticalAlertsNotify_data()
    {
        QTest::addColumn<AlertTransition::Kind>("kind");
        QTest::addColumn<Alert::Severity>("severity");
        QTest::addColumn<bool>("notifies");
        QTest::newRow("raised critical")
            << AlertTransition::Kind::Raised << Alert::Severity::Critical << true;
        QTest::newRow("escalated to critical")
            << AlertTransition::Kind::Escalated << Alert::Severity::Critical << true;
        QTest::newRow("raised warning") << AlertTransition::Kind::Raised << Alert::Severity::Warning << false;
        QTest::newRow("cleared critical")
            << AlertTransition::Kind::Cleared << Alert::Severity::Critical << false;
    }

    void onlyNewCriticalAlertsNotify()
    {
        QFETCH(AlertTransition::Kind, kind);
        QFETCH(Alert::Severity, severity);
        QFETCH(bool, notifies);
        QCOMPARE(ui::AlertNotifier::worthNotifying({ kind, alert(u"r"_s, u"s"_s, severity) }), notifies);
    }

    void notificationsAreOffByDefault()
    {
        models::AlertModel alerts;
        ui::AlertNotifier notifier(&alerts);
        QVERIFY(!notifier.isEnabled());
        ui::AlertsPanel panel(&alerts);
        QVERIFY(!panel.notifyBox()->isChecked());
        // The offscreen platform has no tray: the switch says so and cannot be turned on.
        QCOMPARE(notifier.setEnabled(true), QSystemTrayIcon::isSystemTrayAvailable());
    }

    void thresholdsDialogRefusesAMissingHysteresisBand()
    {
        models::AlertThresholds t;
        t.drainGraceSeconds = 45;
        ui::AlertThresholdsDialog dialog(t, u"profile prod"_s);
        QCOMPARE(dialog.thresholds(), t);
        auto *clear = dialog.findChild<QDoubleSpinBox *>(u"imbalanceClear"_s);
        auto *raise = dialog.findChild<QDoubleSpinBox *>(u"imbalanceRaise"_s);
        QVERIFY(clear && raise);
        clear->setValue(raise->value() + 0.5);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Rejected)); // not accepted
        QVERIFY(!dialog.findChild<QLabel *>(u"alertThresholdsProblem"_s)->text().isEmpty());
        clear->setValue(raise->value() - 0.2);
        dialog.findChild<QSpinBox *>(u"raiseAfterSeconds"_s)->setValue(12);
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.thresholds().raiseAfterSeconds, 12);
        QCOMPARE(dialog.thresholds().drainGraceSeconds, 45);
    }
};

SB_TEST_MAIN(TestAlertsPanel)
#include "tst_alertspanel.moc"
