#pragma once

#include <QList>
#include <QTcpServer>

namespace sb::node {

class Worker;

// Accepts on its own thread and hands each socket descriptor to the next worker, round
// robin; the worker creates the QTcpSocket on its own thread.
class NodeListener : public QTcpServer
{
    Q_OBJECT
public:
    explicit NodeListener(const QList<Worker *> &workers, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    QList<Worker *> m_workers;
    int m_next = 0;
};

} // namespace sb::node
