#include "app/FaultStage2Watch.h"

#include "app/FaultEventLog.h"
#include "app/FaultMetricsReader.h"
#include "app/FaultPolling.h"

#include <QPointer>

namespace sb::app {

FaultStage2Watch::FaultStage2Watch(FaultEventLog *log, QObject *parent)
    : QObject(parent)
    , m_log(log)
    , m_metrics(new FaultMetricsReader(this))
{ }

void FaultStage2Watch::read(
    const QHash<QString, QString> &replicas, QObject *context, std::function<void(const Readings &)> done)
{
    m_metrics->read(replicas, context, [done = std::move(done)](const FaultMetricsReader::Metrics &metrics) {
        Readings readings;
        for (auto it = metrics.cbegin(); it != metrics.cend(); ++it)
            readings.insert(it.key(), FaultStage2Reading::from(it.value()));
        done(readings);
    });
}

void FaultStage2Watch::report(int eventId, QObject *watch, const QHash<QString, QString> &replicas,
    const Readings &before, std::function<void()> done)
{
    pollAfterEachAnswer(watch, kPollMs,
        [this, eventId, watch, replicas, before, done](const std::function<void(bool)> &answered) {
            read(replicas, watch, [this, eventId, replicas, before, done, answered](const Readings &after) {
                for (auto it = replicas.cbegin(); it != replicas.cend(); ++it)
                    if (!FaultStage2Reading::settled(before.value(it.key()), after.value(it.key())))
                        return answered(false);
                QStringList ids = replicas.keys();
                ids.sort();
                for (const QString &id : std::as_const(ids))
                    m_log->observe(
                        eventId, FaultStage2Reading::describe(id, before.value(id), after.value(id)));
                answered(true);
                done();
            });
        });
}

} // namespace sb::app
