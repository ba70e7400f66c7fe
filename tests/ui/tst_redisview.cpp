#include "app/RedisAreaAssembly.h"
#include "inspect/RedisKeyRecord.h"
#include "models/AttachmentState.h"
#include "models/RecordingStore.h"
#include "models/RedisKeyModel.h"
#include "models/SessionModel.h"
#include "support/RedisSeeder.h"
#include "support/RedisServerProcess.h"
#include "support/TestMain.h"
#include "ui/AreaView.h"
#include "ui/MainWindow.h"
#include "ui/RedisKeyBrowser.h"
#include "ui/RedisSessionsPane.h"
#include "ui/RedisValueView.h"
#include "ui/RedisView.h"

#include <QAbstractButton>
#include <QChartView>
#include <QGraphicsTextItem>
#include <QJsonArray>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QRegularExpression>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QTest>

#include <algorithm>

using namespace sb;
using Phase = inspect::RedisScanProgress::Phase;

namespace {
constexpr int kSessions = 300;
constexpr int kStrings = 2700;

QByteArray nodeOf(int i)
{
    return "node-" + QByteArray::number(i % 4 == 0 ? 1 : i % 4 == 1 ? 2 : 3);
}
} // namespace

// The Redis area as the console assembles it, offscreen, against a real redis-server.
class TestRedisView : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_server.start(), qPrintable(m_server.errorString()));
        testing::RedisSeeder seed;
        for (int i = 0; i < kSessions; ++i)
            seed.add(
                { "HSET", "sb:session:" + QByteArray::number(i), "user", "u" + QByteArray::number(i % 10),
                    "node", nodeOf(i), "transport", "stomp", "since", "1700000000000" });
        for (int i = 0; i < kStrings; ++i)
            seed.add({ "SET", "k:" + QByteArray::number(i), "{\"n\":" + QByteArray::number(i) + "}", "EX",
                "900" });
        QString error;
        QVERIFY2(seed.run(m_server.port(), &error), qPrintable(error));
    }

    // state.json's Redis section: the rows on screen as displayed, and figures that equal
    // redis-cli's answers at the same moment.
    void snapshotMatchesRedisCli()
    {
        Fixture f(m_server, false);
        QVERIFY(f.area.showsContent());
        QTRY_COMPARE_WITH_TIMEOUT(f.attachment.health(models::AttachmentState::Service::Redis).state,
            models::ConnectionHealth::State::Up, 5000);
        ui::RedisKeyBrowser *browser = f.view()->keyBrowser();
        QTRY_COMPARE_WITH_TIMEOUT(browser->progress().phase, Phase::Finished, 15000); // 3,000 keys < one page
        QTRY_VERIFY_WITH_TIMEOUT(f.assembly.sessionModel()->hasSnapshot(), 10000);

        const QJsonObject state = f.area.snapshotState();
        const qint64 dbsize
            = testing::RedisSeeder::cli(m_server.port(), { QStringLiteral("DBSIZE") }).toLongLong();
        QCOMPARE(dbsize, qint64(kSessions + kStrings));
        const QJsonObject figures = state.value(QStringLiteral("figures")).toObject();
        QCOMPARE(figures.value(QStringLiteral("dbsize")).toInteger(), dbsize);
        QCOMPARE(figures.value(QStringLiteral("scanned")).toInteger(), dbsize);
        QCOMPARE(figures.value(QStringLiteral("keysListed")).toInteger(), dbsize);
        QCOMPARE(figures.value(QStringLiteral("sessions")).toInteger(), qint64(kSessions));
        QJsonObject perReplica;
        for (int i = 0; i < kSessions; ++i)
            perReplica.insert(
                QString::fromLatin1(nodeOf(i)), perReplica.value(QString::fromLatin1(nodeOf(i))).toInt() + 1);
        QCOMPARE(figures.value(QStringLiteral("sessionsPerReplica")).toObject(), perReplica);

        // Every row the user can scroll to (issue 11, "Snapshot"), not only the ones on
        // screen: all 3,000 keys listed, under the snapshot's 5,000-row cap; which of them are
        // on screen is said beside them.
        QJsonArray rows = state.value(QStringLiteral("rows")).toArray();
        const auto [first, last] = browser->visibleRows();
        QVERIFY(first == 0 && last > 5 && last < int(dbsize) - 1);
        QCOMPARE(rows.size(), qsizetype(dbsize));
        QCOMPARE(state.value(QStringLiteral("visibleRows")).toObject(),
            (QJsonObject { { QStringLiteral("first"), first }, { QStringLiteral("last"), last } }));
        QTableView *table = browser->table();
        QCOMPARE(table->model()->rowCount(), int(dbsize));
        for (int row = 0; row < rows.size(); ++row) {
            const QJsonObject shown = rows.at(row).toObject();
            QCOMPARE(shown.value(QStringLiteral("key")).toString(),
                table->model()->index(row, 0).data().toString());
            QCOMPARE(shown.value(QStringLiteral("type")).toString(),
                table->model()->index(row, 1).data().toString());
            // The TTL counts down at display time: if a second ticked between the snapshot
            // and this read, take both again, back to back (the rows from here on too); if
            // one ticked during that (3,000 rows take a while under a sanitizer), the rows up
            // to this one only, so that this one is written last.
            QString shownTtl = shown.value(QStringLiteral("ttl")).toString();
            QString tableTtl = table->model()->index(row, 2).data().toString();
            if (shownTtl != tableTtl) {
                rows = f.area.snapshotState().value(QStringLiteral("rows")).toArray();
                shownTtl = rows.at(row).toObject().value(QStringLiteral("ttl")).toString();
                tableTtl = table->model()->index(row, 2).data().toString();
            }
            for (int retake = 0; retake < 3 && shownTtl != tableTtl; ++retake) {
                shownTtl = f.area.snapshotState(row + 1)
                               .value(QStringLiteral("rows"))
                               .toArray()
                               .at(row)
                               .toObject()
                               .value(QStringLiteral("ttl"))
                               .toString();
                tableTtl = table->model()->index(row, 2).data().toString();
            }
            QCOMPARE(shownTtl, tableTtl);
        }
        const QByteArray type = testing::RedisSeeder::cli(m_server.port(),
            { QStringLiteral("TYPE"), rows.at(0).toObject().value(QStringLiteral("key")).toString() });
        QCOMPARE(rows.at(0).toObject().value(QStringLiteral("type")).toString(), QString::fromLatin1(type));
        QVERIFY(
            state.value(QStringLiteral("notifications")).toString().contains(QStringLiteral("CONFIG SET")));
    }

    void valueViewerPrettyPrintsJson()
    {
        Fixture f(m_server, false);
        ui::RedisKeyBrowser *browser = f.view()->keyBrowser();
        QTRY_COMPARE_WITH_TIMEOUT(browser->progress().phase, Phase::Finished, 15000);
        const int row = f.assembly.keyModel()->rowOfKey("k:7");
        QVERIFY(row >= 0);
        browser->table()->setCurrentIndex(f.assembly.keyModel()->index(row, 0));
        QTRY_COMPARE_WITH_TIMEOUT(browser->valueView()->text(), QStringLiteral("{\n    \"n\": 7\n}\n"), 5000);
    }

    // Delete asks first; accepting it removes the key from the server and the table.
    void deleteAfterConfirmation()
    {
        Fixture f(m_server, false);
        ui::RedisKeyBrowser *browser = f.view()->keyBrowser();
        QTRY_COMPARE_WITH_TIMEOUT(browser->progress().phase, Phase::Finished, 15000);
        models::RedisKeyModel *model = f.assembly.keyModel();
        const int row = model->rowOfKey("k:42");
        QVERIFY(row >= 0);
        browser->table()->setCurrentIndex(model->index(row, 0));
        auto *button = browser->findChild<QPushButton *>(QStringLiteral("deleteButton"));
        QVERIFY(button && button->isEnabled());
        button->click();
        QMessageBox *box = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (box = browser->findChild<QMessageBox *>(QStringLiteral("confirmKeyAction"))), 2000);
        QCOMPARE(
            testing::RedisSeeder::cli(m_server.port(), { QStringLiteral("EXISTS"), QStringLiteral("k:42") }),
            QByteArray("1")); // nothing happens before the answer
        QAbstractButton *yes = nullptr;
        for (QAbstractButton *candidate : box->buttons())
            if (box->buttonRole(candidate) == QMessageBox::DestructiveRole)
                yes = candidate;
        QVERIFY(yes);
        yes->click();
        QTRY_COMPARE_WITH_TIMEOUT(model->rowOfKey("k:42"), -1, 5000);
        QCOMPARE(
            testing::RedisSeeder::cli(m_server.port(), { QStringLiteral("EXISTS"), QStringLiteral("k:42") }),
            QByteArray("0"));
    }

    void readOnlyDisablesDestructiveActions()
    {
        Fixture f(m_server, true);
        ui::RedisKeyBrowser *browser = f.view()->keyBrowser();
        QTRY_COMPARE_WITH_TIMEOUT(browser->progress().phase, Phase::Finished, 15000);
        browser->table()->setCurrentIndex(f.assembly.keyModel()->index(0, 0));
        for (const char *name : { "deleteButton", "expireButton", "persistButton" }) {
            auto *button = browser->findChild<QPushButton *>(QString::fromLatin1(name));
            QVERIFY(button);
            QVERIFY2(!button->isEnabled(), name);
            QVERIFY(button->toolTip().contains(QStringLiteral("Read-only")));
        }
        browser->requestDelete(); // the Del shortcut's path
        browser->requestPersist();
        QTest::qWait(100);
        QVERIFY(!browser->findChild<QMessageBox *>());
        QCOMPARE(f.assembly.keyModel()->rowCount(), kSessions + kStrings - 1); // only k:42 went, earlier
        QVERIFY(f.area.snapshotState().value(QStringLiteral("readOnly")).toBool());
    }

    void sessionsChartRunsOnlyWhileShown()
    {
        Fixture f(m_server, false);
        ui::RedisSessionsPane *pane = f.view()->sessionsPane();
        QVERIFY(!pane->chartTimerActive()); // Keys tab in front
        f.view()->tabs()->setCurrentWidget(pane);
        QTRY_VERIFY_WITH_TIMEOUT(pane->chartTimerActive(), 2000);
        QTRY_VERIFY_WITH_TIMEOUT(pane->chartPointCount() >= 1, 10000);
        f.view()->tabs()->setCurrentIndex(0);
        QTRY_VERIFY_WITH_TIMEOUT(!pane->chartTimerActive(), 2000);
    }

    // "Readable at 1280x800": in the Redis area of a default 1280x800 window, the Sessions
    // chart's axis labels are whole (not elided), inside the chart and clear of each other
    // (they were all "…" there once).
    void sessionsChartLabelsAreReadableAt1280x800()
    {
        models::RecordingStore recording;
        models::AttachmentState windowAttachment;
        ui::MainWindow window(&windowAttachment, &recording);
        window.useDefaultLayoutAt(QSize(1280, 800));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QSize areaSize = window.area(QStringLiteral("redis"))->size();
        QVERIFY2(areaSize.width() < 700 && areaSize.height() < 500,
            qPrintable(QStringLiteral("%1x%2").arg(areaSize.width()).arg(areaSize.height())));

        Fixture f(m_server, false);
        f.area.resize(areaSize);
        ui::RedisSessionsPane *pane = f.view()->sessionsPane();
        f.view()->tabs()->setCurrentWidget(pane);
        QTRY_VERIFY_WITH_TIMEOUT(pane->chartPointCount() >= 2, 10000);
        auto *chartView = pane->findChild<QChartView *>(QStringLiteral("sessionsChart"));
        QVERIFY(chartView && chartView->isVisible());
        static const QRegularExpression clockLabel(QStringLiteral("^\\d\\d:\\d\\d:\\d\\d$"));
        QList<QRectF> timeLabels;
        int countLabels = 0;
        QStringList seen;
        QTRY_VERIFY2_WITH_TIMEOUT(
            [&] {
                timeLabels.clear();
                countLabels = 0;
                seen.clear();
                const QRectF view = chartView->sceneRect();
                for (QGraphicsItem *item : chartView->scene()->items()) {
                    auto *label = dynamic_cast<QGraphicsTextItem *>(item);
                    if (!label || !label->isVisible() || label->toPlainText().isEmpty())
                        continue;
                    const QString text = label->toPlainText();
                    seen << text;
                    const QRectF at = label->sceneBoundingRect();
                    if (text == chartView->chart()->title() || text == u"sessions" || text == u"tokens")
                        continue; // the title and the legend
                    if (clockLabel.match(text).hasMatch() && view.contains(at))
                        timeLabels << at;
                    else if (text.toInt() >= 0 && text == QString::number(text.toInt()) && view.contains(at))
                        ++countLabels;
                    else
                        return false; // elided ("…"), cut or outside the chart
                }
                return timeLabels.size() >= 2 && countLabels >= 2;
            }(),
            qPrintable(seen.join(QStringLiteral(" | "))), 5000);
        std::sort(timeLabels.begin(), timeLabels.end(),
            [](const QRectF &a, const QRectF &b) { return a.left() < b.left(); });
        for (qsizetype i = 1; i < timeLabels.size(); ++i)
            QVERIFY2(timeLabels.at(i - 1).right() <= timeLabels.at(i).left(), qPrintable(seen.join(u' ')));
    }

    // Keys written after a finished scan (no keyspace notifications on this server): the
    // status says DBSIZE grew and how to list them; Scan (the button's F5) does.
    void keysWrittenAfterTheScanAreCalledOut()
    {
        Fixture f(m_server, false);
        ui::RedisKeyBrowser *browser = f.view()->keyBrowser();
        QTRY_COMPARE_WITH_TIMEOUT(browser->progress().phase, Phase::Finished, 15000);
        auto *status = browser->findChild<QLabel *>(QStringLiteral("scanStatus"));
        QVERIFY(status);
        QVERIFY2(status->text().startsWith(u"Done: scanned"), qPrintable(status->text()));
        // (an earlier test deleted a key: count from what the server says)
        const qint64 before
            = testing::RedisSeeder::cli(m_server.port(), { QStringLiteral("DBSIZE") }).toLongLong();
        QCOMPARE(f.assembly.keyModel()->rowCount(), before);
        testing::RedisSeeder seed;
        for (int i = 0; i < 50; ++i)
            seed.add({ "SET", "late:" + QByteArray::number(i), "x" });
        QString error;
        QVERIFY2(seed.run(m_server.port(), &error), qPrintable(error));
        const QString grown = QLocale().toString(before + 50);
        QTRY_VERIFY2_WITH_TIMEOUT(
            status->text().contains(u"DBSIZE has grown to " + grown), qPrintable(status->text()), 5000);
        QVERIFY(status->text().contains(u"Scan (F5)"));

        browser->findChild<QPushButton *>(QStringLiteral("scanButton"))->click();
        QTRY_COMPARE_WITH_TIMEOUT(f.assembly.keyModel()->rowCount(), before + 50, 15000);
        QTRY_VERIFY2_WITH_TIMEOUT(
            status->text().startsWith(u"Done: scanned " + grown), qPrintable(status->text()), 5000);
        for (int i = 0; i < 50; ++i)
            seed.add({ "DEL", "late:" + QByteArray::number(i) });
        QVERIFY2(seed.run(m_server.port(), &error), qPrintable(error));
    }

    // In a narrow area the value viewer waits, folded, for a key to be selected: beside the
    // keys it left the key column a few characters wide ("s…1").
    void narrowAreaFoldsTheValueViewUntilAKeyIsSelected()
    {
        Fixture f(m_server, false);
        f.area.resize(560, 500);
        ui::RedisKeyBrowser *browser = f.view()->keyBrowser();
        QTRY_COMPARE_WITH_TIMEOUT(browser->progress().phase, Phase::Finished, 15000);
        auto *splitter = browser->findChild<QSplitter *>(QStringLiteral("keyValueSplitter"));
        auto *table = browser->findChild<QTableView *>(QStringLiteral("keyTable"));
        QVERIFY(splitter && table);
        QTRY_COMPARE(splitter->sizes().value(1), 0);
        QVERIFY2(table->columnWidth(models::RedisKeyModel::KeyColumn) > 200,
            qPrintable(QString::number(table->columnWidth(models::RedisKeyModel::KeyColumn))));

        table->setCurrentIndex(table->model()->index(0, 0));
        QVERIFY(splitter->sizes().value(1) > 0);
        QVERIFY(browser->findChild<ui::RedisValueView *>()->isVisible());

        // Wide: side by side from the start.
        Fixture wide(m_server, false);
        auto *wideSplitter
            = wide.view()->keyBrowser()->findChild<QSplitter *>(QStringLiteral("keyValueSplitter"));
        QTRY_VERIFY(wideSplitter->sizes().value(1) > 0);
    }

    // With keyspace notifications on, keys written after the scan are listed as they come,
    // and the status counts them so instead of reading "scanned 3 of 42".
    void keysWrittenLiveAreListedAndCounted()
    {
        QCOMPARE(testing::RedisSeeder::cli(m_server.port(),
                     { QStringLiteral("CONFIG"), QStringLiteral("SET"),
                         QStringLiteral("notify-keyspace-events"), QStringLiteral("KA") }),
            QByteArray("OK"));
        Fixture f(m_server, false);
        ui::RedisKeyBrowser *browser = f.view()->keyBrowser();
        auto *notifications = browser->findChild<QLabel *>(QStringLiteral("notificationState"));
        QVERIFY(notifications);
        QTRY_VERIFY2_WITH_TIMEOUT(
            notifications->text().startsWith(u"Live:"), qPrintable(notifications->text()), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(browser->progress().phase, Phase::Finished, 15000);
        const qint64 before
            = testing::RedisSeeder::cli(m_server.port(), { QStringLiteral("DBSIZE") }).toLongLong();
        QCOMPARE(f.assembly.keyModel()->rowCount(), before);

        // A string and a set per round: the cluster's token indexes are sets.
        testing::RedisSeeder seed;
        for (int i = 0; i < 20; ++i) {
            seed.add({ "SET", "live:" + QByteArray::number(i), "x" });
            seed.add({ "SADD", "live:set:" + QByteArray::number(i), "x" });
        }
        QString error;
        QVERIFY2(seed.run(m_server.port(), &error), qPrintable(error));
        QTRY_COMPARE_WITH_TIMEOUT(f.assembly.keyModel()->rowCount(), before + 40, 10000);
        auto *status = browser->findChild<QLabel *>(QStringLiteral("scanStatus"));
        const QLocale locale;
        const QString expected
            = QStringLiteral("Done: listed %1 of %1 keys (DBSIZE): %2 by SCAN, 40 live since")
                  .arg(locale.toString(before + 40), locale.toString(before));
        QTRY_VERIFY2_WITH_TIMEOUT(status->text().startsWith(expected), qPrintable(status->text()), 10000);

        for (int i = 0; i < 20; ++i) {
            seed.add({ "DEL", "live:" + QByteArray::number(i) });
            seed.add({ "DEL", "live:set:" + QByteArray::number(i) });
        }
        seed.add({ "CONFIG", "SET", "notify-keyspace-events", "" });
        QVERIFY2(seed.run(m_server.port(), &error), qPrintable(error));
        // Deleted keys leave the list too (del events).
        QTRY_COMPARE_WITH_TIMEOUT(f.assembly.keyModel()->rowCount(), before, 10000);
    }

    // Nobody listens on the port: the notification line ends its "Checking…" and says why.
    void notificationCheckEndsWhenRedisIsUnreachable()
    {
        models::AttachmentState attachment;
        ui::AreaView area(QStringLiteral("redis"),
            ui::EmptyState { QStringLiteral("Redis"), QStringLiteral("keys"), QString() });
        app::RedisAreaAssembly assembly(&area,
            cluster::RedisUrl(QStringLiteral("127.0.0.1"), testing::RedisServerProcess::freePort()), false,
            &attachment, Fixture::options());
        area.show();
        assembly.start();
        auto *label = assembly.view()->keyBrowser()->findChild<QLabel *>(QStringLiteral("notificationState"));
        QVERIFY(label);
        QTRY_VERIFY2_WITH_TIMEOUT(!label->text().startsWith(u"Checking"), qPrintable(label->text()), 10000);
        QVERIFY2(label->text().contains(u"unreachable"), qPrintable(label->text()));
    }

    // Redis killed: the area keeps what it showed, greyed under a banner "as of …", the TTLs
    // stop where they were instead of counting down to "expired", "Live" goes, and
    // state.json says stale and as of when. Back on the same port, it is live again.
    void outageShowsTheAgeOfWhatIsShown()
    {
        testing::RedisServerProcess server;
        QVERIFY2(server.start(), qPrintable(server.errorString()));
        testing::RedisSeeder seed;
        seed.add({ "CONFIG", "SET", "notify-keyspace-events", "KA" });
        seed.add({ "SET", "short:1", "x", "EX", "4" });
        seed.add({ "SET", "plain:1", "y" });
        QString error;
        QVERIFY2(seed.run(server.port(), &error), qPrintable(error));

        Fixture f(server, false);
        ui::RedisKeyBrowser *browser = f.view()->keyBrowser();
        auto *notifications = browser->findChild<QLabel *>(QStringLiteral("notificationState"));
        QTRY_VERIFY2_WITH_TIMEOUT(
            notifications->text().startsWith(u"Live:"), qPrintable(notifications->text()), 10000);
        QTRY_COMPARE_WITH_TIMEOUT(browser->progress().phase, Phase::Finished, 15000);
        models::RedisKeyModel *model = f.assembly.keyModel();
        QVERIFY(model->rowOfKey("short:1") >= 0);
        const qint64 expiresBy = inspect::steadyNowMs() + 4000;
        QJsonObject state = f.area.snapshotState();
        QVERIFY2(state.contains(QStringLiteral("stale")), "state.json carries no stale flag");
        QVERIFY(!state.value(QStringLiteral("stale")).toBool());

        const QDateTime killedAt = QDateTime::currentDateTimeUtc();
        server.stop(); // SIGKILL by pid
        QTRY_VERIFY_WITH_TIMEOUT(f.area.snapshotState().value(QStringLiteral("stale")).toBool(), 5000);
        state = f.area.snapshotState();
        const QDateTime asOf
            = QDateTime::fromString(state.value(QStringLiteral("asOf")).toString(), Qt::ISODateWithMs);
        QVERIFY2(asOf.isValid(), qPrintable(state.value(QStringLiteral("asOf")).toString()));
        QVERIFY(asOf <= QDateTime::currentDateTimeUtc());
        QVERIFY(asOf >= killedAt.addSecs(-6));
        auto *banner = f.area.findChild<QLabel *>(QStringLiteral("staleBanner"));
        QVERIFY(banner && banner->isVisible());
        QVERIFY2(banner->text().contains(u"as of " + asOf.toLocalTime().toString(QStringLiteral("HH:mm:ss"))),
            qPrintable(banner->text()));
        QVERIFY2(!notifications->text().startsWith(u"Live:"), qPrintable(notifications->text()));

        // Past the key's expiry, its TTL still shows what was last known, not "expired".
        QTRY_VERIFY_WITH_TIMEOUT(inspect::steadyNowMs() > expiresBy + 500, 10000);
        const int row = model->rowOfKey("short:1");
        QVERIFY(row >= 0);
        const QString ttl = model->index(row, models::RedisKeyModel::TtlColumn).data().toString();
        QVERIFY2(ttl != u"expired", qPrintable(ttl));

        QVERIFY(server.restart());
        QTRY_VERIFY_WITH_TIMEOUT(!f.area.snapshotState().value(QStringLiteral("stale")).toBool(), 20000);
        QVERIFY(!banner->isVisible());
    }

    void cleanupTestCase() { m_server.stop(); }

private:
    struct Fixture
    {
        Fixture(testing::RedisServerProcess &server, bool readOnly)
            : area(QStringLiteral("redis"),
                ui::EmptyState { QStringLiteral("Redis"), QStringLiteral("keys"), QString() })
            , assembly(&area, server.url(), readOnly, &attachment, options())
        {
            area.resize(1100, 700);
            area.show();
            assembly.start();
        }
        static app::RedisAreaAssembly::Options options()
        {
            app::RedisAreaAssembly::Options o;
            o.sessionsIntervalMs = 500;
            return o;
        }
        ui::RedisView *view() const { return assembly.view(); }

        models::AttachmentState attachment;
        ui::AreaView area;
        app::RedisAreaAssembly assembly;
    };

    testing::RedisServerProcess m_server;
};

SB_TEST_MAIN(TestRedisView)
#include "tst_redisview.moc"
