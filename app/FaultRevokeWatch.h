#pragma once

#include "app/FaultSessionReader.h"

#include <QObject>
#include <QSet>
#include <QString>

#include <functional>

namespace sb::app {

class FaultEventLog;

// The revoke action's effect: the user's sessions closed on every replica and its tokens
// revoked, as the replicas' own records in Redis say (FaultSessionReader), not merely the
// RoleUpdatedEvent delivered. The sessions and tokens the user has are read first, then the
// event is sent, then the same records are read pollMs after each answer until none of
// those sessions is held any more (its key deleted: the replica closed it; or its replica
// stopped, or it was left by an earlier run of it) and none of those tokens exists. What a
// user who logs in again (the demo's simulated users do) gets is not waited for: its new
// sessions are counted, its new tokens ignored.
// What it saw goes to the FaultEventLog: "2 session(s) of ada closed on node-1, node-2
// (…); 2 token(s) revoked", or at the deadline what is still open.
class FaultRevokeWatch : public QObject
{
    Q_OBJECT
public:
    using Reading = FaultSessionReader::Reading;
    // One read of `user`'s records: a FaultSessionReader in the cluster, a stand-in in the
    // unit test.
    using SessionRead
        = std::function<void(const QString &user, QObject *context, FaultSessionReader::Done done)>;
    // Sends the event; `delivered` (empty error: delivered) must be called on this thread.
    using Delivered = std::function<void(const QString &error)>;
    using Send = std::function<void(Delivered delivered)>;

    static constexpr int kPollMs = 500;
    static constexpr int kBeforeReadTries = 10; // the first reads wait for the Redis connection

    // `runningReplicas`: the ids of the replicas running now (a session of one that is not
    // has ended with it, whatever Redis still holds until its TTL).
    FaultRevokeWatch(FaultEventLog *log, std::function<QSet<QString>()> runningReplicas, SessionRead read,
        QObject *parent = nullptr);

    // Reads, sends, follows; finishes event `eventId` by `deadlineMs` at the latest and ends
    // with `watch` (FaultActions::startWatch).
    void revoke(int eventId, QObject *watch, int deadlineMs, const QString &user, Send send);
    void setPollMs(int ms) { m_pollMs = ms; } // tests

private:
    struct Revocation;
    void sendAndFollow(const std::shared_ptr<Revocation> &state, Send send);
    void follow(const std::shared_ptr<Revocation> &state);
    // The sessions read before that are still held now (id → node).
    QHash<QString, QString> stillOpen(const Revocation &state) const;
    // How many of the tokens read before are still in the registry now.
    static qsizetype stillValid(const Revocation &state);

    FaultEventLog *m_log;
    std::function<QSet<QString>()> m_runningReplicas;
    SessionRead m_read;
    int m_pollMs = kPollMs;
};

} // namespace sb::app
