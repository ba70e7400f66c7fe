#include "StepResult.h"

#include <cstdio>

std::string StepResult::invalidBecause() const
{
    const double generatorCpu = windowSeconds > 0 ? 100.0 * generatorCpuSeconds / windowSeconds : 0;
    if (generatorCpu >= 90 || (ceilingCpu > 0 && generatorCpu >= 0.9 * ceilingCpu))
        return "generator-cpu";
    if (ceiling > 0 && deliveriesPerSecond() >= 0.9 * ceiling)
        return "generator-ceiling";
    return {};
}

std::string StepResult::line() const
{
    const auto ms = [](int64_t micros) { return double(micros) / 1000.0; };
    const double window = windowSeconds > 0 ? windowSeconds : 1;
    const std::string invalid = invalidBecause();
    char text[1024];
    std::snprintf(text, sizeof text,
        "step rate=%.0f sent=%llu subscribers=%d expected=%llu received=%llu deliveries_per_s=%.0f "
        "p50_ms=%.2f p90_ms=%.2f "
        "p99_ms=%.2f max_ms=%.2f loss=%llu dup=%llu misrouted=%llu late=%llu closed=%d server_cpu_pct=%.1f "
        "server_cpu_ms_per_10k=%.2f server_rss_kib=%lld slow_consumer_drops=%.0f generator_cpu_pct=%.1f "
        "window_s=%.2f publishes_refused=%llu publisher=%s valid=%s",
        rate, (unsigned long long)sent, subscribers, (unsigned long long)expected,
        (unsigned long long)tally.unique, deliveriesPerSecond(), ms(tally.latency.percentileMicros(0.5)),
        ms(tally.latency.percentileMicros(0.9)), ms(tally.latency.percentileMicros(0.99)),
        ms(tally.latency.maxMicros()), (unsigned long long)losses(), (unsigned long long)tally.duplicates,
        (unsigned long long)tally.misrouted, (unsigned long long)tally.outsideStep, closedDuring,
        100.0 * serverCpuSeconds / window,
        tally.unique > 0 ? serverCpuSeconds * 1000.0 * 10000.0 / double(tally.unique) : 0.0,
        (long long)serverResidentKiB, slowConsumerDrops, 100.0 * generatorCpuSeconds / window, windowSeconds,
        (unsigned long long)publishesRefused, publisherOpen ? "open" : "closed",
        invalid.empty() ? "yes" : invalid.c_str());
    return text;
}
