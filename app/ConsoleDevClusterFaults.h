#pragma once

#include "app/FaultControlAnswer.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QPointer>
#include <QTimer>
#include <QUrl>

namespace sb::models {
struct Profile;
}

namespace sb::ui {
class FaultsPanel;
}

namespace sb::app {

class FaultControlClient;
class FaultEventLog;
class ReplicasAreaAssembly;

// The Faults panel on a profile's devcluster: the profile's fault control URL (a `switchboard
// devcluster`'s loopback control endpoint) takes the panel's requests (POST /faults), and the
// devcluster's event log (GET /events, polled every second, less often while unreachable)
// becomes the console's FaultEventLog, so the panel's table, state.json's `events` and the
// recordings show what the devcluster's actions did. The replicas offered are the ones the
// Replicas area lists (the devcluster has no list of its own to ask; a down replica stays
// listed there, so it can be started). A read-only profile, or one without a control URL,
// leaves the panel off with the reason, and sends nothing even when asked past the panel.
// Everything is asynchronous on the GUI thread; deleting this (another profile attached,
// the console closing) drops what is in flight, so a late answer reaches no one.
class ConsoleDevClusterFaults : public QObject
{
    Q_OBJECT
public:
    static constexpr int kPollIntervalMs = 1000;
    static constexpr int kMaxPollIntervalMs = 10000; // the back-off's ceiling while unreachable
    static constexpr int kRequestTimeoutMs = 5000; // the endpoint answers at once: its actions never wait

    // `replicas` may be null (no replica actions then); `panel` and `log` outlive this.
    ConsoleDevClusterFaults(const models::Profile &profile, ui::FaultsPanel *panel, FaultEventLog *log,
        ReplicasAreaAssembly *replicas, QObject *parent = nullptr);
    ~ConsoleDevClusterFaults() override;

    // From the panel's faultRequested.
    void request(const QString &action, const QJsonObject &args);

    QUrl control() const { return m_control; }
    bool isPolling() const { return m_client != nullptr; }

private:
    void poll();
    void onEvents(const FaultControlAnswer &answer);
    void onFault(const FaultControlAnswer &answer);
    void pollAgainIn(int ms);
    void offerReplicas();

    QPointer<ui::FaultsPanel> m_panel;
    FaultEventLog *m_log;
    QPointer<ReplicasAreaAssembly> m_replicas;
    QUrl m_control;
    bool m_readOnly = false;
    FaultControlClient *m_client = nullptr; // a child; null without a usable control URL
    QTimer m_pollTimer;
    bool m_pollInFlight = false;
    bool m_pollAgainSoon = false; // a fault was answered while a poll was out: its event comes next
    int m_backoffMs = kPollIntervalMs;
    QJsonArray m_lastEvents;
    QStringList m_offeredReplicas;
};

} // namespace sb::app
