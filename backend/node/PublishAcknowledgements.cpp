#include "node/PublishAcknowledgements.h"

#include "node/QueuedCall.h"
#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcPublishAcks, "sb.node.publish")

namespace sb::node {

PublishAcknowledgements::PublishAcknowledgements(QObject *parent)
    : QObject(parent)
    , m_mailbox(std::make_shared<Mailbox>())
{
    m_mailbox->receiver = this;
}

PublishAcknowledgements::~PublishAcknowledgements()
{
    // A report still on its way (the producer flushes at shutdown, maybe after the workers
    // are gone) finds nobody and is dropped. Events already posted die with this object.
    const QMutexLocker lock(&m_mailbox->mutex);
    m_mailbox->receiver = nullptr;
}

PublishAcknowledgements::Ticket PublishAcknowledgements::issue()
{
    const quint64 id = ++m_nextId;
    auto acknowledgement = [mailbox = m_mailbox, id](const QString &error) {
        // The lock keeps the receiver from being destroyed between the check and the post.
        const QMutexLocker lock(&mailbox->mutex);
        if (PublishAcknowledgements *receiver = mailbox->receiver)
            postQueued(receiver, [receiver, id, error] { receiver->settle(id, error); });
    };
    return { id, std::move(acknowledgement) };
}

void PublishAcknowledgements::expect(quint64 id, QObject *owner, Answer answer)
{
    m_pending.insert(id, { QPointer<QObject>(owner), std::move(answer) });
}

void PublishAcknowledgements::settle(quint64 id, const QString &error)
{
    const auto it = m_pending.find(id);
    if (it == m_pending.end())
        return; // refused at once (answered then), or never expected
    const Pending pending = std::move(*it);
    m_pending.erase(it);
    if (!pending.owner) {
        qCDebug(lcPublishAcks) << "publish" << id << "settled after its client left:"
                               << (error.isEmpty() ? QStringLiteral("durable") : error);
        return;
    }
    pending.answer(error);
}

} // namespace sb::node
