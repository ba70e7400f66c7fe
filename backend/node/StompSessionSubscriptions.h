#pragma once

#include "node/ReplaySeam.h"
#include "node/StompSubscription.h"
#include "protocol/StompFrame.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QString>

#include <optional>

namespace sb::cluster {
struct ReplayResult;
}

namespace sb::node {

struct AuthenticatedUser;
class ChannelPolicy;
class NodeMetrics;
class StompSubscriber;
class SubscriptionTable;

// One STOMP session's subscriptions: what SUBSCRIBE and UNSUBSCRIBE must carry and may ask
// for (ChannelPolicy decides where), their place in the worker's SubscriptionTable and in
// the sb_subscriptions gauge, and the ReplaySeam of each that asked for history (`since`):
// live messages wait until the history is in, and none is lost or repeated at the seam.
// A refusal comes back as the ERROR message and the reason to count; the session sends it.
class StompSessionSubscriptions
{
public:
    struct Refusal
    {
        QString message;
        QByteArray dropReason; // "forbidden" is an authorisation failure too
    };
    // A subscription that asked for what it missed: its channel's history after `since`.
    struct Recovery
    {
        QByteArray subscriptionId;
        QString channel;
        QString since;
    };

    // All outlive the session; `subscriber` is the session, as the table delivers to it.
    StompSessionSubscriptions(StompSubscriber *subscriber, SubscriptionTable *table,
        const ChannelPolicy *policy, NodeMetrics *metrics, int maxPerSession);

    // SUBSCRIBE by `user`: checked, authorised and live, or refused. *recovery is set when
    // the subscription asked for history, which the caller reads and hands to recovered().
    std::optional<Refusal> subscribe(
        const AuthenticatedUser &user, const protocol::StompFrame &frame, std::optional<Recovery> *recovery);
    std::optional<Refusal> unsubscribe(const protocol::StompFrame &frame);
    // A live message for `subscription`: Deliver it now, or not (Held until the history is
    // in, a Duplicate of one it replayed, or Overflow: it fell too far behind meanwhile).
    ReplaySeam::Live offer(const StompSubscription &subscription, const QString &messageId,
        const QByteArray &body, qint64 publishedAtUs);
    // The history came: what to send, in order, for the subscription it returns (none when it
    // ended meanwhile).
    const StompSubscription *recovered(const QByteArray &subscriptionId, const cluster::ReplayResult &history,
        QList<ReplaySeam::Item> *items);

    // By id (the tap's STATE frame: made only when a tap reader attaches).
    QHash<QByteArray, StompSubscription> all() const;
    // The session ended: out of the table and the gauge.
    void clear();

private:
    StompSubscriber *m_subscriber;
    SubscriptionTable *m_table;
    const ChannelPolicy *m_policy;
    NodeMetrics *m_metrics;
    int m_maxPerSession;
    // A list, searched by id: a session has a few (at most maxPerSession). A QHash allocated
    // storage for 48 entries (~4.5 KiB) at its first insert, for the one subscription an idle
    // session typically has (docs/benchmarks.md, "Idle connections: where the bytes go").
    QList<StompSubscription> m_subscriptions;
    QHash<QByteArray, ReplaySeam>
        m_recovering; // subscriptions with `since`, at their seam (empty: no allocation)

    qsizetype indexOf(const QByteArray &id) const;
};

} // namespace sb::node
