#pragma once

#include "models/AlertEngine.h"
#include "models/AlertModel.h"
#include "models/AttachmentState.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

namespace sb::models {
class ProfileStore;
}

namespace sb::ui {
class AlertNotifier;
class AlertsPanel;
} // namespace sb::ui

namespace sb::app {

class KafkaAreaAssembly;
class ReplicasAreaAssembly;
class TrafficAreaAssembly;

// Evaluates the alert rules every second on the GUI thread, from what the areas' models
// already hold (AlertObservationsBuilder): reading them costs no request and never waits.
// The outcome goes to the AlertModel the Alerts panel, the status bar and state.json read.
// The areas are replaced when another cluster is attached: watch() them again, and
// restart() with that cluster's thresholds so its alerts start from nothing. Thresholds
// edited in the panel are kept with the profile (ProfileStore), or for the demo in the
// settings.
class ConsoleAlerts : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 1000;

    ConsoleAlerts(
        models::AttachmentState *attachment, models::ProfileStore *profiles, QObject *parent = nullptr);
    ~ConsoleAlerts() override;

    // Any may be null (that area is not attached); held weakly.
    void watch(ReplicasAreaAssembly *replicas, KafkaAreaAssembly *kafka, TrafficAreaAssembly *traffic);
    // Starts over for another cluster: no alert, its thresholds. profileName empty: the demo.
    void restart(const QString &profileName, const models::AlertThresholds &thresholds);
    // The panel's notification switch and thresholds button.
    void attachPanel(ui::AlertsPanel *panel);
    void start() { m_timer.start(); }
    // A recording is replayed (--open-recording): nothing live is attached, so no rule is
    // evaluated from here on — the absent sources would read as down ("redis-unreachable")
    // — and no alert is held. The replay shows the alerts the recording carries instead.
    void stopForReplay();
    bool isReplaying() const { return m_replaying; }

    // The demo's thresholds: as last edited, else the defaults.
    static models::AlertThresholds demoThresholds();
    // Thresholds edited while attached: alerts kept, the new figures used from the next
    // evaluation, and saved where the cluster's settings live.
    bool saveThresholds(const models::AlertThresholds &thresholds, QString *error);

    models::AlertObservations observe() const;
    void evaluateNow();

    models::AlertModel *model() { return &m_model; }
    const models::AlertEngine &engine() const { return m_engine; }
    ui::AlertNotifier *notifier() const { return m_notifier; }

private:
    void editThresholds(ui::AlertsPanel *panel);

    QPointer<models::AttachmentState> m_attachment;
    models::ProfileStore *m_profiles;
    QPointer<ReplicasAreaAssembly> m_replicas;
    QPointer<KafkaAreaAssembly> m_kafka;
    QPointer<TrafficAreaAssembly> m_traffic;
    QString m_profileName;
    models::AlertEngine m_engine;
    models::AlertModel m_model;
    ui::AlertNotifier *m_notifier = nullptr;
    QTimer m_timer;
    bool m_replaying = false;
};

} // namespace sb::app
