#include "node/EpollEventDispatcher.h"

#include <QCoreApplication>
#include <QLoggingCategory>
#include <QSocketNotifier>
#include <QTimerEvent>

#include <cerrno>
#include <cstring>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

Q_LOGGING_CATEGORY(lcEpoll, "sb.node.epoll")

namespace sb::node {

namespace {
constexpr int kEventsPerWait = 256;
// Qt's Unix dispatcher activates a read notifier on POLLIN, POLLHUP or POLLERR, a write one
// on POLLOUT, POLLHUP or POLLERR and an exception one on POLLPRI, POLLHUP or POLLERR.
constexpr quint32 kHangUpOrError = EPOLLHUP | EPOLLERR;
} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent)
{
    m_clock.start();
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epoll < 0 || m_wakeFd < 0) {
        qCWarning(lcEpoll, "epoll or eventfd refused: %s", std::strerror(errno));
        return;
    }
    epoll_event wake {};
    wake.events = EPOLLIN;
    wake.data.fd = m_wakeFd;
    if (epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &wake) != 0) {
        qCWarning(lcEpoll, "cannot watch the wake-up descriptor: %s", std::strerror(errno));
        ::close(m_wakeFd);
        m_wakeFd = -1;
    }
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted.store(false);
    emit awake();
    QCoreApplication::sendPostedEvents();
    if (m_interrupted.load())
        return false;

    const bool mayWait = flags.testFlag(QEventLoop::WaitForMoreEvents);
    int timeoutMs = 0;
    if (mayWait) {
        timeoutMs = msUntilNextTimer(); // -1: no timer, wait for a descriptor or a wake-up
        if (timeoutMs != 0)
            emit aboutToBlock();
    }
    epoll_event events[kEventsPerWait];
    int ready = epoll_wait(m_epoll, events, kEventsPerWait, timeoutMs);
    if (ready < 0) {
        if (errno != EINTR)
            qCWarning(lcEpoll, "epoll_wait: %s", std::strerror(errno));
        ready = 0;
    }

    int activated = 0;
    for (int i = 0; i < ready; ++i) {
        if (events[i].data.fd == m_wakeFd) {
            drainWakeUps();
            ++activated; // a wake-up is an event: the caller's loop goes round again
        }
    }
    if (!flags.testFlag(QEventLoop::ExcludeSocketNotifiers))
        activated += activateSocketNotifiers(events, ready);
    if (!flags.testFlag(QEventLoop::X11ExcludeTimers))
        activated += activateTimers();
    return activated > 0;
}

void EpollEventDispatcher::drainWakeUps()
{
    eventfd_t count = 0;
    while (eventfd_read(m_wakeFd, &count) == 0) { }
    // Cleared after the read: a wakeUp() between the two finds it set and writes nothing,
    // and its posted event is sent at the start of the next pass, before any wait.
    m_wakeUpPending.store(false);
}

void EpollEventDispatcher::wakeUp()
{
    if (!m_wakeUpPending.exchange(true))
        eventfd_write(m_wakeFd, 1);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted.store(true);
    wakeUp();
}

// ---------------------------------------------------------------- socket notifiers

void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Notifiers &entry = m_notifiers[fd];
    switch (notifier->type()) {
    case QSocketNotifier::Read:
        entry.read = notifier;
        break;
    case QSocketNotifier::Write:
        entry.write = notifier;
        break;
    case QSocketNotifier::Exception:
        entry.exception = notifier;
        break;
    }
    updateInterest(fd, entry);
}

void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    m_pendingNotifiers.removeAll(notifier);
    const int fd = int(notifier->socket());
    const auto found = m_notifiers.find(fd);
    if (found == m_notifiers.end())
        return;
    Notifiers &entry = found.value();
    if (entry.read == notifier)
        entry.read = nullptr;
    else if (entry.write == notifier)
        entry.write = nullptr;
    else if (entry.exception == notifier)
        entry.exception = nullptr;
    updateInterest(fd, entry);
    if (!entry.read && !entry.write && !entry.exception)
        m_notifiers.erase(found);
}

void EpollEventDispatcher::updateInterest(int fd, Notifiers &entry)
{
    const quint32 wanted = (entry.read ? quint32(EPOLLIN) : 0u) | (entry.write ? quint32(EPOLLOUT) : 0u)
        | (entry.exception ? quint32(EPOLLPRI) : 0u);
    if (wanted == entry.events)
        return;
    epoll_event event {};
    event.events = wanted;
    event.data.fd = fd;
    int result = 0;
    if (wanted == 0) {
        // Already gone from the set when the descriptor was closed first: nothing to undo.
        result = epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, &event);
        if (result != 0 && (errno == ENOENT || errno == EBADF))
            result = 0;
    } else if (entry.events == 0) {
        result = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
        // A descriptor number reused before the old one's entry left the set (a duplicate
        // kept it there): take the entry over.
        if (result != 0 && errno == EEXIST)
            result = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
    } else {
        result = epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &event);
        if (result != 0 && errno == ENOENT)
            result = epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &event);
    }
    if (result != 0)
        qCWarning(lcEpoll, "epoll_ctl on descriptor %d: %s", fd, std::strerror(errno));
    entry.events = wanted;
}

int EpollEventDispatcher::activateSocketNotifiers(const epoll_event *events, int count)
{
    for (int i = 0; i < count; ++i) {
        const int fd = events[i].data.fd;
        if (fd == m_wakeFd)
            continue;
        const auto found = m_notifiers.constFind(fd);
        if (found == m_notifiers.constEnd())
            continue;
        const quint32 ready = events[i].events;
        const Notifiers &entry = found.value();
        if (entry.read && (ready & (EPOLLIN | kHangUpOrError)))
            m_pendingNotifiers.append(entry.read);
        if (entry.write && (ready & (EPOLLOUT | kHangUpOrError)))
            m_pendingNotifiers.append(entry.write);
        if (entry.exception && (ready & (EPOLLPRI | kHangUpOrError)))
            m_pendingNotifiers.append(entry.exception);
    }
    int activated = 0;
    QEvent event(QEvent::SockAct);
    while (!m_pendingNotifiers.isEmpty()) {
        QSocketNotifier *notifier = m_pendingNotifiers.takeFirst();
        QCoreApplication::sendEvent(notifier, &event);
        ++activated;
    }
    return activated;
}

// ---------------------------------------------------------------- timers

void EpollEventDispatcher::registerTimer(
    int timerId, qint64 interval, Qt::TimerType timerType, QObject *object)
{
    const qint64 intervalMs = qMax<qint64>(interval, 0);
    Timer timer { intervalMs, timerType, object, m_clock.elapsed() + intervalMs, 0, false };
    auto it = m_timers.insert(timerId, timer);
    schedule(timerId, it.value());
}

void EpollEventDispatcher::schedule(int timerId, Timer &timer)
{
    timer.generation = ++m_lastGeneration;
    m_due.push({ timer.dueMs, timer.generation, timerId });
    // Entries of stopped and re-armed timers wait in the heap until their time; when they
    // outnumber the live ones, the heap is made again from the live ones only.
    if (m_due.size() > 2 * std::size_t(m_timers.size()) + 1024) {
        std::vector<Due> live;
        live.reserve(std::size_t(m_timers.size()));
        for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it)
            live.push_back({ it->dueMs, it->generation, it.key() });
        m_due = decltype(m_due)(std::greater<>(), std::move(live));
    }
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    return m_timers.remove(timerId) > 0;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->object == object) {
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> timers;
    for (auto it = m_timers.cbegin(); it != m_timers.cend(); ++it)
        if (it->object == object)
            timers.append(TimerInfo(it.key(), int(it->intervalMs), it->type));
    return timers;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    const auto found = m_timers.constFind(timerId);
    if (found == m_timers.constEnd())
        return -1;
    return int(qMax<qint64>(found->dueMs - m_clock.elapsed(), 0));
}

int EpollEventDispatcher::msUntilNextTimer()
{
    while (!m_due.empty()) {
        const Due &next = m_due.top();
        const auto found = m_timers.constFind(next.timerId);
        if (found == m_timers.constEnd() || found->generation != next.generation) {
            m_due.pop(); // stopped or re-armed since
            continue;
        }
        if (found->firing) {
            m_due.pop(); // in its own timerEvent below this loop: comes back when that returns
            continue;
        }
        return int(qBound<qint64>(0, next.atMs - m_clock.elapsed(), qint64(24) * 3600 * 1000));
    }
    return -1;
}

int EpollEventDispatcher::activateTimers()
{
    // What is due now, taken first: a timer armed by one of these events waits for the
    // next pass, and none fires twice in one.
    const qint64 now = m_clock.elapsed();
    std::vector<Due> due;
    while (!m_due.empty() && m_due.top().atMs <= now) {
        due.push_back(m_due.top());
        m_due.pop();
    }
    int activated = 0;
    for (const Due &entry : due) {
        auto found = m_timers.find(entry.timerId);
        if (found == m_timers.end() || found->generation != entry.generation || found->firing)
            continue;
        Timer &timer = found.value();
        timer.dueMs += timer.intervalMs;
        if (timer.dueMs <= now)
            timer.dueMs = now + timer.intervalMs; // fell behind: one event, then on from now
        timer.firing = true;
        QObject *object = timer.object;
        QTimerEvent event(entry.timerId);
        QCoreApplication::sendEvent(object, &event);
        ++activated;
        // The event may have stopped it, re-armed it, or started others (m_timers rehashed).
        found = m_timers.find(entry.timerId);
        if (found != m_timers.end() && found->generation == entry.generation) {
            found->firing = false;
            schedule(entry.timerId, found.value());
        }
    }
    return activated;
}

} // namespace sb::node
