#pragma once

#include <QString>
#include <QStringList>

namespace sb::app {

// What the fault actions may ask of the demo's simulated users, without knowing how the
// population is built: the Faults panel, `switchboard fault` and `--demo-script` reach the
// population only through this. Implemented by the demo population; every call returns at
// once (the effect happens on the population's own thread) and says whether it was taken.
class DemoLoadControl
{
public:
    virtual ~DemoLoadControl() = default;

    // Multiply the total message rate by `factor` for `seconds`, then return to the
    // configured rate. A second burst replaces the first.
    virtual bool burst(double factor, int seconds, QString *why) = 0;

    // One client on `replica` (its name, e.g. "node-2") that subscribes and then stops
    // reading its socket, so the node's slow-consumer limit drops it.
    virtual bool addSlowConsumer(const QString &replica, QString *why) = 0;

    // The population's users (their names), for the "revoke a user's sessions" action.
    virtual QStringList userNames() const = 0;
};

} // namespace sb::app
