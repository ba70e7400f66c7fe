#pragma once

#include "protocol/FaultScript.h"

#include <QList>
#include <QObject>

namespace sb::app {

class FaultActions;

// Runs a --demo-script on the console's embedded demo: each step's fault through the same
// FaultActions as the Faults panel and `switchboard fault`, `at` seconds after start()
// (called once the demo cluster is ready). What each did and saw is in the event log.
class ConsoleDemoScript : public QObject
{
    Q_OBJECT
public:
    ConsoleDemoScript(
        QList<protocol::FaultScriptStep> steps, FaultActions *actions, QObject *parent = nullptr);

    void start();
    int stepsRun() const { return m_stepsRun; }

private:
    QList<protocol::FaultScriptStep> m_steps;
    FaultActions *m_actions;
    bool m_started = false;
    int m_stepsRun = 0;
};

} // namespace sb::app
