#include "DeliveryLedger.h"

DeliveryLedger::DeliveryLedger(ChannelSpread spread)
    : m_spread(spread)
{ }

int DeliveryLedger::addSubscriber(int channel)
{
    m_seen.emplace_back();
    m_channelOf.push_back(channel);
    return int(m_seen.size()) - 1;
}

void DeliveryLedger::delivered(int subscriber, const DeliveryMarker &marker, int64_t nowMicros)
{
    m_deliveries.fetch_add(1, std::memory_order_relaxed);
    if (m_spread.channelOfMessage(marker.sequence) != m_channelOf[std::size_t(subscriber)]) {
        ++m_step.misrouted; // not what this subscriber asked for: neither received nor a duplicate
        return;
    }
    // A subscriber sees only its channel's sequence numbers, every N-th: a bit for each of
    // those, so 5,000 subscribers over 500 channels do not each keep a bit for every message.
    const uint64_t place = marker.sequence / uint64_t(m_spread.channels());
    std::vector<uint64_t> &seen = m_seen[std::size_t(subscriber)];
    const std::size_t word = std::size_t(place / 64);
    const uint64_t bit = uint64_t(1) << (place % 64);
    if (word >= seen.size())
        seen.resize(word * 2 + 1, 0);
    const bool duplicate = seen[word] & bit;
    seen[word] |= bit;
    if (marker.sequence < m_first || marker.sequence >= m_end) {
        ++m_step.outsideStep;
        if (duplicate)
            ++m_step.duplicates;
        return;
    }
    if (duplicate) {
        ++m_step.duplicates;
        return;
    }
    ++m_step.unique;
    m_step.latency.add(nowMicros - marker.sentMicros);
    m_step.lastDeliveryMicros = nowMicros;
}

void DeliveryLedger::beginStep(uint64_t first, uint64_t end)
{
    m_first = first;
    m_end = end;
    m_step.unique = 0;
    m_step.duplicates = 0;
    m_step.outsideStep = 0;
    m_step.misrouted = 0;
    m_step.lastDeliveryMicros = 0;
    m_step.latency.clear();
}

StepTally DeliveryLedger::takeStep()
{
    StepTally taken = m_step;
    beginStep(m_first, m_end);
    return taken;
}
