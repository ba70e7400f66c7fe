// The bookkeeping behind "a 201 / RECEIPT means stage 1 holds the message":
// PublishAcknowledgements brings a verdict from the bus's thread back to the worker's and
// drops it when its owner left first; StompOwedReceipts releases RECEIPTs in the order
// the frames asked for them, each once the publishes it waits for are durable.

#include "node/PublishAcknowledgements.h"
#include "node/StompOwedReceipts.h"
#include "support/TestMain.h"

#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <memory>

using sb::node::PublishAcknowledgements;
using sb::node::StompOwedReceipts;

namespace {

QList<QByteArray> receiptIds(const QList<StompOwedReceipts::Owed> &due)
{
    QList<QByteArray> ids;
    for (const StompOwedReceipts::Owed &owed : due)
        ids.append(owed.receiptId);
    return ids;
}

} // namespace

class TestPublishAcks : public QObject
{
    Q_OBJECT
private slots:
    void verdictFromAnotherThreadRunsOnTheOwnersThread()
    {
        PublishAcknowledgements acks;
        QObject owner;
        PublishAcknowledgements::Ticket ticket = acks.issue();
        QThread *answeredOn = nullptr;
        QString verdict = QStringLiteral("unset");
        acks.expect(ticket.id, &owner, [&](const QString &error) {
            answeredOn = QThread::currentThread();
            verdict = error;
        });
        QCOMPARE(acks.pending(), 1);
        // The producer's poll thread: it may only post.
        std::unique_ptr<QThread> bus(
            QThread::create([callback = ticket.acknowledgement] { callback(QString()); }));
        bus->start();
        QVERIFY(bus->wait(5000));
        QCOMPARE(answeredOn, nullptr); // nothing ran on the bus's thread
        QTRY_COMPARE(answeredOn, QThread::currentThread());
        QCOMPARE(verdict, QString());
        QCOMPARE(acks.pending(), 0);
    }

    void failureIsHandedOnWithItsReason()
    {
        PublishAcknowledgements acks;
        QObject owner;
        PublishAcknowledgements::Ticket ticket = acks.issue();
        QString verdict;
        acks.expect(ticket.id, &owner, [&](const QString &error) { verdict = error; });
        ticket.acknowledgement(QStringLiteral("Local: Message timed out"));
        QTRY_COMPARE(verdict, QStringLiteral("Local: Message timed out"));
    }

    void ownerGoneFirstIsNotAnswered()
    {
        PublishAcknowledgements acks;
        auto owner = std::make_unique<QObject>();
        PublishAcknowledgements::Ticket ticket = acks.issue();
        bool answered = false;
        acks.expect(ticket.id, owner.get(), [&](const QString &) { answered = true; });
        owner.reset(); // the session closed before Kafka answered
        ticket.acknowledgement(QString());
        QTRY_COMPARE(acks.pending(), 0);
        QVERIFY(!answered);
    }

    void verdictAfterTheTableIsGoneIsDropped()
    {
        auto acks = std::make_unique<PublishAcknowledgements>();
        PublishAcknowledgements::Ticket ticket = acks->issue();
        acks.reset(); // the worker went first (shutdown): the late report must not touch it
        ticket.acknowledgement(QString());
        QCoreApplication::processEvents();
    }

    void ticketsAreDistinct()
    {
        PublishAcknowledgements acks;
        QVERIFY(acks.issue().id != acks.issue().id);
    }

    void receiptDueAtOnceWhenNothingIsAwaited()
    {
        StompOwedReceipts owed;
        QVERIFY(owed.owe({ "r1", false }, {}));
        QCOMPARE(owed.held(), 0);
    }

    void sendReceiptWaitsForItsPublish()
    {
        StompOwedReceipts owed;
        owed.published(7);
        QVERIFY(!owed.owe({ "send", false }, { 7 }));
        QVERIFY(owed.durable(8).isEmpty()); // not ours
        QCOMPARE(receiptIds(owed.durable(7)), (QList<QByteArray> { "send" }));
        QVERIFY(owed.durable(7).isEmpty()); // once
    }

    void laterReceiptsKeepTheirOrder()
    {
        StompOwedReceipts owed;
        owed.published(1);
        owed.published(2);
        QVERIFY(!owed.owe({ "send-1", false }, { 1 }));
        QVERIFY(!owed.owe({ "send-2", false }, { 2 }));
        QVERIFY(!owed.owe({ "subscribe", false }, {})); // behind the sends
        QVERIFY(owed.durable(2).isEmpty()); // send-1 still owed first
        QCOMPARE(receiptIds(owed.durable(1)), (QList<QByteArray> { "send-1", "send-2", "subscribe" }));
    }

    void commitWaitsForAllItsSends()
    {
        StompOwedReceipts owed;
        owed.published(1);
        owed.published(2);
        QVERIFY(!owed.owe({ "commit", false }, { 1, 2 }));
        QVERIFY(owed.durable(1).isEmpty());
        QCOMPARE(receiptIds(owed.durable(2)), (QList<QByteArray> { "commit" }));
    }

    void disconnectWaitsForEveryPublish()
    {
        StompOwedReceipts owed;
        owed.published(1);
        QVERIFY(!owed.owe({ QByteArray(), false }, { 1 })); // a SEND without receipt still counts
        QVERIFY(!owed.owe({ "bye", true }, owed.unsettled()));
        const QList<StompOwedReceipts::Owed> due = owed.durable(1);
        QCOMPARE(due.size(), 2);
        QVERIFY(due.at(0).receiptId.isEmpty());
        QCOMPARE(due.at(1).receiptId, QByteArray("bye"));
        QVERIFY(due.at(1).closes);
    }

    void failureNamesTheFirstFrameThatWaited()
    {
        StompOwedReceipts owed;
        owed.published(1);
        owed.published(2);
        QVERIFY(!owed.owe({ "send-1", false }, { 1 }));
        QVERIFY(!owed.owe({ "send-2", false }, { 2 }));
        QCOMPARE(owed.failed(2), QByteArray("send-2"));
        QCOMPARE(owed.held(), 0); // the session ends: nothing more is owed
        QVERIFY(owed.durable(1).isEmpty());
    }

    void verdictBeforeTheReceiptIsOwedHoldsNothing()
    {
        StompOwedReceipts owed;
        owed.published(3);
        QVERIFY(owed.durable(3).isEmpty());
        QVERIFY(owed.owe({ "late", false }, { 3 }));
    }
};

SB_TEST_GUILESS_MAIN(TestPublishAcks)
#include "tst_publishacks.moc"
