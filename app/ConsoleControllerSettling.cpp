// ConsoleController's reading of what its areas show, for --snapshot-settled
// (ConsoleSnapshotSettling decides; this gathers): kept apart from the wiring in
// ConsoleController.cpp.
#include "app/ConsoleController.h"

#include "app/ConsoleAlerts.h"
#include "app/ConsoleSnapshotSettling.h"
#include "app/DemoPopulation.h"
#include "app/DevCluster.h"
#include "app/FaultEventLog.h"
#include "app/KafkaAreaAssembly.h"
#include "app/ReplicasAreaAssembly.h"
#include "models/KafkaGroupModel.h"
#include "models/ReplicaModel.h"
#include "ui/ReplicasView.h"

#include <algorithm>

namespace sb::app {

ConsoleSnapshotSettling ConsoleController::settlingNow() const
{
    ConsoleSnapshotSettling settling;
    settling.attached = m_replicasArea != nullptr;
    if (m_replicasArea) {
        const models::ReplicaModel *replicas = m_replicasArea->model();
        for (int row = 0; row < replicas->rowCount(); ++row) {
            const inspect::ReplicaInfo &replica = replicas->replica(row);
            settling.replicas.append({ replica.id, replica.state });
            if (replica.state == inspect::ReplicaInfo::State::Unready && replica.stateSince.isValid()
                && replica.lastSeen.isValid())
                settling.unreadyHeldMs.insert(replica.id, replica.stateSince.msecsTo(replica.lastSeen));
        }
        settling.discoveryDegraded = m_replicasArea->view()->discoveryDegradedShown();
    }
    if (m_demo) {
        QSet<QString> running;
        for (const QString &id : m_demo->nodeIds())
            if (m_demo->isNodeRunning(id))
                running.insert(id);
        settling.runningReplicas = running;
    }
    if (!m_demoUsers.isEmpty()) {
        DemoPopulationStats population
            = m_demoPopulation ? m_demoPopulation->stats() : DemoPopulationStats {};
        population.users = int(m_demoUsers.size()); // also before its thread first counted
        settling.population = population;
    }
    settling.scriptSteps = int(m_options.demoScript.size());
    settling.scriptStepsRun = m_demoScript ? m_demoScript->stepsRun() : 0;
    for (const FaultEventLog::Event &event : m_faultLog->events())
        settling.effectsWatching += event.effectState == FaultEventLog::EffectState::Watching ? 1 : 0;
    settling.lastEffectEndedAt = m_lastEffectEndedAt;
    if (m_replicasArea)
        settling.replicasReadAt = m_replicasArea->model()->lastPoll();
    if (m_alerts) {
        settling.alertsEvaluatedAt = m_alerts->engine().evaluatedAt();
        settling.alertsRaising = m_alerts->engine().pendingRaises();
        settling.alertsClearing = m_alerts->engine().pendingClears();
        settling.clearsWaitLimitMs = qint64(m_alerts->engine().thresholds().clearAfterSeconds) * 1000
            + ConsoleSnapshotSettling::kClearsWaitMarginMs;
    }
    if (m_kafkaArea) {
        settling.kafkaReachable = m_kafkaArea->figures().reachable;
        settling.kafkaReadAt = m_kafkaArea->figures().at;
        const models::KafkaGroupModel *groups = m_kafkaArea->groups();
        for (int row = 0; row < groups->rowCount(); ++row) {
            const inspect::KafkaGroupInfo &group = groups->group(row);
            const bool committed = std::any_of(group.partitions.cbegin(), group.partitions.cend(),
                [](const inspect::KafkaPartitionLag &p) { return p.committed >= 0; });
            // A departed replica's group (DOWN, then RETIRED) will not commit again.
            const bool departed = group.verdict.status == inspect::BurrowStatus::Down
                || group.verdict.status == inspect::BurrowStatus::Retired;
            if (group.discoveredBy.contains(QStringLiteral("registry")) && !committed && !departed)
                settling.groupsWithoutOffsets << group.id;
        }
    }
    // The first moment every area was seen read after the last effect ended, kept (a later
    // reading would move it on, and the rules, evaluated on a 1 s timer in step with the
    // polls, might never be seen after the latest one).
    const bool aftermathRead = m_lastEffectEndedAt.isValid() && settling.replicasReadAt > m_lastEffectEndedAt
        && (!settling.kafkaReachable || settling.kafkaReadAt > m_lastEffectEndedAt);
    if (!aftermathRead)
        m_aftermathReadAt = {};
    else if (!m_aftermathReadAt.isValid())
        m_aftermathReadAt = std::max(settling.replicasReadAt, settling.kafkaReadAt);
    settling.aftermathReadAt = m_aftermathReadAt;
    // The first moment all but the alerts' clears under way was seen settled, kept while it
    // stays so: the clears are waited for from then, clearsWaitLimitMs at most.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    if (!settling.unsettledButForClears().isEmpty())
        m_settledButForClearsSince = {};
    else if (!m_settledButForClearsSince.isValid())
        m_settledButForClearsSince = now;
    settling.clearsWaitedMs
        = m_settledButForClearsSince.isValid() ? m_settledButForClearsSince.msecsTo(now) : 0;
    return settling;
}

} // namespace sb::app
