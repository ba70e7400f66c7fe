#pragma once

#include <QByteArray>
#include <QHash>
#include <QObject>
#include <QString>

namespace sb::app {

class FaultEventLog;
class FaultOffsetReader;
class FaultStage1Control;

// pause-stage1 / resume-stage1: each running replica's stage-1 consumer paused or resumed
// (FaultStage1Control), then the effect read from Kafka each second: the stage-1 group's
// lag (log end − committed) grown past kPausedLagSeen and above its first reading, or back
// to kResumedLag or less. What it saw goes to the FaultEventLog; the watch ends with its
// `watch` object (FaultActions::startWatch).
class FaultStage1Action : public QObject
{
    Q_OBJECT
public:
    static constexpr int kLagPollMs = 1000;
    static constexpr qint64 kPausedLagSeen
        = 10; // two seconds of the demo's 20 msg/s, half a second of a burst
    static constexpr qint64 kResumedLag = 2;

    FaultStage1Action(
        FaultEventLog *log, QString adminUser, QString adminPassword, QObject *parent = nullptr);

    // `replicas`: id → base URL of those to ask; `topic` and `group`: the stage-1 topic and
    // its consumer group, whose lag `offsets` reads.
    void apply(int eventId, QObject *watch, const QHash<QString, QString> &replicas, bool pause,
        const QByteArray &topic, const QByteArray &group, FaultOffsetReader *offsets);

private:
    void followLag(int eventId, QObject *watch, bool pause, const QByteArray &topic, const QByteArray &group,
        FaultOffsetReader *offsets);

    FaultEventLog *m_log;
    FaultStage1Control *m_control; // a child
};

} // namespace sb::app
