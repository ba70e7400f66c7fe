#pragma once

#include "inspect/KafkaAdminClient.h"
#include "inspect/KafkaClusterSnapshot.h"
#include "inspect/KafkaGroupOwner.h"
#include "inspect/KafkaGroupRetirement.h"
#include "inspect/KafkaInspectorConfig.h"
#include "inspect/LagTracker.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QStringList>

#include <optional>

class QTimer;

namespace sb::inspect {

// Polls a Kafka cluster every pollIntervalMs on the thread it lives on (a worker: create
// it, moveToThread(), then start() through a queued invocation): topics with log-end
// offsets and produce rates, consumer groups (ListGroups, else the profile's and the
// registry's) with DescribeGroups state, committed offsets, lag and the Burrow verdicts.
// One snapshotReady per poll. Each poll blocks the worker for at most a few request
// timeouts; never the GUI.
class KafkaInspector : public QObject
{
    Q_OBJECT
public:
    explicit KafkaInspector(KafkaInspectorConfig config, QObject *parent = nullptr);
    ~KafkaInspector() override;

    void start();
    void stop();
    void pollNow();
    // Groups the replicas announce in the registry (sb:node:*, field kafkaGroups), with
    // their replicas' state: a group of a replica that is gone is shown DOWN, then RETIRED
    // (KafkaGroupRetirement), not judged as lag.
    void setGroupOwners(const QList<KafkaGroupOwner> &owners);
    // The same, for groups whose announcing replicas are all live.
    void setAnnouncedGroups(const QStringList &groups);

signals:
    void snapshotReady(const sb::inspect::KafkaClusterSnapshot &snapshot);

private:
    void poll();
    KafkaClusterSnapshot read();
    // The groups to watch and who named each; fills snapshot->groupsNote.
    QList<QPair<QString, QString>> watchedGroups(KafkaClusterSnapshot *snapshot);
    void readTopics(const KafkaAdminClient::Metadata &metadata,
        const KafkaAdminClient::PartitionOffsets &ends, KafkaClusterSnapshot *snapshot);
    // Each partition's log end, and log start where a group reads from there: the topics
    // each from-start group consumes (it committed on them), by group.
    using TopicsByGroup = QHash<QString, QSet<QString>>;
    struct LogBounds
    {
        const KafkaAdminClient::PartitionOffsets &ends;
        const KafkaAdminClient::PartitionOffsets &starts;
        const TopicsByGroup &readFromStart;
    };
    TopicsByGroup topicsReadFromStart(const QHash<QString, KafkaAdminClient::GroupOffsets> &offsets) const;
    void readGroups(const KafkaAdminClient::Metadata &metadata, const LogBounds &bounds,
        const QList<QPair<QString, QString>> &watched,
        const QHash<QString, KafkaAdminClient::GroupDescription> &descriptions,
        const QHash<QString, KafkaAdminClient::GroupOffsets> &offsets, KafkaClusterSnapshot *snapshot);
    void addNeverCommitted(
        const QString &topic, int partition, const LogBounds &bounds, KafkaGroupInfo *group);

    KafkaInspectorConfig m_config;
    KafkaAdminClient m_client;
    LagTracker m_lag;
    KafkaGroupRetirement m_retirement;
    QList<KafkaGroupOwner> m_owners;
    QSet<QString> m_fromStart; // the groups of m_owners that read from the log start
    QHash<QString, qint64> m_lastEnds; // topic -> sum of log-end offsets at m_lastEndsAtMs
    qint64 m_lastEndsAtMs = 0;
    QStringList m_announced;
    QTimer *m_timer = nullptr;
    quint64 m_poll = 0;
    int m_failures = 0; // consecutive unreachable polls, for the back-off
    bool m_listingSupported = true;
    QString m_listingError; // the broker's answer to the last ListGroups, while unsupported
    qint64 m_nextListingAttemptMs = 0;
};

} // namespace sb::inspect
