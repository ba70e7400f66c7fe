#pragma once

#include "app/TapTargetOptions.h"
#include "inspect/TapEndpoint.h"

#include <QObject>

#include <memory>

namespace sb::inspect {
class ReplicaDiscovery;
class TrafficCapture;
} // namespace sb::inspect

namespace sb::app {

// Turns TapTargetOptions into credentials and a stream of replica lists for a
// TrafficCapture: --node URLs at once (their ids are the nodes' own, from their frames),
// a profile's replicas as ReplicaDiscovery finds them. Headless modes only.
class TapTargets : public QObject
{
    Q_OBJECT
public:
    explicit TapTargets(TapTargetOptions options, QObject *parent = nullptr);
    ~TapTargets() override;

    // Loads the profile if one is named; false with *error when it does not exist.
    bool resolve(QString *error);
    inspect::TapCredentials credentials() const { return m_credentials; }
    // Starts feeding `capture` (same thread) with endpoints.
    void feed(inspect::TrafficCapture *capture);
    // The first replica's base URL (where `trace --publish` posts).
    QUrl firstNode() const { return m_options.nodes.value(0); }
    QList<QUrl> knownNodes() const { return m_known; }

private:
    TapTargetOptions m_options;
    inspect::TapCredentials m_credentials;
    std::unique_ptr<inspect::ReplicaDiscovery> m_discovery;
    QList<QUrl> m_known;
};

} // namespace sb::app
