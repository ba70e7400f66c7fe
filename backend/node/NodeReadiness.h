#pragma once

#include <atomic>

namespace sb::node {

// Whether this replica takes new work: not while it drains, nor while a dependency (Redis,
// Kafka) is unreachable. NodeServer begins the drain, app/'s assembly reports the
// dependencies; every worker thread reads both (/healthz/ready, the drain's 503, new sessions).
class NodeReadiness
{
public:
    bool isDraining() const { return m_draining.load(); }
    bool dependenciesReady() const { return m_dependenciesReady.load(); }
    bool isReady() const { return !isDraining() && dependenciesReady(); }

    // True only for the call that began the drain (a drain never ends: the process does).
    bool beginDrain() { return !m_draining.exchange(true); }
    void setDependenciesReady(bool ready) { m_dependenciesReady.store(ready); }

private:
    std::atomic<bool> m_draining { false };
    std::atomic<bool> m_dependenciesReady { true };
};

} // namespace sb::node
