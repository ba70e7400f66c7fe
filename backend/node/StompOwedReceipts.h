#pragma once

#include <QByteArray>
#include <QList>
#include <QSet>

namespace sb::node {

// The RECEIPTs a STOMP session owes for frames whose effect is not durable yet: a SEND is
// done once stage 1 holds its message (the publish's verdict), a COMMIT once all of its
// SENDs are, a DISCONNECT once every publish of the session is. Receipts go out in the
// order the frames asked for them, so a RECEIPT always means "this frame and every one
// before it". Pure bookkeeping; StompSession sends what it returns.
class StompOwedReceipts
{
public:
    struct Owed
    {
        QByteArray receiptId; // empty: the frame asked none (a SEND still waits for its verdict)
        bool closes = false; // DISCONNECT: the session ends after this receipt
    };

    // Publish `id` of this session waits for its verdict.
    void published(quint64 id) { m_unsettled.insert(id); }
    // The frame asking `receiptId` is done once each of `waitFor` is durable, and after every
    // receipt owed before it. True: due now (the caller answers at once); false: held.
    bool owe(const Owed &owed, const QSet<quint64> &waitFor);
    // Publish `id` is durable: the receipts due now, in order.
    QList<Owed> durable(quint64 id);
    // Publish `id` failed: the receipt id of the first frame that waited for it (for the
    // ERROR's receipt-id), empty when none asked. Nothing owed is ever due after a failure.
    QByteArray failed(quint64 id);
    // Every publish still waiting (what a DISCONNECT waits for).
    const QSet<quint64> &unsettled() const { return m_unsettled; }
    int held() const { return int(m_held.size()); }

private:
    struct Held
    {
        Owed owed;
        QSet<quint64> waitFor;
    };
    QList<Owed> releaseDue();

    QSet<quint64> m_unsettled;
    QList<Held> m_held; // in the order owed
};

} // namespace sb::node
