#include "node/StompOwedReceipts.h"

namespace sb::node {

bool StompOwedReceipts::owe(const Owed &owed, const QSet<quint64> &waitFor)
{
    QSet<quint64> pending = waitFor;
    pending.intersect(m_unsettled); // a verdict that already came does not hold anything
    if (pending.isEmpty() && m_held.isEmpty())
        return true;
    m_held.append({ owed, pending });
    return false;
}

QList<StompOwedReceipts::Owed> StompOwedReceipts::durable(quint64 id)
{
    if (!m_unsettled.remove(id))
        return {};
    for (Held &held : m_held)
        held.waitFor.remove(id);
    return releaseDue();
}

QByteArray StompOwedReceipts::failed(quint64 id)
{
    m_unsettled.remove(id);
    QByteArray receiptId;
    for (const Held &held : std::as_const(m_held)) {
        if (held.waitFor.contains(id)) {
            receiptId = held.owed.receiptId;
            break;
        }
    }
    m_held.clear(); // the session ends with the ERROR: none of them is owed any more
    return receiptId;
}

QList<StompOwedReceipts::Owed> StompOwedReceipts::releaseDue()
{
    QList<Owed> due;
    while (!m_held.isEmpty() && m_held.constFirst().waitFor.isEmpty())
        due.append(m_held.takeFirst().owed);
    return due;
}

} // namespace sb::node
