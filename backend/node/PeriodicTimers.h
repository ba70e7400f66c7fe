#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

#include <deque>
#include <functional>
#include <map>
#include <unordered_map>

namespace sb::node {

// Many periodic callbacks on one thread for the price of one QTimer: a worker's connections'
// ticks (a STOMP session's two heart-beat clocks, an SSE stream's keep-alive comment, each
// session's lease refresh).
// Qt keeps a thread's timers in one list sorted by due time and puts a re-armed timer back
// by walking that list (QTimerInfoList::timerInsert). With a QTimer per clock, 10,000 idle
// sessions spent 86 % of their worker's time in that walk and 66 % of a core in all
// (docs/benchmarks.md, "Idle connections: the heart-beat timers").
// Here each period keeps its own queue, in due order by construction: an entry re-armed at
// a tick is due one period after that tick, after every entry already queued. Running what
// is due and re-arming it is O(1) per entry, and the periods are few (the negotiated
// heart-beat intervals). Entries due within a sixteenth of their period (at most 50 ms)
// run together, one wake-up for a crowd of clocks instead of one each.
class PeriodicTimers final : public QObject
{
public:
    using Id = quint64; // never 0: 0 is "none"

    explicit PeriodicTimers(QObject *parent = nullptr);

    // Calls `callback` every `periodMs` (at least 1) on this object's thread until stop().
    Id start(qint64 periodMs, std::function<void()> callback);
    // Ignores 0 and ids already stopped. Allowed from any callback, its own included.
    void stop(Id id);
    // Callbacks running now.
    qsizetype size() const { return qsizetype(m_periodic.size()); }
    // How early a callback of this period may run: the price of sharing wake-ups.
    static qint64 slackMs(qint64 periodMs);

private:
    struct Due
    {
        qint64 atMs;
        Id id;
    };
    struct Periodic
    {
        qint64 periodMs;
        std::function<void()> callback;
    };

    void runDue();
    void armForEarliest();

    QElapsedTimer m_clock;
    QTimer m_timer; // single shot, armed for the earliest entry due
    qint64 m_armedForMs = -1; // when m_timer fires, on m_clock; -1 when not armed
    Id m_lastId = 0;
    std::unordered_map<Id, Periodic> m_periodic;
    // By period, each queue in due order. A stopped entry stays queued until its turn (at
    // most one period) and is skipped then.
    std::map<qint64, std::deque<Due>> m_queues;
};

} // namespace sb::node
