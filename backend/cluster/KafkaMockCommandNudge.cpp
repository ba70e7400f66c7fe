#include "cluster/KafkaMockCommandNudge.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

namespace sb::cluster {

namespace {
// One connection to 127.0.0.1:port, closed at once: the listening broker's socket turns
// readable, which is all it takes to end the mock thread's poll(). Loopback connects
// complete in the call (the kernel's backlog holds the connection until the mock accepts
// it, reads its end and drops it).
void pokeLoopbackPort(quint16 port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    (void)::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof address);
    ::close(fd);
}
} // namespace

KafkaMockCommandNudge::KafkaMockCommandNudge(quint16 brokerPort, int intervalMs)
    : m_port(brokerPort)
    , m_intervalMs(intervalMs)
    , m_thread([this] { run(); })
{ }

KafkaMockCommandNudge::~KafkaMockCommandNudge()
{
    finish();
}

int KafkaMockCommandNudge::finish()
{
    {
        const std::lock_guard lock(m_mutex);
        m_done = true;
    }
    m_answered.notify_one();
    if (m_thread.joinable())
        m_thread.join();
    return m_nudges;
}

void KafkaMockCommandNudge::run()
{
    std::unique_lock lock(m_mutex);
    while (!m_answered.wait_for(lock, std::chrono::milliseconds(m_intervalMs), [this] { return m_done; })) {
        if (m_port == 0)
            continue;
        ++m_nudges;
        lock.unlock(); // finish() must not wait for a connect
        pokeLoopbackPort(m_port);
        lock.lock();
    }
}

} // namespace sb::cluster
