#include "node/NodeListener.h"

#include "node/Worker.h"

namespace sb::node {

NodeListener::NodeListener(const QList<Worker *> &workers, QObject *parent)
    : QTcpServer(parent)
    , m_workers(workers)
{ }

void NodeListener::incomingConnection(qintptr descriptor)
{
    Worker *worker = m_workers.at(m_next);
    m_next = (m_next + 1) % int(m_workers.size());
    QMetaObject::invokeMethod(
        worker, [worker, descriptor] { worker->adoptSocket(descriptor); }, Qt::QueuedConnection);
}

} // namespace sb::node
