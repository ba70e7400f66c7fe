#include "LoadRun.h"

#include "ChannelSpread.h"
#include "MonotonicClock.h"
#include "NodeSession.h"
#include "ProcessStats.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>
#include <unistd.h>

namespace {
void sleepMs(int ms)
{
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
}

double percentileMs(std::vector<int64_t> values, double fraction)
{
    if (values.empty())
        return 0;
    const auto index = std::size_t(fraction * double(values.size() - 1));
    std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(index), values.end());
    return double(values[index]) / 1000.0;
}
} // namespace

LoadRun::LoadRun(const LoadgenOptions &options)
    : m_options(options)
{ }

SubscriberLoop::Counts LoadRun::counts()
{
    SubscriberLoop::Counts total;
    for (const auto &loop : m_subscribers) {
        const SubscriberLoop::Counts mine = loop->counts();
        total.ready += mine.ready;
        total.closed += mine.closed;
        total.pending += mine.pending;
        total.readyPerChannel.resize(mine.readyPerChannel.size(), 0);
        for (std::size_t channel = 0; channel < mine.readyPerChannel.size(); ++channel)
            total.readyPerChannel[channel] += mine.readyPerChannel[channel];
        total.connectMicros.insert(
            total.connectMicros.end(), mine.connectMicros.begin(), mine.connectMicros.end());
        if (!mine.lastCloseReason.empty())
            total.lastCloseReason = mine.lastCloseReason;
    }
    return total;
}

uint64_t LoadRun::deliveries() const
{
    uint64_t total = 0;
    for (const auto &loop : m_subscribers)
        total += loop->deliveries();
    return total;
}

bool LoadRun::open()
{
    ConnectionSetup setup;
    setup.kind = m_options.kind;
    setup.host = m_options.host;
    setup.port = m_options.port;
    setup.heartBeatMs = m_options.heartBeatMs;
    setup.delayedAcks = m_options.delayedAcks;
    setup.discardSequence = m_options.discardSequence;
    setup.channels = m_options.channels;
    std::vector<std::string> tokens { std::string() };
    if (isNode(m_options.kind)) {
        tokens = NodeSession::demoTokens(m_options.host, m_options.port);
        if (tokens.empty()) {
            std::fprintf(stderr,
                "login failed: is the node running with --demo-users, or (--channels) a users file "
                "with alice, bob, carol and admin (bench/compare/servers.sh)?\n");
            return false;
        }
    }
    m_residentBeforeKiB = ProcessStats::of(m_options.serverPid).residentKiB;
    // Each loop's subscribers log in as one demo user (the node caps SSE streams per user:
    // bench/compare raises --limit-sse-per-user), the publisher as the last one (admin).
    const int threads = std::min(m_options.threads, m_options.subscribers);
    const int64_t started = monotonicMicros();
    int firstIndex = 0;
    for (int i = 0; i < threads; ++i) {
        ConnectionSetup mine = setup;
        // Not the publisher's user: the node sends a user's SSE stream no notification of its own messages.
        mine.bearerToken = tokens[std::size_t(i) % std::max<std::size_t>(1, tokens.size() - 1)];
        const int share = m_options.subscribers / threads + (i < m_options.subscribers % threads ? 1 : 0);
        m_subscribers.push_back(std::make_unique<SubscriberLoop>(mine, share, firstIndex));
        m_subscribers.back()->start();
        firstIndex += share;
    }
    setup.bearerToken = tokens.back();
    setup.heartBeatMs = 0;
    if (m_options.publishPort > 0)
        setup.port = m_options.publishPort;
    m_publisher = std::make_unique<PublisherLoop>(setup, m_options.bodyBytes);
    m_publisher->start();

    const int64_t deadline = started + int64_t(30 + m_options.subscribers / 100) * 1'000'000;
    SubscriberLoop::Counts now;
    for (;;) {
        now = counts();
        if (now.pending == 0 || monotonicMicros() > deadline)
            break;
        sleepMs(20);
    }
    // A publisher whose connection closed (refused, a failed login) will not become ready.
    while (!m_publisher->ready() && m_publisher->closeReason().empty() && monotonicMicros() < deadline)
        sleepMs(20);
    const double seconds = double(monotonicMicros() - started) / 1e6;
    std::printf(
        "connected ready=%d closed=%d pending=%d of=%d in_s=%.2f connect_p50_ms=%.2f connect_p99_ms=%.2f "
        "connect_max_ms=%.2f publisher=%s\n",
        now.ready, now.closed, now.pending, m_options.subscribers, seconds,
        percentileMs(now.connectMicros, 0.5), percentileMs(now.connectMicros, 0.99),
        percentileMs(now.connectMicros, 1.0),
        m_publisher->ready() ? "ready" : m_publisher->closeReason().c_str());
    if (now.ready < m_options.subscribers || !m_publisher->ready()) {
        std::fprintf(stderr, "not every client is ready; last close: %s\n", now.lastCloseReason.c_str());
        return false;
    }
    return true;
}

StepResult LoadRun::runStep(double rate)
{
    StepResult result;
    result.rate = rate;
    result.ceiling = m_options.ceiling;
    result.ceilingCpu = m_options.ceilingCpu;
    const SubscriberLoop::Counts before = counts();
    result.subscribers = before.ready;
    const auto count = uint64_t(rate * m_options.stepSeconds);
    const uint64_t first = m_nextSequence;
    m_nextSequence += count;
    // What each channel's ready subscribers are owed of its share of the messages.
    result.expected
        = ChannelSpread(m_options.channels).expectedDeliveries(first, count, before.readyPerChannel);
    for (const auto &loop : m_subscribers)
        loop->beginStep(first, first + count);
    std::optional<double> dropsBefore;
    if (isNode(m_options.kind))
        dropsBefore = NodeSession::slowConsumerDrops(m_options.host, m_options.port);

    const ProcessStats server0 = ProcessStats::of(m_options.serverPid);
    const ProcessStats generator0 = ProcessStats::of(::getpid());
    const uint64_t delivered0 = deliveries();
    const int64_t start = monotonicMicros();
    m_publisher->startStep(first, count, rate);

    // The CPU figures are taken at the last moment deliveries progressed, so a step that
    // waits out its drain for missing deliveries is not diluted by the idle wait.
    ProcessStats serverAtProgress = server0;
    ProcessStats generatorAtProgress = generator0;
    int64_t progressAt = start;
    uint64_t lastDelivered = delivered0;
    for (;;) {
        sleepMs(10);
        const uint64_t delivered = deliveries();
        const int64_t now = monotonicMicros();
        if (delivered != lastDelivered) {
            lastDelivered = delivered;
            progressAt = now;
            serverAtProgress = ProcessStats::of(m_options.serverPid);
            generatorAtProgress = ProcessStats::of(::getpid());
        }
        if (!m_publisher->stepDone())
            continue;
        if (delivered - delivered0 >= result.expected)
            break;
        if (double(now - std::max(progressAt, start)) / 1e6 > m_options.drainSeconds)
            break;
        // A server that keeps delivering a backlog slowly: what has not come by then counts as lost.
        if (double(now - start) / 1e6 > 3 * m_options.stepSeconds + m_options.drainSeconds)
            break;
    }
    for (const auto &loop : m_subscribers)
        result.tally.merge(loop->takeStep());
    result.sent = m_publisher->sent();
    result.publishesRefused = m_publisher->answers().second;
    result.publisherOpen = m_publisher->ready();
    if (!result.publisherOpen)
        std::fprintf(stderr, "the publisher's connection closed: %s\n", m_publisher->closeReason().c_str());
    const int64_t end = result.tally.lastDeliveryMicros > 0 ? result.tally.lastDeliveryMicros : progressAt;
    result.windowSeconds = double(end - start) / 1e6;
    result.serverCpuSeconds = serverAtProgress.cpuSeconds - server0.cpuSeconds;
    result.generatorCpuSeconds = generatorAtProgress.cpuSeconds - generator0.cpuSeconds;
    result.serverResidentKiB = ProcessStats::of(m_options.serverPid).residentKiB;
    result.closedDuring = counts().closed - before.closed;
    if (dropsBefore) {
        if (const auto dropsAfter = NodeSession::slowConsumerDrops(m_options.host, m_options.port))
            result.slowConsumerDrops = *dropsAfter - *dropsBefore;
    }
    return result;
}

int LoadRun::holdIdle()
{
    // Let the server settle what the opening allocated before reading its memory.
    sleepMs(3000);
    const ProcessStats opened = ProcessStats::of(m_options.serverPid);
    const int ready = counts().ready;
    std::printf(
        "idle connections=%d server_rss_before_kib=%lld server_rss_open_kib=%lld kib_per_connection=%.2f\n",
        ready, (long long)m_residentBeforeKiB, (long long)opened.residentKiB,
        ready > 0 ? double(opened.residentKiB - m_residentBeforeKiB) / ready : 0.0);
    const int64_t start = monotonicMicros();
    while (double(monotonicMicros() - start) / 1e6 < m_options.idleSeconds)
        sleepMs(500);
    const ProcessStats held = ProcessStats::of(m_options.serverPid);
    const SubscriberLoop::Counts after = counts();
    const double seconds = double(monotonicMicros() - start) / 1e6;
    std::printf(
        "held_s=%.0f still_open=%d closed=%d server_cpu_pct=%.2f server_rss_kib=%lld last_close=\"%s\"\n",
        seconds, after.ready, after.closed, 100.0 * (held.cpuSeconds - opened.cpuSeconds) / seconds,
        (long long)held.residentKiB, after.lastCloseReason.c_str());
    return after.closed == 0 ? 0 : 1;
}

int LoadRun::run()
{
    std::printf("target=%s subscribers=%d channels=%d threads=%d body_bytes=%zu ncpu=%ld acks=%s\n",
        std::string(targetKindName(m_options.kind)).c_str(), m_options.subscribers, m_options.channels,
        m_options.threads, m_options.bodyBytes, sysconf(_SC_NPROCESSORS_ONLN),
        m_options.delayedAcks ? "delayed" : "default");
    std::fflush(stdout);
    if (!open())
        return 1;
    if (m_options.idleSeconds > 0)
        return holdIdle();
    bool lossOrDuplicate = false;
    for (const double rate : m_options.rates) {
        const StepResult result = runStep(rate);
        std::printf("%s\n", result.line().c_str());
        std::fflush(stdout);
        lossOrDuplicate = lossOrDuplicate || result.losses() > 0 || result.tally.duplicates > 0
            || result.tally.misrouted > 0;
        if (m_options.stopAfterLoss && result.losses() > 0)
            break; // higher rates would only lose more, and the backlog would blur them
    }
    if (m_options.settleSeconds > 0) {
        sleepMs(int(m_options.settleSeconds * 1000));
        std::printf("settled after_s=%.0f server_rss_kib=%lld\n", m_options.settleSeconds,
            (long long)ProcessStats::of(m_options.serverPid).residentKiB);
    }
    return m_options.failOnLoss && lossOrDuplicate ? 1 : 0;
}
