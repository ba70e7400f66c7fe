#include "EpollLoop.h"

#include "ClientConnection.h"

#include <future>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

namespace {
// Tags for the loop's own descriptors in epoll_event.data.ptr (connections use their address).
char wakeTag;
char timerTag;
} // namespace

EpollLoop::EpollLoop()
    : m_epoll(::epoll_create1(EPOLL_CLOEXEC))
    , m_wake(::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC))
    , m_readBuffer(256 * 1024, '\0')
{
    epoll_event event {};
    event.events = EPOLLIN;
    event.data.ptr = &wakeTag;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wake, &event);
}

EpollLoop::~EpollLoop()
{
    stop();
    ::close(m_wake);
    if (m_timer >= 0)
        ::close(m_timer);
    ::close(m_epoll);
}

void EpollLoop::setTick(int64_t intervalMicros, std::function<void()> tick)
{
    m_tickMicros = intervalMicros;
    m_tick = std::move(tick);
    m_timer = ::timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    itimerspec spec {};
    spec.it_interval.tv_sec = intervalMicros / 1'000'000;
    spec.it_interval.tv_nsec = (intervalMicros % 1'000'000) * 1000;
    spec.it_value = spec.it_interval;
    ::timerfd_settime(m_timer, 0, &spec, nullptr);
    epoll_event event {};
    event.events = EPOLLIN;
    event.data.ptr = &timerTag;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_timer, &event);
}

void EpollLoop::start()
{
    m_thread = std::thread([this] { run(); });
}

void EpollLoop::post(std::function<void()> task)
{
    {
        std::lock_guard lock(m_mutex);
        m_posted.push_back(std::move(task));
    }
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(m_wake, &one, sizeof one);
}

void EpollLoop::runAndWait(const std::function<void()> &task)
{
    std::promise<void> done;
    post([&] {
        task();
        done.set_value();
    });
    done.get_future().wait();
}

void EpollLoop::stop()
{
    if (!m_thread.joinable())
        return;
    post([this] { m_stopping = true; });
    m_thread.join();
}

void EpollLoop::runPosted()
{
    uint64_t count = 0;
    [[maybe_unused]] const ssize_t n = ::read(m_wake, &count, sizeof count);
    std::vector<std::function<void()>> tasks;
    {
        std::lock_guard lock(m_mutex);
        tasks.swap(m_posted);
    }
    for (const auto &task : tasks)
        task();
}

void EpollLoop::run()
{
    epoll_event events[256];
    while (!m_stopping) {
        const int count = ::epoll_wait(m_epoll, events, 256, 100);
        for (int i = 0; i < count; ++i) {
            void *tag = events[i].data.ptr;
            if (tag == &wakeTag) {
                runPosted();
            } else if (tag == &timerTag) {
                uint64_t expirations = 0;
                [[maybe_unused]] const ssize_t n = ::read(m_timer, &expirations, sizeof expirations);
                if (m_tick)
                    m_tick();
            } else {
                static_cast<ClientConnection *>(tag)->onEvents(events[i].events, m_readBuffer);
            }
        }
    }
}
