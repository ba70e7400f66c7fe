#pragma once

#include "app/ConsoleWorkerThread.h"
#include "inspect/ReplicaDiscoveryConfig.h"
#include "models/AttachmentState.h"
#include "models/Freshness.h"

#include <QObject>
#include <QPointer>

#include <memory>

namespace sb::inspect {
class ReplicaDiscovery;
struct ReplicaSnapshot;
} // namespace sb::inspect

namespace sb::models {
class SeriesHistory;
class ReplicaModel;
struct Profile;
} // namespace sb::models

namespace sb::ui {
class AreaView;
class ReplicasView;
} // namespace sb::ui

namespace sb::app {

// Builds the Replicas area: a worker thread running ReplicaDiscovery, the GUI-side
// ReplicaModel and SeriesHistory, and the ReplicasView set as the area's content.
// Snapshots cross to the GUI thread by queued connection with the model as context, so a
// late snapshot after teardown is dropped. Health goes to AttachmentState (Replicas).
// A poll in which no source answered changes nothing on screen (nobody said the replicas
// changed): the last picture stays, dated, under the view's banner. A poll in which the
// registry failed but the replicas' own probes answered is live: the discovery kept the
// replicas it knew and probed them (ReplicaDiscovery), and the view says discovery is degraded.
//
// Usage (GUI thread):
//   auto *replicas = new ReplicasAreaAssembly(area, config, &attachment, this);
//   replicas->start();
// Destroying it stops polling and removes the view from the area; the worker thread ends
// on its own (ConsoleWorkerThread: in-flight requests are aborted, nothing waits).
class ReplicasAreaAssembly : public QObject
{
    Q_OBJECT
public:
    ReplicasAreaAssembly(ui::AreaView *area, inspect::ReplicaDiscoveryConfig config,
        models::AttachmentState *attachment, QObject *parent = nullptr);
    ~ReplicasAreaAssembly() override;

    // Starts the worker and the first poll. With an empty config the area says so and the
    // health is NotConfigured; nothing runs.
    void start();
    bool isRunning() const { return m_thread.isRunning(); }

    models::ReplicaModel *model() const { return m_model.get(); }
    models::SeriesHistory *history() const { return m_history.get(); }
    ui::ReplicasView *view() const;
    const inspect::ReplicaDiscoveryConfig &config() const { return m_config; }

    // A profile's replica sources (registry via its Redis URL and password when useRegistry, Prometheus
    // endpoints + metric, /admin/stats URLs) and its admin user and password. Unparsable
    // URLs are skipped and listed in *problems.
    static inspect::ReplicaDiscoveryConfig configFromProfile(
        const models::Profile &profile, QStringList *problems = nullptr);
    // The status-bar health for one poll.
    static models::ConnectionHealth healthOf(const inspect::ReplicaSnapshot &snapshot);

signals:
    // After each poll reached the model (for the controller's recordings and tests).
    void snapshotApplied();

private:
    void onSnapshot(const inspect::ReplicaSnapshot &snapshot);
    void stop();

    QPointer<ui::AreaView> m_area;
    inspect::ReplicaDiscoveryConfig m_config;
    QPointer<models::AttachmentState> m_attachment;
    std::unique_ptr<models::ReplicaModel> m_model;
    std::unique_ptr<models::SeriesHistory> m_history;
    QPointer<ui::ReplicasView> m_view;
    models::Freshness m_freshness;
    ConsoleWorkerThread m_thread;
    inspect::ReplicaDiscovery *m_discovery = nullptr; // lives on m_thread; deleted when it ends
};

} // namespace sb::app
