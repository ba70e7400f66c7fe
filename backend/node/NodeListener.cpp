#include "node/NodeListener.h"

#include "node/QueuedCall.h"
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
    postQueued(worker, [worker, descriptor] { worker->adoptSocket(descriptor); });
}

} // namespace sb::node
