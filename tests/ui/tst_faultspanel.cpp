// The Faults panel: each action asks with its arguments (buttons and Alt+key shortcuts), the
// replica actions follow the replica chooser, nothing can be asked where no cluster takes
// faults, the event log is beneath, and it all fits a 1280x800 window's bottom dock. The
// other seven actions' requests are ones FaultRequest::parse accepts (the check every path that
// acts on the panel's requests makes), or refuses with its one-line reason in the panel.
#include "models/AttachmentState.h"
#include "models/RecordingStore.h"
#include "protocol/FaultRequest.h"
#include "support/TestMain.h"
#include "ui/FaultsPanel.h"
#include "ui/MainWindow.h"

#include <QAction>
#include <QComboBox>
#include <QDockWidget>
#include <QJsonObject>
#include <QLineEdit>
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

// The chooser Switch bus takes its bus from (the replica chooser comes first).
QComboBox *faultsPanelBusChooser(const FaultsPanel &panel)
{
    for (QComboBox *box : panel.findChildren<QComboBox *>())
        if (box->findText(QStringLiteral("redis")) >= 0)
            return box;
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

    // The seven actions eachActionAsksWithItsArguments does not ask: through its shortcut, the
    // request with its arguments from the panel's controls; then as the console answers it
    // (ConsoleController::injectFault, ConsoleDevClusterFaults::request): parsed, and the
    // outcome line says what was done, or that it was refused and why.
    void restOfTheActionsAskAndShowTheAnswer_data()
    {
        QTest::addColumn<QKeySequence>("shortcut");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("bus");
        QTest::addColumn<QString>("action");
        QTest::addColumn<QJsonObject>("args");
        QTest::addColumn<QString>("refusal"); // empty: accepted

        const QJsonObject onNode2 { { QStringLiteral("replica"), QStringLiteral("node-2") } };
        const QString noUser
            = QStringLiteral("revoke: user: expected a user name (1 to %1 printable characters)")
                  .arg(sb::protocol::FaultRequest::kMaxUserLength);
        QTest::newRow("start") << QKeySequence(Qt::ALT | Qt::Key_S) << QString() << QString()
                               << QStringLiteral("start") << onNode2 << QString();
        QTest::newRow("slow consumer") << QKeySequence(Qt::ALT | Qt::Key_C) << QString() << QString()
                                       << QStringLiteral("slow-consumer") << onNode2 << QString();
        QTest::newRow("revoke, the name trimmed")
            << QKeySequence(Qt::ALT | Qt::Key_U) << QStringLiteral(" user-7 ") << QString()
            << QStringLiteral("revoke")
            << QJsonObject { { QStringLiteral("user"), QStringLiteral("user-7") } } << QString();
        QTest::newRow("revoke nobody")
            << QKeySequence(Qt::ALT | Qt::Key_U) << QStringLiteral("   ") << QString()
            << QStringLiteral("revoke") << QJsonObject { { QStringLiteral("user"), QString() } } << noUser;
        QTest::newRow("revoke a name too long")
            << QKeySequence(Qt::ALT | Qt::Key_U) << QStringLiteral("u").repeated(300) << QString()
            << QStringLiteral("revoke")
            << QJsonObject { { QStringLiteral("user"), QStringLiteral("u").repeated(300) } } << noUser;
        QTest::newRow("switch bus") << QKeySequence(Qt::ALT | Qt::Key_B) << QString()
                                    << QStringLiteral("redis") << QStringLiteral("bus")
                                    << QJsonObject { { QStringLiteral("bus"), QStringLiteral("redis") } }
                                    << QString();
        QTest::newRow("burst") << QKeySequence(Qt::ALT | Qt::Key_T) << QString() << QString()
                               << QStringLiteral("burst")
                               << QJsonObject { { QStringLiteral("factor"), 10 },
                                      { QStringLiteral("seconds"), 10 } }
                               << QString();
        QTest::newRow("pause stage 1") << QKeySequence(Qt::ALT | Qt::Key_Z) << QString() << QString()
                                       << QStringLiteral("pause-stage1") << QJsonObject() << QString();
        QTest::newRow("resume stage 1")
            << QKeySequence(Qt::ALT | Qt::SHIFT | Qt::Key_Z) << QString() << QString()
            << QStringLiteral("resume-stage1") << QJsonObject() << QString();
    }

    void restOfTheActionsAskAndShowTheAnswer()
    {
        QFETCH(QKeySequence, shortcut);
        QFETCH(QString, user);
        QFETCH(QString, bus);
        QFETCH(QString, action);
        QFETCH(QJsonObject, args);
        QFETCH(QString, refusal);

        QStandardItemModel events(0, 5);
        FaultsPanel panel(&events);
        panel.resize(1000, 300);
        panel.show();
        QVERIFY(QTest::qWaitForWindowExposed(&panel));
        panel.setAvailable(true, QString());
        panel.setReplicas({ QStringLiteral("node-1"), QStringLiteral("node-2"), QStringLiteral("node-3") });
        panel.findChild<QComboBox *>()->setCurrentText(QStringLiteral("node-2"));
        auto *userField = panel.findChild<QLineEdit *>();
        QVERIFY(userField);
        userField->setText(user);
        QComboBox *busBox = faultsPanelBusChooser(panel);
        QVERIFY(busBox);
        if (!bus.isEmpty())
            busBox->setCurrentText(bus);
        // The bus chooser offers exactly what a request may name.
        QCOMPARE(busBox->count(), 2);
        QCOMPARE(busBox->itemText(0), QStringLiteral("kafka"));
        QCOMPARE(busBox->itemText(1), QStringLiteral("redis"));

        QSignalSpy asked(&panel, &FaultsPanel::faultRequested);
        panel.setFocus();
        QTest::keySequence(&panel, shortcut);
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked.at(0).at(0).toString(), action);
        QCOMPARE(asked.at(0).at(1).toJsonObject(), args);

        QString error;
        const auto request = sb::protocol::FaultRequest::parse(action, args, &error);
        if (refusal.isEmpty()) {
            QVERIFY2(request, qPrintable(error));
            QCOMPARE(request->name(), action);
            const QString done = QStringLiteral("%1: done").arg(request->name());
            panel.showOutcome(true, done);
            QCOMPARE(panel.outcome(), done);
        } else {
            QVERIFY(!request);
            QCOMPARE(error, refusal);
            panel.showOutcome(false, error);
            QCOMPARE(panel.outcome(), QStringLiteral("Refused: ") + refusal);
        }
        // An answer that says nothing of the fault (an unreachable endpoint) is not a refusal.
        panel.showFailure(QStringLiteral("connection refused"));
        QCOMPARE(panel.outcome(), QStringLiteral("Not done: connection refused"));
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
