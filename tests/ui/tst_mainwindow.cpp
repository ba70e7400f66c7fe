#include "models/AttachmentState.h"
#include "models/KafkaGroupModel.h"
#include "models/KafkaPartitionModel.h"
#include "models/KafkaTopicModel.h"
#include "models/RecordingStore.h"
#include "models/RedisKeyModel.h"
#include "models/SeriesHistory.h"
#include "models/SessionModel.h"
#include "support/TestMain.h"
#include "ui/AreaView.h"
#include "ui/KafkaView.h"
#include "ui/MainWindow.h"
#include "ui/RedisView.h"
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
        QCOMPARE(titles,
            (QStringList { QStringLiteral("Kafka"), QStringLiteral("Redis"), QStringLiteral("Replicas"),
                QStringLiteral("Traffic") }));
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
            { models::ConnectionHealth::State::Down, QStringLiteral("connection refused") });
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
            QCOMPARE(state.value(key).toObject().value(QStringLiteral("showing")).toString(),
                QStringLiteral("empty"));
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
        QCOMPARE(
            menus, (QStringList { QStringLiteral("File"), QStringLiteral("View"), QStringLiteral("Help") }));
        ui::ShortcutsDialog dialog(&window);
        auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("shortcutsTable"));
        QVERIFY(table);
        QStringList actions;
        for (int row = 0; row < table->rowCount(); ++row)
            actions << table->item(row, 0)->text();
        for (const char *expected : { "Profiles…", "Snapshot…", "Save Recording…", "Open Recording…", "Quit",
                 "Replicas", "Kafka", "Redis", "Traffic", "Keyboard Shortcuts" })
            QVERIFY2(actions.contains(QString::fromUtf8(expected)), expected);
    }

    // With the areas' content in place, every shortcut in the list says what it does: the
    // Redis keys' eight were listed with blank names.
    void everyShortcutHasAName()
    {
        models::AttachmentState attachment;
        models::RecordingStore recording;
        ui::MainWindow window(&attachment, &recording);
        models::RedisKeyModel keys;
        models::SessionModel sessions;
        window.area(QStringLiteral("redis"))->setContent(new ui::RedisView(&keys, &sessions, false));
        models::KafkaGroupModel groups;
        models::KafkaPartitionModel partitions;
        models::KafkaTopicModel topics;
        models::SeriesHistory lag;
        window.area(QStringLiteral("kafka"))
            ->setContent(new ui::KafkaView(&groups, &partitions, &topics, &lag));

        ui::ShortcutsDialog dialog(&window);
        auto *table = dialog.findChild<QTableWidget *>(QStringLiteral("shortcutsTable"));
        QVERIFY(table);
        QStringList keysListed;
        for (int row = 0; row < table->rowCount(); ++row) {
            const QString keysText = table->item(row, 1)->text();
            QVERIFY2(
                !table->item(row, 0)->text().trimmed().isEmpty(), qPrintable(keysText + u" has no name"));
            keysListed << keysText;
        }
        for (const QKeySequence &expected :
            { QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), QKeySequence(Qt::CTRL | Qt::Key_E),
                QKeySequence(QKeySequence::Delete), QKeySequence(Qt::Key_F5), QKeySequence(Qt::Key_F6),
                QKeySequence(Qt::Key_F7), QKeySequence(Qt::SHIFT | Qt::Key_F7),
                QKeySequence(Qt::CTRL | Qt::Key_F), QKeySequence(Qt::Key_Escape) }) {
            const QString text = expected.toString(QKeySequence::NativeText);
            QVERIFY2(keysListed.contains(text), qPrintable(text + u" is not listed"));
        }
    }
};

SB_TEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
