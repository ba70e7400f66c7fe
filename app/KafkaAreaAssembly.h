#pragma once

#include "app/ConsoleWorkerThread.h"
#include "inspect/KafkaGroupOwner.h"
#include "inspect/KafkaInspectorConfig.h"
#include "models/AttachmentState.h"
#include "models/KafkaFigures.h"

#include <QObject>
#include <QPointer>
#include <QStringList>

#include <memory>

namespace sb::inspect {
class KafkaDeadLetterWorker;
class KafkaInspector;
struct KafkaClusterSnapshot;
} // namespace sb::inspect

namespace sb::models {
class SeriesHistory;
class KafkaGroupModel;
class KafkaPartitionModel;
class KafkaTopicModel;
struct Profile;
} // namespace sb::models

namespace sb::ui {
class AreaView;
class KafkaDeadLetterView;
class KafkaView;
} // namespace sb::ui

namespace sb::app {

// Builds the Kafka area: a worker thread running KafkaInspector, the GUI-side models and
// lag history, and the KafkaView as the area's content. Snapshots cross to the GUI thread
// queued, with the group model as context (a late one after teardown is dropped).
// Destroying it does not wait for a poll in progress (it may block for a few request
// timeouts on a broker that does not answer): the inspector ends on its own thread.
class KafkaAreaAssembly : public QObject
{
    Q_OBJECT
public:
    KafkaAreaAssembly(ui::AreaView *area, inspect::KafkaInspectorConfig config,
        models::AttachmentState *attachment, QObject *parent = nullptr);
    ~KafkaAreaAssembly() override;

    void start();
    // Groups the replicas announce (registry field kafkaGroups), with their replicas'
    // state; watched from the next poll. A gone replica's group shows DOWN, then RETIRED.
    void setGroupOwners(const QList<inspect::KafkaGroupOwner> &owners);

    models::KafkaGroupModel *groups() const { return m_groups.get(); }
    models::KafkaTopicModel *topics() const { return m_topics.get(); }
    models::SeriesHistory *lagHistory() const { return m_lagHistory.get(); }
    // The last poll's headline (incl. how long the refresh took).
    const models::KafkaFigures &figures() const { return m_figures; }
    ui::KafkaView *view() const;
    ui::KafkaDeadLetterView *deadLetterView() const;

    // A profile's Kafka: bootstrap, librdkafka properties (checked: a bad one is listed in
    // *problems and left out), and the groups to watch.
    static inspect::KafkaInspectorConfig configFromProfile(
        const models::Profile &profile, QStringList *problems = nullptr);

signals:
    void snapshotApplied();

private:
    void onSnapshot(const inspect::KafkaClusterSnapshot &snapshot);
    void startDeadLetters();
    void stop();

    QPointer<ui::AreaView> m_area;
    inspect::KafkaInspectorConfig m_config;
    QPointer<models::AttachmentState> m_attachment;
    std::unique_ptr<models::KafkaGroupModel> m_groups;
    std::unique_ptr<models::KafkaPartitionModel> m_partitions;
    std::unique_ptr<models::KafkaTopicModel> m_topics;
    std::unique_ptr<models::SeriesHistory> m_lagHistory;
    QPointer<ui::KafkaView> m_view;
    ConsoleWorkerThread m_thread;
    inspect::KafkaInspector *m_inspector = nullptr; // lives on m_thread; deleted when it ends
    // The inspector's child, on m_thread: dead-letter listing and redrive (read-only from the
    // attachment's profile, refused there as well as in the view).
    inspect::KafkaDeadLetterWorker *m_deadLetters = nullptr;
    QPointer<ui::KafkaDeadLetterView> m_deadLetterView;
    QList<inspect::KafkaGroupOwner> m_owners;
    models::KafkaFigures m_figures;
};

} // namespace sb::app
