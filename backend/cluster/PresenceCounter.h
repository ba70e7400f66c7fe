#pragma once

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>

namespace sb::cluster {

// Users whose cluster-wide presence changed outside a connection's own open or close: a
// replica that died holding their last connections (wentOffline), or this replica's
// counts put back after Redis had lost them (cameOnline). Whoever receives it publishes
// the presence events.
struct PresenceChanges
{
    QStringList wentOffline;
    QStringList cameOnline;

    bool isEmpty() const { return wentOffline.isEmpty() && cameOnline.isEmpty(); }
};

// Port: counts each user's open connections across the cluster, so presence says
// "online" on the first connection anywhere and "offline" after the last one closes.
// Thread-safe; callbacks get the count after the change, on `context`'s thread: -1 when
// it is unknown (the store did not answer), kUnchanged when the change changed nothing
// (a close this replica did not count), so no event is due.
//
// What a replica counts is leased: renewLease() (every second) keeps its counts alive and
// takes away those of replicas that stopped renewing (killed -9, frozen, cut off), so a
// dead replica's users do not stay online for ever.
class PresenceCounter
{
public:
    static constexpr qint64 kUnchanged = -2;

    virtual ~PresenceCounter() = default;
    virtual void change(
        const QString &user, int delta, QObject *context, std::function<void(qint64 count)> done)
        = 0;
    // `onChanges` runs on `context`'s thread for each answer that changed someone's presence.
    virtual void renewLease(QObject *context, std::function<void(const PresenceChanges &)> onChanges) = 0;
};

} // namespace sb::cluster
