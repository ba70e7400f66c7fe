#pragma once

#include "app/ConsoleOptions.h"
#include "app/DemoUser.h"
#include "models/AttachmentState.h"
#include "models/ProfileStore.h"
#include "models/RecordingOpenJob.h"
#include "models/RecordingSaveJob.h"
#include "models/RecordingStore.h"

#include <QDateTime>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <memory>

namespace sb::inspect {
struct KafkaInspectorConfig;
}

namespace sb::ui {
class MainWindow;
class FaultsPanel;
class ProfilesDialog;
class ReplayWindow;
} // namespace sb::ui

namespace sb::app {

class ConsoleAlerts;
class DemoLoadControl;
class DemoPopulation;
class DemoUsersFile;
class ConsoleDemoScript;
class ConsoleDevClusterFaults;
class ConsoleSnapshotSchedule;
struct ConsoleSnapshotSettling;
class DevCluster;
class FaultActions;
class FaultEventLog;
class KafkaAreaAssembly;
class RedisAreaAssembly;
class ReplicasAreaAssembly;
class TrafficAreaAssembly;

// Assembles the console: the attachment (demo cluster or a profile), the main window, the
// session recording and the optional timed snapshot.
class ConsoleController : public QObject
{
    Q_OBJECT
public:
    explicit ConsoleController(const ConsoleOptions &options, QObject *parent = nullptr);
    ~ConsoleController() override;

    // Returns false with a message when the options name something that does not exist.
    bool start(QString *error);
    ui::MainWindow *window() const { return m_window.get(); }
    // The attached areas (null until attached; replaced when another profile is chosen),
    // for benchmarks and tests that watch the console the way its user would.
    RedisAreaAssembly *redisArea() const { return m_redisArea.get(); }
    ReplicasAreaAssembly *replicasArea() const { return m_replicasArea.get(); }
    KafkaAreaAssembly *kafkaArea() const { return m_kafkaArea.get(); }
    TrafficAreaAssembly *trafficArea() const { return m_trafficArea.get(); }
    // The demo's simulated users, for the fault actions; null outside the demo or before it is up.
    DemoLoadControl *demoLoad() const;
    ConsoleAlerts *alerts() const { return m_alerts.get(); }
    // --open-recording's replay, once the recording is read (null until then).
    ui::ReplayWindow *replayWindow() const { return m_replay.get(); }

    // Fills the passwords a profile lacks from SB_REDIS_PASSWORD and SB_ADMIN_PASSWORD.
    static void takePasswordsFromEnvironment(models::Profile *profile);
    // For a run that cannot ask (--snapshot): which password is missing and how to give it;
    // empty when none is.
    static QString missingPasswordHelp(const models::Profile &profile);
    // File → Profiles… → Test connection: checks Redis, Kafka and each replica endpoint of
    // `profile` (the form as edited) and reports each part into `dialog` as it answers.
    // Nothing here waits: the checks are asynchronous, or on a thread of their own.
    static void testConnections(ui::ProfilesDialog *dialog, const models::Profile &profile);

signals:
    void finished(int exitCode);

private:
    bool attachProfile(const QString &name, QString *error);
    void askPasswords(const models::Profile &profile);
    void attach(const models::Profile &profile);
    void attachDemoCluster();
    void startDemoCluster(const QString &usersFile);
    void attachDemoViews(const QJsonObject &endpoints);
    void injectFault(const QString &action, const QJsonObject &args); // from the Faults panel
    void attachKafka(const inspect::KafkaInspectorConfig &config);
    void showProfiles();
    void recordSample();
    void saveRecording(models::RecordingSaveJob::Done done); // --save-recording, after the snapshot
    void openRecording(); // --open-recording: the replay, nothing live
    void showRecording(const std::shared_ptr<models::RecordingOpenJob::Opened> &opened, const QString &error);
    void endWithUsageError(const QString &message); // says it on stderr, then finished(2)
    ConsoleSnapshotSettling settlingNow() const;

    ConsoleOptions m_options;
    models::AttachmentState m_attachment;
    models::RecordingStore m_recording;
    models::ProfileStore m_profiles;
    std::unique_ptr<ui::MainWindow> m_window;
    QTimer m_recordTimer;
    std::unique_ptr<DevCluster> m_demo;
    std::unique_ptr<FaultEventLog> m_faultLog; // every fault injected from this console
    QDateTime m_lastEffectEndedAt; // when a fault's effect watch last ended (snapshot settling)
    mutable QDateTime m_aftermathReadAt; // settlingNow()'s: when the areas first read after it
    mutable QDateTime m_settledButForClearsSince; // settlingNow()'s: clears are waited for from then
    std::unique_ptr<FaultActions> m_faults; // on the demo cluster (null when attached to a profile)
    std::unique_ptr<ConsoleDemoScript> m_demoScript;
    std::unique_ptr<ConsoleDevClusterFaults> m_clusterFaults; // a profile's devcluster (its control URL)
    ui::FaultsPanel *m_faultsPanel = nullptr; // owned by the window
    QList<DemoUser> m_demoUsers; // the demo population's accounts, as in its users file
    std::unique_ptr<DemoUsersFile> m_demoUsersFile;
    std::unique_ptr<DemoPopulation> m_demoPopulation;
    std::unique_ptr<RedisAreaAssembly> m_redisArea;
    std::unique_ptr<ReplicasAreaAssembly> m_replicasArea;
    std::unique_ptr<KafkaAreaAssembly> m_kafkaArea;
    std::unique_ptr<TrafficAreaAssembly> m_trafficArea;
    std::unique_ptr<ConsoleAlerts> m_alerts; // the rules over the areas above, every second
    std::unique_ptr<models::RecordingOpenJob> m_openJob; // --open-recording, read off the GUI thread
    std::unique_ptr<ui::ReplayWindow> m_replay; // --open-recording
    std::unique_ptr<ConsoleSnapshotSchedule> m_snapshot; // --snapshot: when, and what with it
};

} // namespace sb::app
