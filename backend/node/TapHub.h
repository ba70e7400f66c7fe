#pragma once

#include "node/TapEvent.h"

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
    void publish(const TapEvent &event);
    // To one reader only, if it is still attached: the STATE baseline a new reader gets.
    void publishTo(TapReader *reader, const TapEvent &event);
    void addReader(TapReader *reader);
    void removeReader(TapReader *reader);
    int readerCount() const { return m_readers.load(); }

private:
    QString m_nodeId;
    int m_bodyLimit;
    std::atomic<int> m_readers{0};
    QMutex m_mutex;
    QList<QPointer<TapReader>> m_list;
};

} // namespace sb::node
