#include "app/FaultStage2Reading.h"

#include "app/FaultMetricsReader.h"

namespace sb::app {

namespace {
// The counters `after` is compared with: `before`, unless the replica restarted since (its
// counters went back) or was not read: then its start, all zero.
FaultStage2Reading baseOf(const FaultStage2Reading &before, const FaultStage2Reading &after)
{
    const bool sameRun
        = before.answered && after.rounds >= before.rounds && after.delivered >= before.delivered;
    return sameRun ? before : FaultStage2Reading {};
}

bool restartedSince(const FaultStage2Reading &before, const FaultStage2Reading &after)
{
    return before.answered && !baseOf(before, after).answered;
}
} // namespace

FaultStage2Reading FaultStage2Reading::from(const protocol::PrometheusTextParser::Result &metrics)
{
    FaultStage2Reading reading;
    reading.answered = true;
    for (const auto &sample : metrics.samples) {
        if (sample.name == "sb_bus_catchup_rounds_total")
            reading.channel = true;
        else if (sample.name == "sb_bus_bridge_repeats_dropped_total")
            reading.bridged = true;
    }
    reading.rounds = FaultMetricsReader::sum(metrics, "sb_bus_catchup_rounds_total");
    reading.caughtUp = FaultMetricsReader::sum(metrics, "sb_bus_catchup_delivered_total");
    reading.running = FaultMetricsReader::sum(metrics, "sb_bus_catchup_running");
    reading.delivered = FaultMetricsReader::sum(metrics, "sb_bus_delivered_total");
    return reading;
}

QString FaultStage2Reading::busName() const
{
    if (bridged)
        return QStringLiteral("kafka+redis bridge");
    return channel ? QStringLiteral("redis bus") : QStringLiteral("kafka bus");
}

bool FaultStage2Reading::settled(const FaultStage2Reading &before, const FaultStage2Reading &after)
{
    if (!after.answered)
        return false;
    if (!after.channel)
        return true;
    return after.running == 0 && after.rounds - baseOf(before, after).rounds >= 1;
}

QString FaultStage2Reading::describe(
    const QString &replica, const FaultStage2Reading &before, const FaultStage2Reading &after)
{
    if (!after.answered)
        return QStringLiteral("%1: no /metrics answer").arg(replica);
    const FaultStage2Reading base = baseOf(before, after);
    const QString counted = !before.answered ? QStringLiteral(" since its start")
        : restartedSince(before, after)      ? QStringLiteral(" since its restart")
                                             : QString();
    const qint64 delivered = qint64(after.delivered - base.delivered);
    if (!after.channel)
        return QStringLiteral("%1 (%2): missed 0, its stage-2 consumer reads on from its committed offsets "
                              "(no catch-up); %3 broadcast(s) delivered%4")
            .arg(replica, after.busName())
            .arg(delivered)
            .arg(counted);
    const qint64 caughtUp = qint64(after.caughtUp - base.caughtUp);
    // What its catch-up delivered is what it had not had live: counted, not guessed, so the
    // line says "caught up N", not "missed N".
    return QStringLiteral("%1 (%2): subscribed again, caught up %3 from stage 1 in %4 catch-up round(s) "
                          "(what pub/sub had not brought it live); %5 broadcast(s) delivered%6")
        .arg(replica, after.busName())
        .arg(caughtUp)
        .arg(qint64(after.rounds - base.rounds))
        .arg(delivered)
        .arg(counted);
}

} // namespace sb::app
