#include "node/TapHub.h"

#include "node/TapReader.h"

#include <QDateTime>
#include <QMutexLocker>

namespace sb::node {

TapHub::TapHub(QString nodeId, int bodyLimit)
    : m_nodeId(nodeId.toUtf8())
    , m_bodyLimit(bodyLimit)
{ }

namespace {
// One buffer per worker thread, its capacity kept from frame to frame: the frame is copied
// into each reader's batch, so building it allocates nothing once warm. (A QByteArray per
// frame, made on a worker and freed on the reader's thread, put malloc's arena locks high in
// the tap's profile: docs/benchmarks.md, "Tap overhead".)
QByteArray &tapScratch()
{
    thread_local QByteArray scratch;
    scratch.resize(0);
    return scratch;
}
} // namespace

QByteArrayView TapHub::serialise(const TapEvent &event) const
{
    QByteArray &scratch = tapScratch();
    event.appendJson(scratch, m_nodeId, m_bodyLimit);
    return scratch;
}

void TapHub::publish(const TapEvent &event)
{
    if (!isActive())
        return;
    publishJson(serialise(event));
}

void TapHub::publishDelivery(const TapMessageFrame &message, QStringView session, QStringView user,
    QByteArrayView subscriptionId, bool withAck, qint64 bytes)
{
    if (!isActive())
        return;
    QByteArray &scratch = tapScratch();
    message.appendDelivery(
        scratch, session, user, subscriptionId, withAck, bytes, QDateTime::currentMSecsSinceEpoch());
    publishJson(scratch);
}

void TapHub::publishJson(QByteArrayView json)
{
    QMutexLocker lock(&m_mutex);
    for (const QPointer<TapReader> &reader : std::as_const(m_list))
        if (reader)
            reader->enqueue(json);
}

void TapHub::publishTo(TapReader *reader, const TapEvent &event)
{
    const QByteArrayView json = serialise(event);
    // Under the mutex, and only if still listed: a reader leaves the list before it is
    // deleted, so a pointer found here is alive. (A new reader at a freed reader's address
    // would get the old one's baseline: harmless, it is the same node's state.)
    QMutexLocker lock(&m_mutex);
    for (const QPointer<TapReader> &listed : std::as_const(m_list))
        if (listed == reader) {
            reader->enqueue(json);
            return;
        }
}

void TapHub::addReader(TapReader *reader)
{
    QMutexLocker lock(&m_mutex);
    reader->attachToHub(
        [this](TapReader *leaving) { removeReader(leaving); }, &m_saturated, &m_droppedForAll);
    m_list.append(reader);
    m_readers.store(int(m_list.size()));
}

void TapHub::removeReader(TapReader *reader)
{
    QMutexLocker lock(&m_mutex);
    // Under the lock, so no publisher can mark it saturated once it is gone from the count.
    reader->detachFromHub();
    m_list.removeIf([reader](const QPointer<TapReader> &r) { return !r || r == reader; });
    m_readers.store(int(m_list.size()));
}

} // namespace sb::node
