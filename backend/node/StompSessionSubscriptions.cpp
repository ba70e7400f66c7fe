#include "node/StompSessionSubscriptions.h"

#include "cluster/ReplayEvent.h"
#include "node/ChannelPolicy.h"
#include "node/NodeMetrics.h"
#include "node/SubscriptionTable.h"

namespace sb::node {

StompSessionSubscriptions::StompSessionSubscriptions(StompSubscriber *subscriber, SubscriptionTable *table,
    const ChannelPolicy *policy, NodeMetrics *metrics, int maxPerSession)
    : m_subscriber(subscriber)
    , m_table(table)
    , m_policy(policy)
    , m_metrics(metrics)
    , m_maxPerSession(maxPerSession)
{ }

std::optional<StompSessionSubscriptions::Refusal> StompSessionSubscriptions::subscribe(
    const AuthenticatedUser &user, const protocol::StompFrame &frame, std::optional<Recovery> *recovery)
{
    const QByteArray id = frame.header("id");
    const QString destinationText = QString::fromUtf8(frame.header("destination"));
    if (id.isEmpty() || destinationText.isEmpty())
        return Refusal { QStringLiteral("SUBSCRIBE needs 'id' and 'destination' headers"),
            QByteArrayLiteral("bad_frame") };
    const QByteArray ack = frame.header("ack", "auto");
    if (ack != "auto" && ack != "client" && ack != "client-individual")
        return Refusal { QStringLiteral("ack must be auto, client or client-individual"),
            QByteArrayLiteral("bad_frame") };
    if (indexOf(id) >= 0)
        return Refusal { QStringLiteral("subscription id '%1' is already in use").arg(QString::fromUtf8(id)),
            QByteArrayLiteral("bad_frame") };
    if (m_subscriptions.size() >= m_maxPerSession)
        return Refusal { QStringLiteral("too many subscriptions (limit %1 per session)").arg(m_maxPerSession),
            QByteArrayLiteral("too_many_subscriptions") };
    const ChannelPolicy::Verdict verdict = m_policy->subscribe(user, destinationText);
    if (!verdict.allowed())
        return Refusal { verdict.message,
            verdict.outcome == ChannelPolicy::Verdict::Outcome::UnknownDestination
                ? QByteArrayLiteral("bad_destination")
                : QByteArrayLiteral("forbidden") };
    const Destination &destination = verdict.destination;
    const StompSubscription subscription { id, destinationText, ack };
    const QByteArray since = frame.header("since");
    const bool recovers = !since.isEmpty() && destination.kind == Destination::Kind::ChannelTopic;
    if (recovers) { // before the subscription goes live, so no live message slips past it
        m_recovering.insert(id, ReplaySeam());
        *recovery = Recovery { id, destination.channel, QString::fromUtf8(since) };
    }
    m_subscriptions.append(subscription);
    m_table->subscribe(m_subscriber, user.name, subscription);
    m_metrics->subscriptionsChanged(+1);
    return std::nullopt;
}

std::optional<StompSessionSubscriptions::Refusal> StompSessionSubscriptions::unsubscribe(
    const protocol::StompFrame &frame)
{
    const QByteArray id = frame.header("id");
    const qsizetype index = id.isEmpty() ? -1 : indexOf(id);
    if (index < 0)
        return Refusal { QStringLiteral("UNSUBSCRIBE needs the 'id' of an active subscription"),
            QByteArrayLiteral("bad_frame") };
    m_table->unsubscribe(m_subscriber, m_subscriptions.at(index));
    m_recovering.remove(id);
    m_subscriptions.removeAt(index);
    m_metrics->subscriptionsChanged(-1);
    return std::nullopt;
}

ReplaySeam::Live StompSessionSubscriptions::offer(const StompSubscription &subscription,
    const QString &messageId, const QByteArray &body, qint64 publishedAtUs)
{
    const auto seam = m_recovering.find(subscription.id);
    if (seam == m_recovering.end())
        return ReplaySeam::Live::Deliver;
    const ReplaySeam::Live verdict = seam->offer({ messageId, {}, body }, publishedAtUs);
    if (seam->isDone())
        m_recovering.erase(seam);
    return verdict;
}

const StompSubscription *StompSessionSubscriptions::recovered(
    const QByteArray &subscriptionId, const cluster::ReplayResult &history, QList<ReplaySeam::Item> *items)
{
    const auto seam = m_recovering.find(subscriptionId);
    if (seam == m_recovering.end())
        return nullptr; // unsubscribed meanwhile
    *items = seam->finish(history);
    if (seam->isDone())
        m_recovering.erase(seam);
    const qsizetype index = indexOf(subscriptionId);
    return index < 0 ? nullptr : &m_subscriptions.at(index);
}

qsizetype StompSessionSubscriptions::indexOf(const QByteArray &id) const
{
    for (qsizetype i = 0; i < m_subscriptions.size(); ++i)
        if (m_subscriptions.at(i).id == id)
            return i;
    return -1;
}

QHash<QByteArray, StompSubscription> StompSessionSubscriptions::all() const
{
    QHash<QByteArray, StompSubscription> byId;
    for (const StompSubscription &subscription : m_subscriptions)
        byId.insert(subscription.id, subscription);
    return byId;
}

void StompSessionSubscriptions::clear()
{
    m_metrics->subscriptionsChanged(-int(m_subscriptions.size()));
    m_table->forget(m_subscriber);
    m_subscriptions = {};
    m_recovering.clear();
}

} // namespace sb::node
