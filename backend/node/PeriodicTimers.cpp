#include "node/PeriodicTimers.h"

#include <algorithm>
#include <utility>

namespace sb::node {

namespace {
constexpr qint64 kMaxSlackMs = 50;
} // namespace

PeriodicTimers::PeriodicTimers(QObject *parent)
    : QObject(parent)
    , m_timer(this) // a child: it moves with this object to the worker's thread
{
    m_clock.start();
    m_timer.setSingleShot(true);
    m_timer.setTimerType(Qt::PreciseTimer); // the slack is this class's, not the dispatcher's
    connect(&m_timer, &QTimer::timeout, this, [this] {
        m_armedForMs = -1;
        runDue();
        armForEarliest();
    });
}

qint64 PeriodicTimers::slackMs(qint64 periodMs)
{
    return std::min(periodMs / 16, kMaxSlackMs);
}

PeriodicTimers::Id PeriodicTimers::start(qint64 periodMs, std::function<void()> callback)
{
    periodMs = std::max<qint64>(periodMs, 1);
    const Id id = ++m_lastId;
    m_periodic.emplace(id, Periodic { periodMs, std::move(callback) });
    std::deque<Due> &queue = m_queues[periodMs];
    // Never before the last one queued: a clock read now may be behind the tick that queued it.
    const qint64 atMs = std::max(m_clock.elapsed() + periodMs, queue.empty() ? 0 : queue.back().atMs);
    queue.push_back({ atMs, id });
    if (m_armedForMs < 0 || atMs < m_armedForMs) {
        m_armedForMs = atMs;
        m_timer.start(int(std::max<qint64>(atMs - m_clock.elapsed(), 0)));
    }
    return id;
}

void PeriodicTimers::stop(Id id)
{
    m_periodic.erase(id);
}

void PeriodicTimers::runDue()
{
    // std::map keeps its nodes where they are when a callback starts a new period's queue,
    // and each deque is reached afresh through its node after every callback.
    for (auto &[periodMs, queue] : m_queues) {
        const qint64 slack = slackMs(periodMs);
        while (!queue.empty() && queue.front().atMs <= m_clock.elapsed() + slack) {
            const Id id = queue.front().id;
            queue.pop_front();
            const auto found = m_periodic.find(id);
            if (found == m_periodic.end())
                continue; // stopped
            const qint64 nextMs
                = std::max(m_clock.elapsed() + periodMs, queue.empty() ? 0 : queue.back().atMs);
            queue.push_back({ nextMs, id });
            // A copy: the callback may stop its own entry (a silent peer's session ends).
            const std::function<void()> callback = found->second.callback;
            callback();
        }
    }
}

void PeriodicTimers::armForEarliest()
{
    qint64 earliest = -1;
    for (auto it = m_queues.begin(); it != m_queues.end();) {
        std::deque<Due> &queue = it->second;
        while (!queue.empty() && !m_periodic.contains(queue.front().id))
            queue.pop_front(); // stopped: no wake-up for it
        if (queue.empty()) {
            it = m_queues.erase(it);
            continue;
        }
        if (earliest < 0 || queue.front().atMs < earliest)
            earliest = queue.front().atMs;
        ++it;
    }
    if (earliest < 0)
        return;
    m_armedForMs = earliest;
    m_timer.start(int(std::max<qint64>(earliest - m_clock.elapsed(), 0)));
}

} // namespace sb::node
