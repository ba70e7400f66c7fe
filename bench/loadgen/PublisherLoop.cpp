#include "PublisherLoop.h"

#include "DeliveryMarker.h"
#include "MonotonicClock.h"

#include <algorithm>

PublisherLoop::PublisherLoop(const ConnectionSetup &setup, std::size_t bodyBytes)
    : m_connection(
        std::make_unique<ClientConnection>(setup, ClientConnection::Role::Publisher, nullptr, m_loop.epoll()))
    , m_spread(setup.channels)
    , m_bodyBytes(bodyBytes)
{
    m_loop.setTick(1000, [this] { tick(); });
}

PublisherLoop::~PublisherLoop()
{
    m_loop.stop(); // before the connections its thread uses are destroyed
}

void PublisherLoop::start()
{
    m_loop.start();
    m_loop.runAndWait([this] { m_connection->start(); });
}

bool PublisherLoop::ready()
{
    bool isReady = false;
    m_loop.runAndWait([&] { isReady = m_connection->state() == ClientConnection::State::Ready; });
    return isReady;
}

std::string PublisherLoop::closeReason()
{
    std::string reason;
    m_loop.runAndWait([&] { reason = m_connection->closeReason(); });
    return reason;
}

void PublisherLoop::startStep(uint64_t first, uint64_t count, double perSecond)
{
    m_loop.runAndWait([&] {
        m_first = first;
        m_count = count;
        m_perSecond = perSecond;
        m_stepStart = monotonicMicros();
        m_sent = 0;
        m_done = count == 0;
    });
}

std::pair<uint64_t, uint64_t> PublisherLoop::answers()
{
    std::pair<uint64_t, uint64_t> result;
    m_loop.runAndWait([&] {
        result = { m_connection->acceptedPublishes(), m_connection->refusedPublishes() };
    });
    return result;
}

void PublisherLoop::tick()
{
    if (m_done)
        return;
    const double elapsed = double(monotonicMicros() - m_stepStart) / 1e6;
    const auto due = std::min<uint64_t>(m_count, uint64_t(elapsed * m_perSecond) + 1);
    for (uint64_t next = m_sent; next < due; ++next) {
        const uint64_t sequence = m_first + next;
        m_connection->publish(DeliveryMarker::text(sequence, monotonicMicros(), m_bodyBytes),
            m_spread.channelOfMessage(sequence));
        m_sent = next + 1;
    }
    if (m_sent >= m_count)
        m_done = true;
}
