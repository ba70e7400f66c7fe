#pragma once

#include "node/TapEvent.h"
#include "node/TapMessageFrame.h"

#include <QList>
#include <QMutex>
#include <QPointer>

#include <atomic>

namespace sb::node {

class TapReader;

// Fans tap events out to the /admin/tap readers. isActive() is one relaxed atomic load,
// so with no reader tapping costs nothing: callers build no TapEvent at all.
class TapHub
{
public:
    TapHub(QString nodeId, int bodyLimit);

    bool isActive() const { return m_readers.load(std::memory_order_relaxed) > 0; }
    // Whether to build a frame at all. With no reader, one atomic load, as isActive(). When
    // every reader is saturated (TapReader), the frame counts as dropped for all of them
    // (one relaxed increment; each reader takes the count in) and false comes back: a reader
    // that cannot keep up must not make the node serialise frames only to drop them.
    bool wants()
    {
        const int readers = m_readers.load(std::memory_order_relaxed);
        if (readers == 0)
            return false;
        if (m_saturated.load(std::memory_order_relaxed) < readers)
            return true;
        m_droppedForAll.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    void publish(const TapEvent &event);
    // One MESSAGE delivery, its frame written from the message's shared part
    // (SharedMessageFrame::tapFrame): the bytes publish(TapEvent::fromStompFrame(...)) sends.
    void publishDelivery(const TapMessageFrame &message, QStringView session, QStringView user,
        QByteArrayView subscriptionId, bool withAck, qint64 bytes);
    QByteArrayView nodeIdUtf8() const { return m_nodeId; }
    int bodyLimit() const { return m_bodyLimit; }
    // To one reader only, if it is still attached: the STATE baseline a new reader gets.
    void publishTo(TapReader *reader, const TapEvent &event);
    void addReader(TapReader *reader);
    void removeReader(TapReader *reader);
    int readerCount() const { return m_readers.load(); }

private:
    // The frame's JSON in this thread's reusable buffer, valid until its next call.
    QByteArrayView serialise(const TapEvent &event) const;
    // To every reader.
    void publishJson(QByteArrayView json);

    QByteArray m_nodeId; // UTF-8
    int m_bodyLimit;
    std::atomic<int> m_readers { 0 };
    std::atomic<int> m_saturated { 0 }; // readers that take no frame now (kept by the readers)
    std::atomic<qint64> m_droppedForAll { 0 }; // frames not built: every reader was saturated
    QMutex m_mutex;
    QList<QPointer<TapReader>> m_list;
};

} // namespace sb::node
