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
    if (!pause && m_pauseWaitingForStatus) {
        // The lag grew, but the pause ends before Burrow's rules could call it (a pause
        // shorter than the commits' window): that is what the pause showed.
        const GroupStatus now = m_groupStatus ? m_groupStatus(group) : GroupStatus {};
        m_log->finish(m_pauseEventId, FaultEventLog::EffectState::Observed,
            QStringLiteral("resumed while the Burrow status of %1 in the Kafka area was still %2 (%3)")
                .arg(QString::fromUtf8(group), now.status.isEmpty() ? QStringLiteral("unread") : now.status,
                    now.reason));
        m_pauseWaitingForStatus->deleteLater();
    }
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
    // The lag's own context in the watch: it ends once the lag is seen, and the status is
    // followed (or the watch ends).
    QPointer<QObject> lagPoll = new QObject(watch);
    auto first = std::make_shared<qint64>(-1);
    auto since = std::make_shared<QElapsedTimer>();
    since->start();
    pollEvery(
        lagPoll, kLagPollMs, [this, watch, lagPoll, offsets, eventId, pause, topic, group, first, since] {
            offsets->readLag(topic, group, lagPoll,
                [this, watch, lagPoll, eventId, pause, group, first, since](
                    qint64 lag, const QString &error) {
                    if (lag < 0) {
                        m_log->observe(eventId, QStringLiteral("cannot read the lag: ") + error);
                        return;
                    }
                    if (*first < 0)
                        *first = lag;
                    const bool seen = pause ? lag >= kPausedLagSeen && lag > *first : lag <= kResumedLag;
                    if (!seen || !lagPoll)
                        return;
                    const QString what
                        = QStringLiteral("the stage-1 group's lag %1 %2 (from %3) after %4 s")
                              .arg(pause ? QStringLiteral("grew to") : QStringLiteral("back to"))
                              .arg(lag)
                              .arg(*first)
                              .arg(double(since->elapsed()) / 1000.0, 0, 'f', 1);
                    delete lagPoll.data(); // its timer and pending reads end with it
                    if (!m_groupStatus) {
                        m_log->finish(eventId, FaultEventLog::EffectState::Observed, what);
                        return watch->deleteLater();
                    }
                    m_log->observe(eventId, what);
                    followGroupStatus(eventId, watch, pause, group);
                });
        });
}

void FaultStage1Action::followGroupStatus(int eventId, QObject *watch, bool pause, const QByteArray &group)
{
    QPointer<QObject> guard = watch;
    if (pause) {
        m_pauseWaitingForStatus = watch;
        m_pauseEventId = eventId;
    }
    auto since = std::make_shared<QElapsedTimer>();
    since->start();
    pollEvery(watch, kLagPollMs, [this, guard, eventId, pause, group, since] {
        if (!guard)
            return;
        const GroupStatus now = m_groupStatus(group);
        const bool ok = now.status == u"OK";
        if (now.status.isEmpty() || (pause ? ok || now.status == u"NOTFOUND" : !ok))
            return;
        m_log->finish(eventId, FaultEventLog::EffectState::Observed,
            QStringLiteral("Burrow status of %1 in the Kafka area %2 %3 (%4) %5 s later")
                .arg(QString::fromUtf8(group), pause ? QStringLiteral("left OK:") : QStringLiteral("back to"),
                    now.status, now.reason)
                .arg(double(since->elapsed()) / 1000.0, 0, 'f', 1));
        guard->deleteLater();
    });
}

} // namespace sb::app
