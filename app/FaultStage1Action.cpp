#include "app/FaultStage1Action.h"

#include "app/FaultEventLog.h"
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

// The readings of one pause or resume: the first is the baseline growth is measured from.
struct FaultStage1Action::LagWatch
{
    bool pause = false;
    QByteArray group;
    LagRead read;
    QPointer<QObject> poll; // the readings' context inside the watch: gone once the lag is seen
    qint64 first = -1; // read as the requests went out (or, if that failed, the first after)
    QElapsedTimer since; // from the moment the action was taken
};

void FaultStage1Action::apply(int eventId, QObject *watch, const QHash<QString, QString> &replicas,
    bool pause, const QByteArray &group, LagRead readLag)
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
    auto lag = std::make_shared<LagWatch>();
    lag->pause = pause;
    lag->group = group;
    lag->read = std::move(readLag);
    lag->poll = new QObject(watch);
    lag->since.start();
    // The baseline now, beside the requests: the probe answers in the order asked, so it
    // comes before any reading taken once they answered.
    lag->read(lag->poll, [lag](qint64 value, const QString &) {
        if (value >= 0 && lag->first < 0)
            lag->first = value;
    });
    QPointer<QObject> guard = watch;
    const qsizetype count = replicas.size();
    auto answered = [this, guard, eventId, pause, count, lag](const Failures &failures) {
        if (!guard || !lag->poll)
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
        followLag(eventId, guard, lag);
    };
    if (m_lever)
        m_lever(replicas, pause, watch, std::move(answered));
    else
        m_control->apply(replicas, pause, watch, std::move(answered));
}

void FaultStage1Action::followLag(int eventId, QObject *watch, const std::shared_ptr<LagWatch> &lag)
{
    pollEvery(lag->poll, kLagPollMs, [this, watch, eventId, lag] {
        lag->read(lag->poll, [this, watch, eventId, lag](qint64 value, const QString &error) {
            if (value < 0) {
                m_log->observe(eventId, QStringLiteral("cannot read the lag: ") + error);
                return;
            }
            if (lag->first < 0)
                lag->first = value;
            const bool seen
                = lag->pause ? value >= kPausedLagSeen && value > lag->first : value <= kResumedLag;
            if (!seen || !lag->poll)
                return;
            const QString what = QStringLiteral("the stage-1 group's lag %1 %2 (from %3) %4 s after the %5")
                                     .arg(lag->pause ? QStringLiteral("grew to") : QStringLiteral("back to"))
                                     .arg(value)
                                     .arg(lag->first)
                                     .arg(double(lag->since.elapsed()) / 1000.0, 0, 'f', 1)
                                     .arg(lag->pause ? QStringLiteral("pause") : QStringLiteral("resume"));
            delete lag->poll.data(); // its timer and pending reads end with it
            if (!m_groupStatus) {
                m_log->finish(eventId, FaultEventLog::EffectState::Observed, what);
                return watch->deleteLater();
            }
            m_log->observe(eventId, what);
            followGroupStatus(eventId, watch, lag->pause, lag->group);
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
