#pragma once

#include "node/WriteBatch.h"

#include <QByteArray>
#include <QPointer>

#include <utility>

namespace sb::node {

// The bytes one connection (a STOMP session's WebSocketWriter, an SSE stream) holds for its
// worker's WriteBatch: the first bytes held put the connection on the batch's list, so its
// flush runs once, after the events already queued on the thread; take() hands them over and
// takes it off the list, as does drop() and the end of the connection. Touched only from the
// worker's thread.
class HeldWrites
{
public:
    // batch: the worker's (none: nothing is held, the owner writes at once); owner: what the
    // batch's flush calls.
    HeldWrites(WriteBatch *batch, WriteBatch::Holder *owner)
        : m_batch(batch)
        , m_owner(owner)
    { }
    ~HeldWrites() { drop(); }
    HeldWrites(const HeldWrites &) = delete;
    HeldWrites &operator=(const HeldWrites &) = delete;

    bool hasBatch() const { return !m_batch.isNull(); }
    qsizetype size() const { return m_held.size(); }
    bool isEmpty() const { return m_held.isEmpty(); }
    // At WriteBatch::kMaxHeldBytes: the owner writes what it holds now, not at the flush.
    bool isFull() const { return m_held.size() >= WriteBatch::kMaxHeldBytes; }
    // What to append to (with a batch): the owner joins the batch's list if nothing was held.
    QByteArray &toAppend()
    {
        if (m_held.isEmpty())
            m_batch->hold(m_owner);
        return m_held;
    }
    // Everything held, for the socket; the owner leaves the batch's list.
    QByteArray take()
    {
        if (!m_held.isEmpty() && m_batch)
            m_batch->forget(m_owner);
        return std::exchange(m_held, {});
    }
    void drop() { take(); }

private:
    QPointer<WriteBatch> m_batch;
    WriteBatch::Holder *m_owner;
    QByteArray m_held;
};

} // namespace sb::node
