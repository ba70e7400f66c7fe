#include "app/ConsoleDemoScript.h"

#include "app/FaultActions.h"

#include <QTimer>

namespace sb::app {

ConsoleDemoScript::ConsoleDemoScript(
    QList<protocol::FaultScriptStep> steps, FaultActions *actions, QObject *parent)
    : QObject(parent)
    , m_steps(std::move(steps))
    , m_actions(actions)
{ }

void ConsoleDemoScript::start()
{
    if (m_started)
        return;
    m_started = true;
    for (const protocol::FaultScriptStep &step : std::as_const(m_steps)) {
        // Timers owned by this object: a demo left (another profile attached) ends its script.
        QTimer::singleShot(int(step.atSeconds * 1000), this, [this, request = step.request] {
            ++m_stepsRun;
            m_actions->perform(request);
        });
    }
}

} // namespace sb::app
