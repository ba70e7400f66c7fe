#include "node/Router.h"

#include "node/Worker.h"

namespace sb::node {

void Router::broadcast(const EnvelopePtr &envelope) const
{
    for (Worker *worker : m_workers)
        QMetaObject::invokeMethod(
            worker, [worker, envelope] { worker->deliver(envelope); }, Qt::QueuedConnection);
}

} // namespace sb::node
