#include "SubscriberLoop.h"

#include "MonotonicClock.h"

#include <algorithm>

namespace {
// At most this many connections of one loop opening at once.
constexpr int kPendingOpens = 64;
} // namespace

SubscriberLoop::SubscriberLoop(const ConnectionSetup &setup, int subscribers, int firstIndex)
    : m_setup(setup)
    , m_target(subscribers)
    , m_firstIndex(firstIndex)
    , m_spread(setup.channels)
    , m_ledger(m_spread)
{
    m_loop.setTick(1000, [this] { tick(); });
}

SubscriberLoop::~SubscriberLoop()
{
    m_loop.stop(); // before the connections its thread uses are destroyed
}

void SubscriberLoop::start()
{
    m_loop.start();
}

void SubscriberLoop::tick()
{
    int pending = 0;
    for (const auto &connection : m_connections)
        if (connection->state() != ClientConnection::State::Ready
            && connection->state() != ClientConnection::State::Closed)
            ++pending;
    while (int(m_connections.size()) < m_target && pending < kPendingOpens) {
        ConnectionSetup setup = m_setup;
        setup.channel = m_spread.channelOfSubscriber(m_firstIndex + int(m_connections.size()));
        m_connections.push_back(std::make_unique<ClientConnection>(
            setup, ClientConnection::Role::Subscriber, &m_ledger, m_loop.epoll()));
        m_connections.back()->start();
        ++pending;
    }
    // Heart-beats a little more often than offered, as a client library would.
    const int64_t now = monotonicMicros();
    if (m_setup.heartBeatMs > 0 && now - m_lastHeartBeat >= int64_t(m_setup.heartBeatMs) * 800) {
        m_lastHeartBeat = now;
        for (const auto &connection : m_connections)
            connection->sendHeartBeat();
    }
}

SubscriberLoop::Counts SubscriberLoop::counts()
{
    Counts total;
    total.readyPerChannel.assign(std::size_t(m_spread.channels()), 0);
    m_loop.runAndWait([&] {
        for (std::size_t i = 0; i < m_connections.size(); ++i) {
            const ClientConnection *connection = m_connections[i].get();
            switch (connection->state()) {
            case ClientConnection::State::Ready:
                ++total.ready;
                ++total.readyPerChannel[std::size_t(m_spread.channelOfSubscriber(m_firstIndex + int(i)))];
                total.connectMicros.push_back(connection->connectMicros());
                break;
            case ClientConnection::State::Closed:
                ++total.closed;
                total.lastCloseReason = connection->closeReason();
                break;
            default:
                ++total.pending;
            }
        }
        total.pending += m_target - int(m_connections.size());
    });
    return total;
}

void SubscriberLoop::beginStep(uint64_t first, uint64_t end)
{
    m_loop.runAndWait([&] { m_ledger.beginStep(first, end); });
}

StepTally SubscriberLoop::takeStep()
{
    StepTally tally;
    m_loop.runAndWait([&] { tally = m_ledger.takeStep(); });
    return tally;
}
