#pragma once

#include <QAbstractEventDispatcher>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QPointer>

#include <atomic>
#include <queue>
#include <vector>

struct epoll_event;

namespace sb::node {

// A worker thread's event loop on epoll(7) instead of poll(2).
// Qt's Unix dispatcher hands the kernel every socket notifier of the thread at each wake-up
// and the kernel asks each socket whether it is ready: with 10,000 idle sessions, 63 % of
// the worker's time went to that walk for the ~2,000 heart-beats a second that woke it
// (docs/benchmarks.md, "Idle connections: the heart-beat timers"). Here the kernel keeps the
// set of descriptors (epoll_ctl when a notifier is enabled or disabled) and a wake-up costs
// what is ready, not what is open. Notifiers are level-triggered and activated as Qt's are
// (a read notifier on input, hang-up or error; a write notifier on space, hang-up or error),
// one QEvent::SockAct each; timers keep Qt's semantics (a due timer fires once per pass, not
// again from inside its own timerEvent, and comes back one interval after it was due — or
// after now, when it fell behind); posted events go first in every pass; wakeUp() is an
// eventfd. Every timer is kept to the millisecond (Qt's coarse timers may be; none must be
// moved).
class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    // False when the kernel refused epoll or eventfd (then it must not be installed).
    bool isValid() const { return m_epoll >= 0 && m_wakeFd >= 0; }

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;
    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;
    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType, QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;
    void wakeUp() override;
    void interrupt() override;

private:
    struct Notifiers
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 events = 0; // what epoll watches for, as last told
    };
    struct Timer
    {
        qint64 intervalMs;
        Qt::TimerType type;
        QObject *object;
        qint64 dueMs; // on m_clock
        quint64 generation; // its entry in m_due; older entries are stale
        bool firing = false; // in its timerEvent now: not again from a nested loop
    };
    struct Due
    {
        qint64 atMs;
        quint64 generation;
        int timerId;
        bool operator>(const Due &other) const { return atMs > other.atMs; }
    };

    void updateInterest(int fd, Notifiers &notifiers);
    int activateSocketNotifiers(const ::epoll_event *events, int count);
    int activateTimers();
    int msUntilNextTimer();
    void schedule(int timerId, Timer &timer);
    void drainWakeUps();

    int m_epoll = -1;
    int m_wakeFd = -1;
    std::atomic<bool> m_wakeUpPending { false };
    std::atomic<bool> m_interrupted { false };
    QHash<int, Notifiers> m_notifiers; // by descriptor
    // Activated in this pass, in order; unregistering one takes it out (its object may go).
    QList<QSocketNotifier *> m_pendingNotifiers;
    QElapsedTimer m_clock;
    QHash<int, Timer> m_timers;
    std::priority_queue<Due, std::vector<Due>, std::greater<>> m_due;
    quint64 m_lastGeneration = 0;
};

} // namespace sb::node
