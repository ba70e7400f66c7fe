// The Faults panel: each action asks with its arguments (buttons and Alt+key shortcuts), the
// replica actions follow the replica chooser, nothing can be asked where no cluster takes
// faults, the event log is beneath, and it all fits a 1280x800 window's bottom dock.
#include "models/AttachmentState.h"
#include "models/RecordingStore.h"
#include "support/TestMain.h"
#include "ui/FaultsPanel.h"
#include "ui/MainWindow.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QSignalSpy>
#include <QStandardItemModel>
#include <QTableView>
#include <QTest>

using sb::ui::FaultsPanel;

namespace {
QAction *actionNamed(const FaultsPanel &panel, const QString &text)
{
    for (QAction *action : panel.faultActions())
        if (action->text() == text)
            return action;
    return nullptr;
}
} // namespace

class TestFaultsPanel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void eachActionAsksWithItsArguments()
    {
        QStandardItemModel events(0, 5);
        FaultsPanel panel(&events);
        panel.resize(1000, 300);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        QSignalSpy asked(&panel, &FaultsPanel::faultRequested);

        // Starting: nothing to ask yet.
        for (QAction *action : panel.faultActions())
            QVERIFY2(!action->isEnabled(), qPrintable(action->text()));
        panel.setAvailable(true, QString());
        // No replica known: the replica actions stay off, the others are on.
        QVERIFY(!actionNamed(panel, QStringLiteral("Kill"))->isEnabled());
        QVERIFY(actionNamed(panel, QStringLiteral("Restart Redis"))->isEnabled());
        panel.setReplicas({ QStringLiteral("node-1"), QStringLiteral("node-2") });
        QVERIFY(actionNamed(panel, QStringLiteral("Kill"))->isEnabled());

        auto *chooser = panel.findChild<QComboBox *>();
        QVERIFY(chooser);
        chooser->setCurrentText(QStringLiteral("node-2"));
        panel.setFocus();
        QTest::keyClick(&panel, Qt::Key_K, Qt::AltModifier);
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.at(0).at(0).toString(), QStringLiteral("kill"));
        QCOMPARE(asked.at(0).at(1).toJsonObject(),
            (QJsonObject { { QStringLiteral("replica"), QStringLiteral("node-2") } }));

        QTest::keyClick(&panel, Qt::Key_R, Qt::AltModifier);
        QCOMPARE(asked.last().at(0).toString(), QStringLiteral("restart-redis"));
        actionNamed(panel, QStringLiteral("Poison"))->trigger();
        QCOMPARE(asked.last().at(0).toString(), QStringLiteral("poison"));
        QVERIFY(asked.last().at(1).toJsonObject().value(QStringLiteral("count")).toInt() >= 1);
        QTest::keyClick(&panel, Qt::Key_D, Qt::AltModifier);
        QCOMPARE(asked.last().at(0).toString(), QStringLiteral("drain"));
        QCOMPARE(asked.size(), 4);

        // Every action says what it does.
        for (QAction *action : panel.faultActions()) {
            QVERIFY2(!action->toolTip().isEmpty() && action->toolTip() != action->text(),
                qPrintable(action->text()));
            QVERIFY2(!action->shortcut().isEmpty(), qPrintable(action->text()));
        }

        // Unavailable (a profile): nothing is asked, and the panel says why.
        panel.setAvailable(false, QStringLiteral("Faults act on the embedded demo cluster only"));
        QTest::keyClick(&panel, Qt::Key_K, Qt::AltModifier);
        QCOMPARE(asked.size(), 4);
    }

    void fitsTheBottomDockOfA1280x800Window()
    {
        sb::models::AttachmentState attachment;
        sb::models::RecordingStore recording;
        sb::ui::MainWindow window(&attachment, &recording);
        QStandardItemModel events(0, 5);
        FaultsPanel *panel = window.setFaults(&events);
        QVERIFY(panel);
        window.useDefaultLayoutAt(QSize(1280, 800));
        window.faultsDock()->show();
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        // Both rows of buttons in the window's width, and the log beneath has room for rows.
        QTRY_VERIFY(panel->width() > 0);
        // A devcluster's long outcome and endpoint state are clipped (their tooltips have them
        // whole), never widening the dock past the window.
        const QString longText = QStringLiteral("control endpoint unreachable: ").repeated(12);
        panel->showOutcome(false, longText);
        panel->setEndpointState(longText, false);
        QVERIFY(panel->endpointState() == longText);
        QVERIFY2(panel->minimumSizeHint().width() <= 1280,
            qPrintable(QString::number(panel->minimumSizeHint().width())));
        QVERIFY2(panel->table()->height() >= 40, qPrintable(QString::number(panel->table()->height())));
    }
};

SB_TEST_MAIN(TestFaultsPanel)
#include "tst_faultspanel.moc"
