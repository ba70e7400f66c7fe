#pragma once

#include "cluster/EventBus.h"

#include <QHash>
#include <QMutex>
#include <QObject>
#include <QPointer>

#include <functional>
#include <memory>

namespace sb::node {

// One worker's publishes waiting for their durable step (the stage-1 delivery report), so
// a 201 or a STOMP RECEIPT is only sent once Kafka holds the message.
//
// The bus reports on its own thread (the producer's poll thread); nothing there may touch
// a session, and the worker must never wait for the report. So each publish gets a
// correlation id and a bus callback that only posts (id, verdict) back to this object's
// thread, where the answer registered for that id runs, if its owner (the session or the
// HTTP connection that asked) still exists; an owner that closed first is forgotten then.
// A report that arrives after this object is gone is dropped: the callbacks hold a shared
// mailbox, not this object.
class PublishAcknowledgements : public QObject
{
    Q_OBJECT
public:
    // Runs on this object's thread with the bus's verdict (empty: durable).
    using Answer = std::function<void(const QString &error)>;

    explicit PublishAcknowledgements(QObject *parent = nullptr);
    ~PublishAcknowledgements() override;

    // A new correlation id and the callback to give the bus for it.
    struct Ticket
    {
        quint64 id = 0;
        cluster::EventBus::Acknowledgement acknowledgement;
    };
    Ticket issue();
    // After the bus accepted ticket `id`: `answer` runs with its verdict unless `owner`
    // (on this thread) is destroyed first. The verdict, queued, never arrives before this.
    void expect(quint64 id, QObject *owner, Answer answer);

    int pending() const { return int(m_pending.size()); }

private:
    struct Mailbox
    {
        QMutex mutex;
        PublishAcknowledgements *receiver = nullptr; // null once the receiver is gone
    };
    struct Pending
    {
        QPointer<QObject> owner;
        Answer answer;
    };

    void settle(quint64 id, const QString &error);

    std::shared_ptr<Mailbox> m_mailbox;
    QHash<quint64, Pending> m_pending;
    quint64 m_nextId = 0;
};

} // namespace sb::node
