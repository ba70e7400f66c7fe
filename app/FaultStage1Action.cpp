#include "app/FaultStage1Action.h"

#include "app/FaultEventLog.h"
#include "app/FaultOffsetReader.h"
#include "app/FaultPolling.h"
#include "app/FaultStage1Control.h"

#include <QElapsedTimer>
#include <QPointer>

#include <memory>

namespace sb::app {

FaultStage1Action::FaultStage1Action(
    FaultEventLog *log, QString adminUser, QString adminPassword, QObject *parent)
    : QObject(parent)
    , m_log(log)
    , m_control(new FaultStage1Control(std::move(adminUser), std::move(adminPassword), this))
{ }

void FaultStage1Action::apply(int eventId, QObject *watch, const QHash<QString, QString> &replicas,
    bool pause, const QByteArray &topic, const QByteArray &group, FaultOffsetReader *offsets)
{
    QPointer<QObject> guard = watch;
    QPointer<FaultOffsetReader> offsetsGuard = offsets;
    const qsizetype count = replicas.size();
    m_control->apply(replicas, pause, watch,
        [this, guard, offsetsGuard, eventId, pause, topic, group, count](
            const QHash<QString, QString> &failures) {
            if (!guard || !offsetsGuard)
                return;
            for (auto it = failures.cbegin(); it != failures.cend(); ++it)
                m_log->observe(eventId, QStringLiteral("%1 refused: %2").arg(it.key(), it.value()));
            if (failures.size() == count) {
                m_log->finish(
                    eventId, FaultEventLog::EffectState::NotObserved, QStringLiteral("no replica took it"));
                return guard->deleteLater();
            }
            m_log->observe(eventId,
                QStringLiteral("%1 of %2 replica(s) %3")
                    .arg(count - failures.size())
                    .arg(count)
                    .arg(pause ? QStringLiteral("paused") : QStringLiteral("resumed")));
            followLag(eventId, guard, pause, topic, group, offsetsGuard);
        });
}

void FaultStage1Action::followLag(int eventId, QObject *watch, bool pause, const QByteArray &topic,
    const QByteArray &group, FaultOffsetReader *offsets)
{
    QPointer<QObject> guard = watch;
    auto first = std::make_shared<qint64>(-1);
    auto since = std::make_shared<QElapsedTimer>();
    since->start();
    pollEvery(watch, kLagPollMs, [this, guard, offsets, eventId, pause, topic, group, first, since] {
        offsets->readLag(topic, group, guard,
            [this, guard, eventId, pause, first, since](qint64 lag, const QString &error) {
                if (lag < 0) {
                    m_log->observe(eventId, QStringLiteral("cannot read the lag: ") + error);
                    return;
                }
                if (*first < 0)
                    *first = lag;
                const bool seen = pause ? lag >= kPausedLagSeen && lag > *first : lag <= kResumedLag;
                if (!seen)
                    return;
                m_log->finish(eventId, FaultEventLog::EffectState::Observed,
                    QStringLiteral("the stage-1 group's lag %1 %2 (from %3) after %4 s")
                        .arg(pause ? QStringLiteral("grew to") : QStringLiteral("back to"))
                        .arg(lag)
                        .arg(*first)
                        .arg(double(since->elapsed()) / 1000.0, 0, 'f', 1));
                guard->deleteLater();
            });
    });
}

} // namespace sb::app
