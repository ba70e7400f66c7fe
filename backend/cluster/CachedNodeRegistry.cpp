#include "cluster/CachedNodeRegistry.h"

#include "cluster/NodeListAnswer.h"

#include <QMutexLocker>

namespace sb::cluster {

CachedNodeRegistry::CachedNodeRegistry(NodeRegistry *inner, int maxAgeMs)
    : m_inner(inner)
    , m_maxAgeMs(maxAgeMs)
    , m_home(std::make_unique<QObject>())
{ }

CachedNodeRegistry::~CachedNodeRegistry()
{
    // Callers still waiting get no answer, as when their context goes: their relays go too.
    for (NodeListAnswer *answer : std::as_const(m_waiting))
        answer->deleteLater();
}

void CachedNodeRegistry::publish(
    const QString &nodeId, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds)
{
    m_inner->publish(nodeId, fields, ttlSeconds);
}

void CachedNodeRegistry::remove(const QString &nodeId)
{
    m_inner->remove(nodeId);
}

void CachedNodeRegistry::list(QObject *context, ListHandler handler)
{
    QMutexLocker lock(&m_mutex);
    if (!m_fresh.hasExpired()) { // before the first reading too: a default deadline has passed
        // Posted to the context from here, where its caller keeps it alive: Qt drops the call
        // if the context goes before it is delivered, so a hit needs no relay object.
        const bool ok = m_ok;
        const QList<Announced> nodes = m_nodes;
        lock.unlock();
        QMetaObject::invokeMethod(
            context, [handler = std::move(handler), ok, nodes] { handler(ok, nodes); }, Qt::QueuedConnection);
        return;
    }
    // Answered later from the reading's thread, when nothing keeps the context alive there: a
    // relay on the caller's thread whose queued signal Qt drops if the context goes first.
    auto *answer = new NodeListAnswer;
    answer->moveToThread(context->thread());
    QObject::connect(
        answer, &NodeListAnswer::ready, context,
        [answer, handler = std::move(handler)] { handler(answer->ok, answer->nodes); }, Qt::QueuedConnection);
    m_waiting.append(answer);
    if (m_readingInFlight)
        return;
    m_readingInFlight = true;
    lock.unlock();
    QMetaObject::invokeMethod(
        m_home.get(), [this] { startReading(); }, Qt::QueuedConnection);
}

quint64 CachedNodeRegistry::readings() const
{
    QMutexLocker lock(&m_mutex);
    return m_readings;
}

void CachedNodeRegistry::startReading()
{
    m_inner->list(m_home.get(), [this](bool ok, const QList<Announced> &nodes) { finishReading(ok, nodes); });
}

void CachedNodeRegistry::finishReading(bool ok, const QList<Announced> &nodes)
{
    QMutexLocker lock(&m_mutex);
    ++m_readings;
    m_readingInFlight = false;
    m_fresh.setRemainingTime(m_maxAgeMs);
    m_ok = ok;
    m_nodes = nodes;
    const QList<NodeListAnswer *> waiting = std::exchange(m_waiting, {});
    lock.unlock();
    for (NodeListAnswer *answer : waiting) {
        answer->ok = ok;
        answer->nodes = nodes;
        emit answer->ready();
        answer->deleteLater();
    }
}

} // namespace sb::cluster
