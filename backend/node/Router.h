#pragma once

#include "node/Envelope.h"

#include <QList>

namespace sb::node {

class Worker;

// Hands an envelope to every worker thread, each of which delivers to its own local
// subscribers. The worker list is fixed before traffic starts, so the hot path takes no
// lock: one queued call per worker, and the envelope is shared, not copied.
class Router
{
public:
    void setWorkers(const QList<Worker *> &workers) { m_workers = workers; }
    void broadcast(const EnvelopePtr &envelope) const;
    const QList<Worker *> &workers() const { return m_workers; }

private:
    QList<Worker *> m_workers;
};

} // namespace sb::node
