#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>

namespace sb::app {

class FaultEventLog;
class FaultStage1Control;

// pause-stage1 / resume-stage1: each running replica's stage-1 consumer paused or resumed
// (FaultStage1Control), then the effect read from Kafka each second: the stage-1 group's
// lag (log end − committed) grown past kPausedLagSeen and above its first reading, or back
// to kResumedLag or less. What it saw goes to the FaultEventLog; the watch ends with its
// `watch` object (FaultActions::startWatch).
//
// The first reading is asked for at once, beside the requests, not after they answer: under
// load the logins and POSTs take seconds, and a short pause whose lag had already grown by
// then was read as its own baseline and never seen growing.
//
// Burrow's status of the group is the console's to judge (its Kafka area keeps the windows
// of commits the rules need; the devcluster process has none): where a console runs the
// actions (the demo, --demo-script) it passes its reading as a GroupStatusSource, and the
// watch then also waits for that status to leave OK on a pause (STOP once the commits have
// been quiet longer than the window spans) and to be OK again on a resume; a resume that
// comes first ends the pause's watch, observed, with the status it still had. Without one
// (`switchboard devcluster`) the lag alone is watched.
class FaultStage1Action : public QObject
{
    Q_OBJECT
public:
    struct GroupStatus
    {
        QString status; // Burrow's name: OK, WARN, ERR, …; empty while the group is not read yet
        QString reason;
    };
    using GroupStatusSource = std::function<GroupStatus(const QByteArray &group)>;
    using Failures = QHash<QString, QString>; // replica id → why it did not take the request
    // Pauses or resumes the replicas given (id → base URL), then hands over every answer
    // together: FaultStage1Control's POSTs unless a test sets another.
    using Lever = std::function<void(const QHash<QString, QString> &replicas, bool pause, QObject *context,
        std::function<void(const Failures &)> done)>;
    // One reading of the group's lag (or -1 and why), answered by callback unless `context`
    // is gone: FaultOffsetReader::readLag in the cluster.
    using LagAnswer = std::function<void(qint64 lag, const QString &error)>;
    using LagRead = std::function<void(QObject *context, LagAnswer done)>;

    static constexpr int kLagPollMs = 1000;
    static constexpr qint64 kPausedLagSeen
        = 10; // two seconds of the demo's 20 msg/s, half a second of a burst
    static constexpr qint64 kResumedLag = 2;

    FaultStage1Action(
        FaultEventLog *log, QString adminUser, QString adminPassword, QObject *parent = nullptr);

    // `replicas`: id → base URL of those to ask; `group`: the stage-1 consumer group, whose
    // lag `readLag` reads.
    void apply(int eventId, QObject *watch, const QHash<QString, QString> &replicas, bool pause,
        const QByteArray &group, LagRead readLag);
    void setGroupStatusSource(GroupStatusSource source) { m_groupStatus = std::move(source); }
    void setLever(Lever lever) { m_lever = std::move(lever); }
    bool watchesGroupStatus() const { return bool(m_groupStatus); }

private:
    struct LagWatch; // the readings of one action
    void followLag(int eventId, QObject *watch, const std::shared_ptr<LagWatch> &lag);
    // After the lag: the status the console shows for `group`, polled until it changed as
    // the action should make it (left OK on a pause, OK on a resume).
    void followGroupStatus(int eventId, QObject *watch, bool pause, const QByteArray &group);

    FaultEventLog *m_log;
    GroupStatusSource m_groupStatus;
    Lever m_lever;
    // A pause whose lag grew, still waiting for the status: a resume ends it (observed).
    QPointer<QObject> m_pauseWaitingForStatus;
    int m_pauseEventId = 0;
    FaultStage1Control *m_control; // a child
};

} // namespace sb::app
