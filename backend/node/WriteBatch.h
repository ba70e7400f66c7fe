#pragma once

#include <QList>
#include <QObject>

namespace sb::node {

class WebSocketWriter;

// One worker's writers holding bytes until the events already queued on its thread have
// run: the first writer that holds something posts one flush, which runs after them, so
// a session given several frames in a row (a burst of broadcasts, a replay, receipts)
// writes them with one send. Touched only from the worker's thread.
class WriteBatch : public QObject
{
    Q_OBJECT
public:
    explicit WriteBatch(QObject *parent = nullptr)
        : QObject(parent)
    { }

    void hold(WebSocketWriter *writer);
    // The writer goes (its session ended): it is not flushed.
    void forget(WebSocketWriter *writer);
    qsizetype waiting() const { return m_waiting.size(); }

private:
    void flush();

    QList<WebSocketWriter *> m_waiting;
};

} // namespace sb::node
