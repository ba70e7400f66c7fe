#include "app/ConsoleDevClusterFaults.h"

#include "app/FaultControlClient.h"
#include "app/FaultEventLog.h"
#include "app/ReplicasAreaAssembly.h"
#include "models/Profile.h"
#include "models/ReplicaModel.h"
#include "protocol/FaultRequest.h"
#include "ui/FaultsPanel.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcConsoleFaults, "sb.console.faults")

namespace sb::app {

using AnswerKind = FaultControlAnswer::Kind;

ConsoleDevClusterFaults::ConsoleDevClusterFaults(const models::Profile &profile, ui::FaultsPanel *panel,
    FaultEventLog *log, ReplicasAreaAssembly *replicas, QObject *parent)
    : QObject(parent)
    , m_panel(panel)
    , m_log(log)
    , m_replicas(replicas)
    , m_readOnly(profile.readOnly)
{
    m_pollTimer.setSingleShot(true);
    connect(&m_pollTimer, &QTimer::timeout, this, &ConsoleDevClusterFaults::poll);
    m_panel->setReplicas({});
    const QString invalid = models::Profile::faultControlUrlError(profile.faultControlUrl);
    if (profile.faultControlUrl.isEmpty() || !invalid.isEmpty()) {
        m_panel->setEndpointState({}, true);
        m_panel->setAvailable(false,
            invalid.isEmpty()
                ? QStringLiteral("Faults act on the embedded demo cluster, or on a devcluster whose "
                                 "control URL the profile names (File → Profiles…, Fault control URL).")
                : invalid);
        return;
    }
    m_control = QUrl(profile.faultControlUrl, QUrl::StrictMode);
    m_client = new FaultControlClient(m_control, kRequestTimeoutMs, this);
    connect(m_client, &FaultControlClient::eventsAnswered, this, &ConsoleDevClusterFaults::onEvents);
    connect(m_client, &FaultControlClient::faultAnswered, this, &ConsoleDevClusterFaults::onFault);
    // The table is this devcluster's log from now on, not the demo's or another profile's.
    m_log->mirror({});
    const QString where = m_control.toDisplayString();
    m_panel->setEndpointState(QStringLiteral("devcluster at %1: asking…").arg(where), true);
    if (m_readOnly)
        m_panel->setAvailable(false,
            QStringLiteral("read-only profile: no fault is sent (the devcluster's event log is shown)."));
    else
        m_panel->setAvailable(true, QStringLiteral("Faults act on the devcluster at %1.").arg(where));
    if (m_replicas) {
        connect(
            replicas, &ReplicasAreaAssembly::snapshotApplied, this, &ConsoleDevClusterFaults::offerReplicas);
        offerReplicas();
    }
    poll();
}

ConsoleDevClusterFaults::~ConsoleDevClusterFaults() = default;

void ConsoleDevClusterFaults::request(const QString &action, const QJsonObject &args)
{
    if (!m_panel)
        return;
    // Checked here and not only by the panel's state: a request that bypasses the panel
    // (a shortcut racing setAvailable, a test, a script) is refused the same way.
    if (m_readOnly)
        return m_panel->showOutcome(false, QStringLiteral("read-only profile: no fault is sent"));
    if (!m_client)
        return m_panel->showOutcome(false, QStringLiteral("this profile names no devcluster control URL"));
    QString error;
    const auto fault = protocol::FaultRequest::parse(action, args, &error);
    if (!fault)
        return m_panel->showOutcome(false, error);
    m_panel->showOutcome(
        true, QStringLiteral("%1: sent to %2…").arg(fault->name(), m_control.toDisplayString()));
    qCInfo(lcConsoleFaults).noquote() << "asking" << m_control.toDisplayString() << "for" << fault->name();
    m_client->sendFault(*fault);
}

void ConsoleDevClusterFaults::onFault(const FaultControlAnswer &answer)
{
    if (!m_panel)
        return;
    qCInfo(lcConsoleFaults).noquote() << answer.action << "answered" << answer.httpStatus << answer.message;
    switch (answer.kind) {
    case AnswerKind::Done:
        m_panel->showOutcome(
            true, QStringLiteral("%1: %2 (event %3)").arg(answer.action, answer.message).arg(answer.eventId));
        break;
    case AnswerKind::Refused:
    case AnswerKind::Busy:
        m_panel->showOutcome(false, QStringLiteral("%1: %2").arg(answer.action, answer.message));
        break;
    case AnswerKind::Unreachable:
        m_panel->showFailure(
            QStringLiteral("%1: control endpoint unreachable: %2").arg(answer.action, answer.message));
        break;
    case AnswerKind::BadAnswer:
        m_panel->showFailure(
            QStringLiteral("%1: the control endpoint answered badly: %2").arg(answer.action, answer.message));
        break;
    }
    // The event the devcluster logged for it, in the table now rather than at the next tick.
    if (m_pollInFlight)
        m_pollAgainSoon = true;
    else
        poll();
}

void ConsoleDevClusterFaults::poll()
{
    if (!m_client || m_pollInFlight)
        return;
    m_pollTimer.stop();
    m_pollInFlight = true;
    m_client->readEvents();
}

void ConsoleDevClusterFaults::pollAgainIn(int ms)
{
    if (m_pollAgainSoon) {
        m_pollAgainSoon = false;
        ms = 0;
    }
    m_pollTimer.start(ms);
}

void ConsoleDevClusterFaults::onEvents(const FaultControlAnswer &answer)
{
    m_pollInFlight = false;
    if (!m_panel)
        return;
    const QString where = m_control.toDisplayString();
    if (answer.kind == AnswerKind::Done) {
        m_backoffMs = kPollIntervalMs;
        m_panel->setEndpointState(QStringLiteral("devcluster at %1").arg(where), true);
        if (answer.events != m_lastEvents) {
            m_lastEvents = answer.events;
            QList<FaultEventLog::Event> events;
            for (const QJsonValue &value : answer.events)
                if (auto event = FaultEventLog::eventFromJson(value.toObject()))
                    events.append(*event);
            m_log->mirror(events);
        }
        return pollAgainIn(kPollIntervalMs);
    }
    if (answer.kind == AnswerKind::Busy) {
        m_panel->setEndpointState(QStringLiteral("control endpoint busy: %1").arg(answer.message), false);
        return pollAgainIn(answer.retryAfterSeconds * 1000);
    }
    // Unreachable (not started yet, stopped, restarting) or not the endpoint: ask less and
    // less often, up to kMaxPollIntervalMs, and say so; the log keeps what it last read.
    m_backoffMs = qMin(m_backoffMs * 2, kMaxPollIntervalMs);
    const QString what = answer.kind == AnswerKind::Unreachable
        ? QStringLiteral("control endpoint unreachable")
        : QStringLiteral("control endpoint answered badly");
    m_panel->setEndpointState(
        QStringLiteral("%1: %2 (%3; again in %4 s)").arg(what, answer.message, where).arg(m_backoffMs / 1000),
        false);
    pollAgainIn(m_backoffMs);
}

void ConsoleDevClusterFaults::offerReplicas()
{
    if (!m_replicas || !m_panel)
        return;
    const models::ReplicaModel *model = m_replicas->model();
    QStringList ids;
    for (int row = 0; row < model->rowCount(); ++row)
        ids << model->replica(row).id;
    ids.sort();
    ids.removeDuplicates();
    if (ids == m_offeredReplicas)
        return; // refilling the chooser every second would close it under the user's hand
    m_offeredReplicas = ids;
    m_panel->setReplicas(ids);
}

} // namespace sb::app
