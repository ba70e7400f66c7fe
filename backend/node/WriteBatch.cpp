#include "node/WriteBatch.h"

#include "node/WebSocketWriter.h"

#include <utility>

namespace sb::node {

void WriteBatch::hold(WebSocketWriter *writer)
{
    if (m_waiting.isEmpty())
        QMetaObject::invokeMethod(this, &WriteBatch::flush, Qt::QueuedConnection);
    m_waiting.append(writer);
}

void WriteBatch::forget(WebSocketWriter *writer)
{
    m_waiting.removeOne(writer);
}

void WriteBatch::flush()
{
    const QList<WebSocketWriter *> waiting = std::exchange(m_waiting, {});
    for (WebSocketWriter *writer : waiting)
        writer->flush();
}

} // namespace sb::node
