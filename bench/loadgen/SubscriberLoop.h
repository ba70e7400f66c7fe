#pragma once

#include "ChannelSpread.h"
#include "ClientConnection.h"
#include "DeliveryLedger.h"
#include "EpollLoop.h"

#include <memory>
#include <string>
#include <vector>

// A share of the subscribers on one loop thread: opens them a few at a time (so the
// server's listen backlog never overflows into SYN retransmits, which would be counted as
// connect time), sends their STOMP heart-beats, and accounts their deliveries. Its
// subscribers are the run's numbers [firstIndex, firstIndex + subscribers), each on the
// channel ChannelSpread gives that number.
class SubscriberLoop
{
public:
    struct Counts
    {
        int ready = 0;
        int closed = 0;
        int pending = 0; // connecting or handshaking
        std::vector<int64_t> connectMicros; // of the ready ones
        std::vector<int> readyPerChannel; // ConnectionSetup::channels entries
        std::string lastCloseReason;
    };

    SubscriberLoop(const ConnectionSetup &setup, int subscribers, int firstIndex = 0);
    ~SubscriberLoop();

    void start();
    Counts counts();
    void beginStep(uint64_t first, uint64_t end);
    StepTally takeStep();
    uint64_t deliveries() const { return m_ledger.deliveries(); }

private:
    void tick();

    ConnectionSetup m_setup;
    int m_target;
    int m_firstIndex;
    ChannelSpread m_spread;
    EpollLoop m_loop;
    DeliveryLedger m_ledger;
    std::vector<std::unique_ptr<ClientConnection>> m_connections;
    int64_t m_lastHeartBeat = 0;
};
