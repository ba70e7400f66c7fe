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
    // What holds bytes for the batch (a session's WebSocketWriter, an SSE stream).
    class Holder
    {
    public:
        virtual void flush() = 0;

    protected:
        ~Holder() = default;
    };

    // A batch holds at most this per holder: past it the bytes go at once. The batch's flush
    // runs after the events queued before it, and with the worker behind under overload those
    // were thousands of broadcasts: every session held all of them, ~1 GB at 1,000
    // subscribers, out of the kernel's reach and out of every limit's sight
    // (docs/benchmarks.md, "Overload: shedding and memory").
    static constexpr qsizetype kMaxHeldBytes = 64 * 1024;

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
