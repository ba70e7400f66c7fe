#pragma once

#include "cluster/ReplayEvent.h"
#include "protocol/StompFrame.h"

#include <QElapsedTimer>
#include <QList>
#include <QSet>

namespace sb::node {

// The seam between a replay and the live stream, for an SSE stream with Last-Event-ID
// and a STOMP SUBSCRIBE with `since`: the subscription is live from the start, so live
// events that arrive while the history is read are held; finish() gives the history,
// then the held events it did not contain. A live event can also arrive *after* the read
// (Kafka's broadcast may lag Redis' history), so the replayed ids are remembered for
// kGuardMs and such late copies are dropped: no gap, no duplicate. Pure: no I/O.
class ReplaySeam
{
public:
    static constexpr int kGuardMs = 30000;

    struct Item
    {
        cluster::ReplayEvent event;
        qint64 publishedAtUs = 0; // 0 for replayed history
        bool replayed = false;
    };
    enum class Live { Held, Overflow, Duplicate, Deliver };

    explicit ReplaySeam(int maxHeld = 1000)
        : m_maxHeld(maxHeld)
    { }

    bool isReading() const { return !m_finished; }
    // What to do with a live event: hold it (reading), give up (too many held), drop it
    // (already replayed), or deliver it now.
    Live offer(const cluster::ReplayEvent &event, qint64 publishedAtUs);
    // History (oldest first) then the held live events it did not contain.
    QList<Item> finish(const cluster::ReplayResult &history);
    // Finished, and nothing left worth guarding: the seam can go.
    bool isDone() const;

    // STOMP's counterpart of SSE's `event: reset`: sent before the history when it does
    // not reach back to `since` (or could not be read).
    static protocol::StompFrame stompResetNotice(
        const QByteArray &subscriptionId, const QString &destination, const cluster::ReplayResult &history);

private:
    int m_maxHeld;
    bool m_finished = false;
    QList<Item> m_held;
    QSet<QString> m_replayed;
    QElapsedTimer m_sinceFinish;
};

} // namespace sb::node
