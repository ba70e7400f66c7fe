#include "models/AttachmentState.h"
#include "models/RecordingStore.h"
#include "ui/AreaView.h"
#include "ui/MainWindow.h"
#include "ui/ShortcutsDialog.h"

#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTest>

using namespace sb;

class TestMainWindow : public QObject
{
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("switchboard-test"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_mainwindow"));
        QSettings().clear();
    }

    void opensWithFourAreas()
    {
        models::AttachmentState attachment;
        models::RecordingStore recording;
        ui::MainWindow window(&attachment, &recording);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        QStringList titles;
        for (const QDockWidget *dock : window.findChildren<QDockWidget *>()) {
            titles << dock->windowTitle();
            QVERIFY(dock->isVisible());
            QVERIFY(dock->features() & QDockWidget::DockWidgetMovable);
        }
        titles.sort();
        QCOMPARE(titles, (QStringList{QStringLiteral("Kafka"), QStringLiteral("Redis"),
                                      QStringLiteral("Replicas"), QStringLiteral("Traffic")}));
        for (const QString &key : window.areaKeys()) {
            ui::AreaView *area = window.area(key);
            QVERIFY(area);
            QVERIFY(!area->showsContent());
            auto *label = area->findChild<QLabel *>(QStringLiteral("emptyStateLabel"));
            QVERIFY(label && label->isVisible());
            QVERIFY(label->text().size() > 40); // says what it will show and how to attach
        }
    }

    void statusBarFollowsAttachment()
    {
        models::AttachmentState attachment;
        models::RecordingStore recording;
        ui::MainWindow window(&attachment, &recording);
        attachment.setTarget(QStringLiteral("profile staging"), true);
        attachment.setHealth(models::AttachmentState::Service::Redis,
                             {models::ConnectionHealth::State::Down, QStringLiteral("connection refused")});
        auto *target = window.findChild<QLabel *>(QStringLiteral("attachmentTarget"));
        QVERIFY(target);
        QCOMPARE(target->text(), QStringLiteral("Attached to: profile staging (read-only)"));
        auto *redis = window.findChild<QLabel *>(QStringLiteral("redisHealth"));
        QVERIFY(redis);
        QVERIFY(redis->text().contains(QStringLiteral("Redis: down")));
        QCOMPARE(redis->toolTip(), QStringLiteral("connection refused"));
    }

    void snapshotStateHasOneSectionPerArea()
    {
        models::AttachmentState attachment;
        models::RecordingStore recording;
        ui::MainWindow window(&attachment, &recording);
        window.show();
        const QJsonObject state = window.snapshotState();
        for (const QString &key : window.areaKeys()) {
            QVERIFY2(state.value(key).isObject(), qPrintable(key));
            QCOMPARE(state.value(key).toObject().value(QStringLiteral("showing")).toString(), QStringLiteral("empty"));
            QCOMPARE(state.value(key).toObject().value(QStringLiteral("visible")).toBool(), true);
        }
        QVERIFY(state.value(QStringLiteral("attachment")).isObject());
    }

    void layoutPersistsAcrossRuns()
    {
        models::AttachmentState attachment;
        models::RecordingStore recording;
        {
            ui::MainWindow window(&attachment, &recording);
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.findChild<QDockWidget *>(QStringLiteral("kafkaDock"))->hide();
            window.close();
        }
        ui::MainWindow again(&attachment, &recording);
        again.show();
        QVERIFY(QTest::qWaitForWindowExposed(&again));
        QVERIFY(!again.findChild<QDockWidget *>(QStringLiteral("kafkaDock"))->isVisible());
        QVERIFY(again.findChild<QDockWidget *>(QStringLiteral("redisDock"))->isVisible());
        QSettings().clear();
    }

    void menusAndShortcuts()
    {
        models::AttachmentState attachment;
        models::RecordingStore recording;
        ui::MainWindow window(&attachment, &recording);
        QStringList menus;
        for (QAction *action : window.menuBar()->actions())
            menus << action->text().remove(u'&');
        QCOMPARE(menus, (QStringList{QStringLiteral("File"), QStringLiteral("View"), QStringLiteral("Help")}));
        ui::ShortcutsDialog dialog(&window);
        auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("shortcutsTable"));
        QVERIFY(table);
        QStringList actions;
        for (int row = 0; row < table->rowCount(); ++row)
            actions << table->item(row, 0)->text();
        for (const char *expected : {"Profiles…", "Snapshot…", "Save Recording…", "Open Recording…",
                                     "Quit", "Replicas", "Kafka", "Redis", "Traffic", "Keyboard Shortcuts"})
            QVERIFY2(actions.contains(QString::fromUtf8(expected)), expected);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
