#pragma once

#include "ChannelSpread.h"
#include "ClientConnection.h"
#include "EpollLoop.h"

#include <atomic>
#include <cstdint>
#include <memory>

// The one publisher, on a loop of its own: every millisecond it sends the messages due by
// then at the step's rate, each stamped with its sequence number and the time it is
// written (so the latency measured is the server's and the subscribers', not the
// publisher's own lag; a publisher that falls behind shows as a lower sent rate). Over
// several channels (ConnectionSetup::channels) message s goes to channel s mod N, so the
// step's rate is the total over all of them.
class PublisherLoop
{
public:
    PublisherLoop(const ConnectionSetup &setup, std::size_t bodyBytes);
    ~PublisherLoop();

    void start();
    bool ready();
    std::string closeReason();
    // Publishes sequence numbers [first, first + count) at `perSecond`.
    void startStep(uint64_t first, uint64_t count, double perSecond);
    uint64_t sent() const { return m_sent.load(); }
    bool stepDone() const { return m_done.load(); }
    // Publishes answered 2xx / otherwise (HTTP publishers; STOMP SEND has no answer).
    std::pair<uint64_t, uint64_t> answers();

private:
    void tick();

    EpollLoop m_loop;
    std::unique_ptr<ClientConnection> m_connection;
    ChannelSpread m_spread;
    std::size_t m_bodyBytes;
    uint64_t m_first = 0;
    uint64_t m_count = 0;
    double m_perSecond = 0;
    int64_t m_stepStart = 0;
    std::atomic<uint64_t> m_sent { 0 };
    std::atomic<bool> m_done { true };
};
