#include "node/WriteBatch.h"

#include <utility>

namespace sb::node {

void WriteBatch::hold(Holder *holder)
{
    if (m_waiting.isEmpty())
        QMetaObject::invokeMethod(this, &WriteBatch::flush, Qt::QueuedConnection);
    m_waiting.append(holder);
}

void WriteBatch::forget(Holder *holder)
{
    m_waiting.removeOne(holder);
}

void WriteBatch::flush()
{
    const QList<Holder *> waiting = std::exchange(m_waiting, {});
    for (Holder *holder : waiting)
        holder->flush();
}

} // namespace sb::node
