#pragma once

#include "cluster/PresenceCounter.h"
#include "cluster/RedisKeys.h"

#include <QHash>
#include <QMutex>

#include <atomic>
#include <memory>

namespace sb::cluster {

class RedisConnection;

// Connection counts per user, leased per holder (one replica boot), so that a replica that
// dies holding connections does not keep its users online for ever:
//
//   sb:presence                 hash: user -> open connections in the cluster (the total)
//   sb:presence:held:{holder}   hash: user -> the part of that total this holder counts
//   sb:presence:leases          sorted set: holder -> lease expiry (ms, Redis' clock)
//
// Each change moves the holder's count and the total together, atomically (a script), and
// renews the holder's lease. renewLease(), called every second, renews it too, and reaps
// every holder whose lease ran out: its counts are taken off the totals, its hash deleted,
// and the users whose total fell to zero are handed to the caller, who publishes "offline".
// Every replica reaps; the script is atomic, so each dead holder is reaped exactly once.
//
// This holder's own counts are mirrored in memory. When Redis lost them (a change it could
// not send, or the lease reaped while this replica was cut off for longer than the lease),
// the next renewal first puts them back from the mirror and reports who came back online.
//
// The scripts name other holders' keys themselves, so this needs one Redis (not a cluster).
class RedisPresenceCounter : public PresenceCounter
{
public:
    static constexpr int kDefaultLeaseSeconds = 5;
    static constexpr int kMaxReapedPerRenewal = 16; // bounds one script's work

    // An empty holder gets a random one (tests make several counters on one connection).
    RedisPresenceCounter(RedisConnection *redis, RedisKeys keys = RedisKeys(), QByteArray holder = {},
        int leaseSeconds = kDefaultLeaseSeconds);
    void change(const QString &user, int delta, QObject *context, std::function<void(qint64)> done) override;
    void renewLease(QObject *context, std::function<void(const PresenceChanges &)> onChanges) override;

    QByteArray holder() const { return m_holder; }

private:
    void sendSync(QObject *context, const std::function<void(const PresenceChanges &)> &onChanges);

    RedisConnection *m_redis;
    const RedisKeys m_keys;
    const QByteArray m_holder;
    const QByteArray m_leaseMs;
    QMutex m_mutex; // orders mirror updates with the commands that carry them
    QHash<QString, qint64> m_held;
    // Shared with reply handlers, which may outlive nothing but must not touch `this`.
    std::shared_ptr<std::atomic<bool>> m_needsSync = std::make_shared<std::atomic<bool>>(false);
    std::shared_ptr<std::atomic<bool>> m_renewedOnce = std::make_shared<std::atomic<bool>>(false);
};

} // namespace sb::cluster
