// The Kafka area's "Dead letters" tab, assembled as the console does (KafkaAreaAssembly: the
// worker on the area's thread, the view on the GUI thread) on librdkafka's mock cluster: a
// DLT topic's records listed with their origin and error, the detail pane's pretty JSON, the
// confirmation naming how many records go to which topic (Ctrl+R), the report after the
// brokers acknowledged them, and no redrive at all in a read-only profile.
#include "app/KafkaAreaAssembly.h"
#include "cluster/KafkaMockCluster.h"
#include "cluster/KafkaProducer.h"
#include "inspect/KafkaDeadLetterReader.h"
#include "models/AttachmentState.h"
#include "support/TestMain.h"
#include "ui/KafkaDeadLetterView.h"
#include "ui/KafkaView.h"
#include "ui/TrafficDetailPane.h"

#include <QAction>
#include <QComboBox>
#include <QMessageBox>
#include <QPushButton>
#include <QTabWidget>
#include <QTableWidget>
#include <QTest>

using namespace sb;

namespace {
const QByteArray kOrders = QByteArrayLiteral("sbui.MessageCreatedEvent");
const QByteArray kAudit = QByteArrayLiteral("sbui.Audit");
const QByteArray kDlt = kOrders + ".DLT";

cluster::KafkaHeaders deadLetterHeaders(const QByteArray &origin, const QByteArray &id)
{
    return { { "message-id", id }, { "dlt-original-topic", origin }, { "dlt-original-partition", "0" },
        { "dlt-original-offset", "3" }, { "dlt-error", "database says no" } };
}
} // namespace

class TestKafkaDeadLetterView : public QObject
{
    Q_OBJECT
    cluster::KafkaMockCluster m_cluster;

    inspect::KafkaInspectorConfig config() const
    {
        inspect::KafkaInspectorConfig c;
        c.settings.setBootstrapServers(m_cluster.bootstrapServers());
        c.pollIntervalMs = 300;
        return c;
    }

    qint64 recordsIn(const QByteArray &topic) const
    {
        const inspect::KafkaDeadLetterReader reader(config().settings);
        return reader.read(QString::fromUtf8(topic), 1, {}).recordsInTopic;
    }

    // The area's dead-letter tab with kDlt listed (found by the inspector's poll first).
    static ui::KafkaDeadLetterView *listed(app::KafkaAreaAssembly &area)
    {
        ui::KafkaDeadLetterView *view = area.deadLetterView();
        if (!view)
            return nullptr;
        area.view()->resize(1280, 700);
        area.view()->show();
        auto *combo = view->findChild<QComboBox *>(QStringLiteral("kafkaDeadLetterTopic"));
        if (!QTest::qWaitFor([&] { return combo->findText(QString::fromUtf8(kDlt)) >= 0; }, 15000))
            return nullptr;
        view->showTopic(QString::fromUtf8(kDlt));
        if (!QTest::qWaitFor([&] { return view->table()->rowCount() == 4; }, 15000))
            return nullptr;
        return view;
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(m_cluster.start(1, &error), qPrintable(error));
        QVERIFY(m_cluster.createTopic(kOrders, 1, &error));
        QVERIFY(m_cluster.createTopic(kAudit, 1, &error));
        QVERIFY(m_cluster.createTopic(kDlt, 1, &error));
        cluster::KafkaProducer producer(config().settings);
        QVERIFY(producer.start(&error));
        int delivered = 0;
        auto count = [&delivered](const QString &why) { delivered += why.isEmpty() ? 1 : 0; };
        QVERIFY(producer.produce(
            kDlt, "ops", R"({"id":"o-1","items":[1,2]})", deadLetterHeaders(kOrders, "o-1"), count));
        QVERIFY(producer.produce(kDlt, "ops", R"({"id":"o-2"})", deadLetterHeaders(kOrders, "o-2"), count));
        QVERIFY(producer.produce(kDlt, "audit", "plain text", deadLetterHeaders(kAudit, "a-1"), count));
        QVERIFY(producer.produce(kDlt, "x", "{}", { { "dlt-error", "poison" } }, count)); // no origin
        QTRY_COMPARE_WITH_TIMEOUT(delivered, 4, 10000);
        producer.close();
    }

    void readOnlyProfileOffersNoRedrive()
    {
        models::AttachmentState attachment;
        attachment.setTarget(QStringLiteral("profile prod"), true);
        app::KafkaAreaAssembly area(nullptr, config(), &attachment);
        area.start();
        ui::KafkaDeadLetterView *view = listed(area);
        QVERIFY(view);
        view->table()->selectAll();
        QVERIFY(!view->redriveAction()->isEnabled());
        QVERIFY(view->redriveAction()->toolTip().contains(u"Read-only"));
        view->redriveAction()->trigger(); // even if asked: no confirmation, nothing sent
        QVERIFY(!view->confirmation());
        QCOMPARE(recordsIn(kOrders), qint64(0));
    }

    void theTabListsItsTopicWhenFirstShown()
    {
        models::AttachmentState attachment;
        app::KafkaAreaAssembly area(nullptr, config(), &attachment);
        area.start();
        ui::KafkaDeadLetterView *view = area.deadLetterView();
        QVERIFY(view);
        area.view()->show();
        auto *combo = view->findChild<QComboBox *>(QStringLiteral("kafkaDeadLetterTopic"));
        QTRY_VERIFY_WITH_TIMEOUT(combo->findText(QString::fromUtf8(kDlt)) >= 0, 15000);
        QCOMPARE(view->table()->rowCount(), 0);
        area.view()->tabs()->setCurrentWidget(view);
        QTRY_COMPARE_WITH_TIMEOUT(view->table()->rowCount(), 4, 15000);
    }

    void listsShowsAndRedrivesAfterConfirmation()
    {
        models::AttachmentState attachment;
        attachment.setTarget(QStringLiteral("demo"), false);
        app::KafkaAreaAssembly area(nullptr, config(), &attachment);
        area.start();
        QCOMPARE(area.view()->tabs()->tabText(2), QStringLiteral("Dead &letters"));
        ui::KafkaDeadLetterView *view = listed(area);
        QVERIFY(view);
        QVERIFY2(view->statusText().contains(u"the newest 4 records of 4"), qPrintable(view->statusText()));

        // The JSON record in detail: every header, the value pretty-printed.
        QTableWidget *table = view->table();
        int jsonRow = -1;
        for (int row = 0; row < table->rowCount(); ++row) {
            if (table->item(row, ui::KafkaDeadLetterView::Bytes)->data(Qt::DisplayRole).toInt() == 26)
                jsonRow = row;
        }
        QVERIFY(jsonRow >= 0);
        QCOMPARE(
            table->item(jsonRow, ui::KafkaDeadLetterView::OriginalTopic)->text(), QString::fromUtf8(kOrders));
        QCOMPARE(
            table->item(jsonRow, ui::KafkaDeadLetterView::Error)->text(), QStringLiteral("database says no"));
        table->selectRow(jsonRow);
        QVERIFY2(
            view->detail()->bodyText().contains(u"\"items\": ["), qPrintable(view->detail()->bodyText()));

        // Cancel sends nothing.
        table->selectAll();
        QVERIFY(view->redriveAction()->isEnabled());
        view->redriveAction()->trigger();
        QVERIFY(view->confirmation());
        view->confirmation()->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(!view->confirmation());
        QVERIFY2(!view->statusText().contains(u"Redriving"), qPrintable(view->statusText()));
        QCOMPARE(recordsIn(kOrders), qint64(0));

        // Ctrl+R asks, naming how many go where and what is skipped.
        area.view()->tabs()->setCurrentWidget(view);
        QVERIFY(QTest::qWaitForWindowActive(area.view()));
        table->setFocus();
        QTest::keyClick(table, Qt::Key_R, Qt::ControlModifier);
        QTRY_VERIFY(view->confirmation());
        const QString text = view->confirmation()->text();
        QVERIFY2(text.contains(u"Redrive 3 records from sbui.MessageCreatedEvent.DLT"), qPrintable(text));
        QVERIFY2(text.contains(u"2 records to sbui.MessageCreatedEvent"), qPrintable(text));
        QVERIFY2(text.contains(u"1 record to sbui.Audit"), qPrintable(text));
        QVERIFY2(text.contains(u"1 record selected cannot be redriven"), qPrintable(text));
        view->confirmation()->findChild<QPushButton *>(QStringLiteral("kafkaRedriveConfirm"))->click();
        QTRY_VERIFY_WITH_TIMEOUT(view->statusText().contains(u"3 of 4 records sent"), 15000);
        QVERIFY2(
            view->statusText().contains(u"2 to sbui.MessageCreatedEvent"), qPrintable(view->statusText()));
        QVERIFY2(view->statusText().contains(u"1 skipped"), qPrintable(view->statusText()));
        QCOMPARE(recordsIn(kOrders), qint64(2));
        QCOMPARE(recordsIn(kAudit), qint64(1));
    }
};

SB_TEST_MAIN(TestKafkaDeadLetterView)
#include "tst_kafkadeadletterview.moc"
