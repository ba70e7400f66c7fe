#pragma once

#include <QList>
#include <QObject>

namespace sb::node {

// One worker's writers holding bytes until the events already queued on its thread have
// run: the first writer that holds something posts one flush, which runs after them, so
// a session given several frames in a row (a burst of broadcasts, a replay, receipts)
// writes them with one send. Touched only from the worker's thread.
class WriteBatch : public QObject
{
    Q_OBJECT
public:
    // What holds bytes for the batch (a session's WebSocketWriter).
    class Holder
    {
    public:
        virtual void flush() = 0;

    protected:
        ~Holder() = default;
    };

    explicit WriteBatch(QObject *parent = nullptr)
        : QObject(parent)
    { }

    void hold(Holder *holder);
    // The holder goes (its session ended): it is not flushed.
    void forget(Holder *holder);
    qsizetype waiting() const { return m_waiting.size(); }

private:
    void flush();

    QList<Holder *> m_waiting;
};

} // namespace sb::node
