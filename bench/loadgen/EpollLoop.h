#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

class ClientConnection;

// One thread with one epoll set: the client sockets registered with data.ptr pointing at
// their ClientConnection, plus a wake-up eventfd for tasks posted from other threads and
// an optional periodic tick (timerfd). Plain epoll rather than a Qt event loop: at
// hundreds of thousands of deliveries per second, Qt's per-socket notifiers and signals
// would be the generator's ceiling, not the server's.
class EpollLoop
{
public:
    EpollLoop();
    ~EpollLoop();
    EpollLoop(const EpollLoop &) = delete;
    EpollLoop &operator=(const EpollLoop &) = delete;

    int epoll() const { return m_epoll; }

    // Called on the loop's thread every `intervalMicros`; set before start().
    void setTick(int64_t intervalMicros, std::function<void()> tick);
    void start();
    // Runs `task` on the loop's thread, soon.
    void post(std::function<void()> task);
    // Runs `task` on the loop's thread and returns once it has run.
    void runAndWait(const std::function<void()> &task);
    void stop();

private:
    void run();
    void runPosted();

    int m_epoll = -1;
    int m_wake = -1;
    int m_timer = -1;
    int64_t m_tickMicros = 0;
    std::function<void()> m_tick;
    std::mutex m_mutex;
    std::vector<std::function<void()>> m_posted;
    bool m_stopping = false;
    std::thread m_thread;
    std::string m_readBuffer;
};
