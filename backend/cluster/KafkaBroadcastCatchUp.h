#pragma once

#include "cluster/KafkaSettings.h"

#include <QByteArray>
#include <QList>
#include <QMutex>
#include <QWaitCondition>

#include <atomic>
#include <functional>
#include <memory>

class QThread;

namespace sb::cluster {

class BroadcastSequencer;
class KafkaStage1Reader;

// With a stage-2 channel that can miss messages (Redis pub/sub), fetches what this replica
// missed from stage 1, the durable log, each time its subscription is (re)confirmed.
//
// Why it is sound: the relay sends each stage-1 partition in offset order and commits a
// record only after the channel took it. So when this replica subscribes again at time t,
// every record it may have missed has an offset between the last it delivered (+1) and the
// partition's end E read after t: anything sent after t reaches it live. Once the stage-1
// group's commit reaches E, every one of those records has been sent — before t (missed:
// read here) or after (live, held back meanwhile by the BroadcastSequencer). The round then
// reads [resume, E) from stage 1 and the sequencer delivers what it did not have, in order.
//
// Where "nothing delivered yet" starts: the stage-1 group's committed offsets read before
// the channel first subscribes (everything below them was sent before this replica
// listened), so start() reads those first and only then starts the channel.
//
// One thread of its own: every Kafka call here blocks (bounded), never a worker.
class KafkaBroadcastCatchUp
{
public:
    KafkaBroadcastCatchUp(KafkaSettings settings, QByteArray topic, QByteArray group, QByteArray clientId,
        BroadcastSequencer *sequencer);
    ~KafkaBroadcastCatchUp();

    // Starts the thread; `floorKnown` runs on it once the starting offsets are read, and
    // `firstCaughtUp` once the first round completed (see hasCaughtUp()).
    void start(std::function<void()> floorKnown, std::function<void()> firstCaughtUp = {});
    // Thread-safe: the channel confirmed a subscription; a round follows.
    void request();
    void stop();

    quint64 rounds() const { return m_rounds.load(); }
    bool isRunningRound() const { return m_inRound.load(); }
    // A round completed since start: what stage 1 held when the channel first subscribed is
    // delivered. Until then this replica may still hand its clients records relayed before
    // it listened (read from the group's commits, which lag during rebalances), so it is
    // not ready: a client that moved here with `since` would get them again.
    bool hasCaughtUp() const { return m_caughtUpOnce.load(); }

private:
    void run();
    bool readFloor();
    bool round();
    bool pause(int ms);

    const QByteArray m_topic;
    BroadcastSequencer *m_sequencer;
    std::unique_ptr<KafkaStage1Reader> m_reader;
    std::function<void()> m_floorKnown;
    std::function<void()> m_firstCaughtUp;
    QList<qint64> m_floor; // per partition
    QThread *m_thread = nullptr;
    QMutex m_mutex;
    QWaitCondition m_wake;
    int m_requests = 0;
    std::atomic<bool> m_stopping { false };
    std::atomic<bool> m_inRound { false };
    std::atomic<bool> m_caughtUpOnce { false };
    std::atomic<quint64> m_rounds { 0 };
};

} // namespace sb::cluster
