#include "node/Router.h"

#include "node/QueuedCall.h"
#include "node/Worker.h"

namespace sb::node {

void Router::broadcast(const EnvelopePtr &envelope) const
{
    for (Worker *worker : m_workers)
        postQueued(worker, [worker, envelope] { worker->deliver(envelope); });
}

} // namespace sb::node
