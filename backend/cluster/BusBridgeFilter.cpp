#include "cluster/BusBridgeFilter.h"

#include "cluster/KafkaLog.h"

#include <QDeadlineTimer>

#include <chrono>

namespace sb::cluster {

BusBridgeFilter::BusBridgeFilter(EventBus::Handler deliver, int capacity, int orderWaitMs)
    : m_deliver(std::move(deliver))
    , m_capacity(capacity)
    , m_orderWaitMs(std::max(0, orderWaitMs))
{
    if (m_orderWaitMs > 0)
        m_timer = std::thread([this] { runTimer(); });
}

BusBridgeFilter::~BusBridgeFilter()
{
    stop();
}

void BusBridgeFilter::stop()
{
    {
        const QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_wake.wakeAll();
    }
    if (m_timer.joinable())
        m_timer.join();
}

void BusBridgeFilter::deliver(const QByteArray &payload, const BusHop &hop, BroadcastOrigin origin)
{
    const QMutexLocker lock(&m_mutex);
    if (!origin.isValid()) {
        handOn(payload, hop);
        return;
    }
    if (isRepeat(origin))
        return;
    Partition &partition = m_partitions[origin.partition];
    if (partition.next >= 0 && origin.offset < partition.next) {
        // A later one of its partition went out already (no wait, or its wait ran out).
        ++m_late;
        handOn(payload, hop);
        return;
    }
    if (m_orderWaitMs == 0 || partition.next < 0 || origin.offset == partition.next) {
        handOn(payload, hop);
        partition.next = origin.offset + 1;
        deliverWaiting(partition, false);
        return;
    }
    const qint64 deadline = nowMs() + m_orderWaitMs;
    const bool added = partition.waiting
                           .try_emplace(origin.offset,
                               Waiting { payload, hop.topic.toByteArray(), hop.key.toByteArray(),
                                   hop.partition, hop.offset, hop.medium, deadline, m_arrivals })
                           .second;
    if (!added) {
        // Its first copy still waits (its origin left the repeat window, which holds
        // `capacity` origins, before its wait ran out): a second copy all the same.
        ++m_repeats;
        return;
    }
    ++m_orderWaits;
    m_deadlines.emplace(std::pair { deadline, m_arrivals++ }, origin.partition);
    if (int(m_deadlines.size()) > m_capacity) {
        ++m_orderWaitsExpired; // memory stays bounded: this partition's go out now
        deliverWaiting(partition, true);
    }
    m_wake.wakeAll();
}

bool BusBridgeFilter::isRepeat(BroadcastOrigin origin)
{
    const std::pair<int, qint64> key { origin.partition, origin.offset };
    if (m_seen.contains(key)) {
        ++m_repeats;
        return true;
    }
    m_seen.insert(key);
    m_order.push_back(key);
    if (int(m_order.size()) > m_capacity) {
        m_seen.remove(m_order.front());
        m_order.pop_front();
    }
    return false;
}

void BusBridgeFilter::handOn(const QByteArray &payload, const BusHop &hop)
{
    ++m_delivered;
    if (m_deliver)
        m_deliver(payload, hop);
}

// Hands on the partition's waiting records from its next expected offset on,
// while they follow one another; with `all`, every one of them, over the gaps.
void BusBridgeFilter::deliverWaiting(Partition &partition, bool all)
{
    while (!partition.waiting.empty()) {
        auto first = partition.waiting.begin();
        if (!all && first->first != partition.next)
            break;
        const qint64 offset = first->first;
        const Waiting waiting = std::move(first->second);
        partition.waiting.erase(first);
        m_deadlines.erase({ waiting.deadline, waiting.arrival });
        partition.next = offset + 1;
        handOn(waiting.payload,
            BusHop { .medium = waiting.medium,
                .topic = waiting.topic,
                .partition = waiting.hopPartition,
                .offset = waiting.hopOffset,
                .key = waiting.key });
    }
}

// Each partition whose earliest waiting record is due: all it holds goes out
// (which takes that record out of m_deadlines), earliest deadline first.
void BusBridgeFilter::expire()
{
    const qint64 now = nowMs();
    while (!m_deadlines.empty() && m_deadlines.begin()->first.first <= now) {
        const int id = m_deadlines.begin()->second;
        Partition &partition = m_partitions[id];
        ++m_orderWaitsExpired;
        qCInfo(lcKafka,
            "bridged stage 2: stage-1 partition %d offset %lld not heard within "
            "%d ms; %lld later "
            "record(s) delivered without it",
            id, static_cast<long long>(partition.next), m_orderWaitMs,
            static_cast<long long>(partition.waiting.size()));
        deliverWaiting(partition, true);
    }
}

void BusBridgeFilter::runTimer()
{
    const QMutexLocker lock(&m_mutex);
    while (!m_stopping) {
        expire();
        if (m_deadlines.empty())
            m_wake.wait(&m_mutex);
        else
            m_wake.wait(
                &m_mutex, QDeadlineTimer(std::max<qint64>(0, m_deadlines.begin()->first.first - nowMs())));
    }
}

qint64 BusBridgeFilter::nowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

} // namespace sb::cluster
