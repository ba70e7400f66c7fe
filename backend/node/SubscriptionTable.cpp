#include "node/SubscriptionTable.h"

#include "node/Destination.h"
#include "node/SharedMessageFrame.h"
#include "node/SharedSseEvent.h"
#include "node/SseSubscriber.h"
#include "node/StompSubscriber.h"

namespace sb::node {

void SubscriptionTable::subscribe(
    StompSubscriber *subscriber, const QString &user, const StompSubscription &subscription)
{
    if (subscription.destination == Destination::userNotifications())
        m_userQueues.insert(user, { subscriber, subscription });
    else
        m_subscribers[subscription.destination].append({ subscriber, subscription });
}

void SubscriptionTable::unsubscribe(StompSubscriber *subscriber, const StompSubscription &subscription)
{
    if (subscription.destination == Destination::userNotifications()) {
        for (auto it = m_userQueues.begin(); it != m_userQueues.end();)
            it = (it->subscriber == subscriber && it->subscription.id == subscription.id)
                ? m_userQueues.erase(it)
                : std::next(it);
        return;
    }
    auto it = m_subscribers.find(subscription.destination);
    if (it == m_subscribers.end())
        return;
    it->removeIf(
        [&](const Entry &e) { return e.subscriber == subscriber && e.subscription.id == subscription.id; });
    if (it->isEmpty())
        m_subscribers.erase(it);
}

void SubscriptionTable::forget(StompSubscriber *subscriber)
{
    for (auto it = m_subscribers.begin(); it != m_subscribers.end();) {
        it->removeIf([subscriber](const Entry &e) { return e.subscriber == subscriber; });
        it = it->isEmpty() ? m_subscribers.erase(it) : std::next(it);
    }
    for (auto it = m_userQueues.begin(); it != m_userQueues.end();)
        it = it->subscriber == subscriber ? m_userQueues.erase(it) : std::next(it);
}

void SubscriptionTable::addStream(const QString &user, SseSubscriber *stream)
{
    m_streams.insert(user, stream);
}

void SubscriptionTable::removeStream(const QString &user, SseSubscriber *stream)
{
    m_streams.remove(user, stream);
}

void SubscriptionTable::deliver(const Envelope &envelope) const
{
    if (envelope.type == Envelope::Type::Message)
        deliverMessage(envelope);
    else
        deliverPresence(envelope);
}

void SubscriptionTable::deliverMessage(const Envelope &envelope) const
{
    const ChatMessage &message = envelope.message;
    const auto topic = m_subscribers.constFind(Destination::channelTopic(message.channel));
    if (topic == m_subscribers.cend() && m_userQueues.isEmpty() && m_streams.isEmpty())
        return; // nobody here: not even the body is built
    if (topic != m_subscribers.cend()) {
        const SharedMessageFrame frame(topic.key(), message.id, envelope.messageBytes());
        const QList<Entry> entries = *topic; // a delivery may close a session
        for (const Entry &e : entries)
            e.subscriber->deliver(e.subscription, frame, envelope.publishedAtUs);
    }
    if (m_userQueues.isEmpty() && m_streams.isEmpty())
        return;
    const QByteArray notification = envelope.notificationBytes();
    const SharedMessageFrame notificationFrame(Destination::userNotifications(), message.id, notification);
    const SharedSseEvent event({ message.id, QByteArrayLiteral("notification"), notification });
    for (const QString &recipient : envelope.recipients) {
        const QList<Entry> queues = m_userQueues.values(recipient);
        for (const Entry &e : queues)
            e.subscriber->deliver(e.subscription, notificationFrame, envelope.publishedAtUs);
        const QList<SseSubscriber *> streams = m_streams.values(recipient);
        for (SseSubscriber *stream : streams)
            stream->deliver(event, envelope.publishedAtUs);
    }
}

void SubscriptionTable::deliverPresence(const Envelope &envelope) const
{
    const auto it = m_subscribers.constFind(Destination::presence());
    if (it == m_subscribers.cend())
        return;
    const SharedMessageFrame frame(it.key(),
        QStringLiteral("presence-") + QString::number(envelope.publishedAtUs), envelope.presenceBody());
    const QList<Entry> entries = *it;
    for (const Entry &e : entries)
        e.subscriber->deliver(e.subscription, frame, 0);
}

} // namespace sb::node
