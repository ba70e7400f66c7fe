#include "app/FaultLoadWatch.h"

#include "app/FaultEventLog.h"
#include "app/FaultMetricsReader.h"
#include "app/FaultPolling.h"

#include <QElapsedTimer>
#include <QList>
#include <QPointer>

#include <memory>

namespace sb::app {

FaultLoadWatch::FaultLoadWatch(
    FaultEventLog *log, std::function<QHash<QString, QString>()> runningReplicas, QObject *parent)
    : QObject(parent)
    , m_log(log)
    , m_runningReplicas(std::move(runningReplicas))
    , m_metrics(new FaultMetricsReader(this))
{ }

void FaultLoadWatch::burst(
    int eventId, QObject *watch, const protocol::FaultRequest &request, std::function<bool(QString *)> start)
{
    const int burstMs = request.seconds * 1000;
    QPointer<QObject> guard = watch;
    // Inbound messages summed over the replicas at each reading; a reading some replica did
    // not answer is skipped (its counter missing would look like a fall). Reading 0 is taken
    // before the burst, reading 1 a step later gives the rate before it; the burst starts then.
    struct Reading
    {
        qint64 atMs;
        double in;
    };
    struct BurstState
    {
        QList<Reading> readings;
        double before = -1;
        double peak = 0;
        qint64 startMs = -1;
        QElapsedTimer since;
    };
    auto state = std::make_shared<BurstState>();
    state->since.start();
    pollEvery(watch, kMetricsPollMs, [this, guard, start, state, burstMs, eventId, request] {
        const QHash<QString, QString> replicas = m_runningReplicas();
        m_metrics->read(replicas, guard,
            [this, guard, start, state, burstMs, eventId, request, expected = replicas.size()](
                const FaultMetricsReader::Metrics &metrics) {
                if (!guard || metrics.size() != expected || expected == 0)
                    return;
                double in = 0;
                for (const auto &replica : metrics)
                    in += FaultMetricsReader::sum(
                        replica, "sb_messages_total", "direction", QStringLiteral("in"));
                const qint64 now = state->since.elapsed();
                if (!state->readings.isEmpty()) {
                    const Reading &last = state->readings.last();
                    const double rate = (in - last.in) * 1000.0 / double(qMax<qint64>(1, now - last.atMs));
                    if (state->startMs < 0) {
                        state->before = rate;
                        QString why;
                        if (!start(&why)) {
                            m_log->finish(eventId, FaultEventLog::EffectState::NotObserved,
                                QStringLiteral("the burst could not start: ") + why);
                            return guard->deleteLater();
                        }
                        state->startMs = now;
                        m_log->observe(eventId,
                            QStringLiteral("inbound before the burst: %1 msg/s").arg(qRound(state->before)));
                    } else if (last.atMs < state->startMs + burstMs) { // a step that began during the burst
                        state->peak = qMax(state->peak, rate);
                        if (state->peak >= 2.0 * qMax(state->before, 1.0)) {
                            m_log->finish(eventId, FaultEventLog::EffectState::Observed,
                                QStringLiteral("inbound across the replicas: %1 msg/s during the burst (x%2 "
                                               "asked), %3 msg/s before it")
                                    .arg(qRound(state->peak))
                                    .arg(request.factor)
                                    .arg(qRound(state->before)));
                            return guard->deleteLater();
                        }
                    } else {
                        m_log->finish(eventId, FaultEventLog::EffectState::NotObserved,
                            QStringLiteral(
                                "no rise seen: at most %1 msg/s during the burst, %2 msg/s before it")
                                .arg(qRound(state->peak))
                                .arg(qRound(state->before)));
                        return guard->deleteLater();
                    }
                }
                state->readings.append({ now, in });
            });
    });
}

void FaultLoadWatch::slowConsumer(
    int eventId, QObject *watch, const QString &replica, const QString &replicaUrl)
{
    QPointer<QObject> guard = watch;
    auto baseline = std::make_shared<double>(-1);
    auto since = std::make_shared<QElapsedTimer>();
    since->start();
    pollEvery(watch, kMetricsPollMs, [this, guard, baseline, since, replica, replicaUrl, eventId] {
        m_metrics->read({ { replica, replicaUrl } }, guard,
            [this, guard, baseline, since, replica, eventId](const FaultMetricsReader::Metrics &metrics) {
                if (!guard || !metrics.contains(replica))
                    return;
                const double dropped = FaultMetricsReader::sum(
                    metrics.value(replica), "sb_dropped_total", "reason", QStringLiteral("slow_consumer"));
                if (*baseline < 0) {
                    *baseline = dropped;
                    return;
                }
                if (dropped <= *baseline)
                    return;
                m_log->finish(eventId, FaultEventLog::EffectState::Observed,
                    QStringLiteral("%1 dropped a slow consumer after %2 s "
                                   "(sb_dropped_total{reason=\"slow_consumer\"} %3 → %4)")
                        .arg(replica)
                        .arg(since->elapsed() / 1000)
                        .arg(*baseline)
                        .arg(dropped));
                guard->deleteLater();
            });
    });
}

} // namespace sb::app
