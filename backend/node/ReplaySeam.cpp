#include "node/ReplaySeam.h"

namespace sb::node {

ReplaySeam::Live ReplaySeam::offer(const cluster::ReplayEvent &event, qint64 publishedAtUs)
{
    if (!m_finished) {
        if (m_held.size() >= m_maxHeld)
            return Live::Overflow;
        m_held.append({ event, publishedAtUs, false });
        return Live::Held;
    }
    return m_replayed.remove(event.id) ? Live::Duplicate : Live::Deliver;
}

QList<ReplaySeam::Item> ReplaySeam::finish(const cluster::ReplayResult &history)
{
    QList<Item> out;
    out.reserve(history.events.size() + m_held.size());
    for (const cluster::ReplayEvent &event : history.events) {
        m_replayed.insert(event.id);
        out.append({ event, 0, true });
    }
    for (const Item &live : std::as_const(m_held))
        if (!m_replayed.remove(live.event.id)) // seen in history: not again
            out.append(live);
    m_held.clear();
    m_finished = true;
    m_sinceFinish.start();
    return out;
}

bool ReplaySeam::isDone() const
{
    return m_finished && (m_replayed.isEmpty() || m_sinceFinish.elapsed() > kGuardMs);
}

protocol::StompFrame ReplaySeam::stompResetNotice(
    const QByteArray &subscriptionId, const QString &destination, const cluster::ReplayResult &history)
{
    protocol::StompFrame notice("MESSAGE");
    notice.addHeader("subscription", subscriptionId);
    notice.addHeader("message-id", "recovery-reset");
    notice.addHeader("destination", destination.toUtf8());
    notice.addHeader("recovery", "reset");
    notice.addHeader("content-type", "application/json");
    notice.setBody(history.error.isEmpty()
            ? QByteArrayLiteral("{\"type\":\"reset\"}")
            : QByteArrayLiteral("{\"type\":\"reset\",\"reason\":\"history unavailable\"}"));
    return notice;
}

} // namespace sb::node
