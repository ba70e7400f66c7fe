#pragma once

#include "cluster/KafkaHandles.h"

#include <QByteArray>
#include <QObject>

#include <vector>

// Load for the Kafka area: every second, 2 records per partition to random partitions of
// `topic`, then each of `groups` consumer groups (bench-group-0, …) commits new offsets:
// group 0 keeps up, the others consume a fraction of what arrived, so their lag grows.
// Commits go straight to the group coordinator (no member joins), as live consumers'
// would. Lives on a thread of its own (moveToThread, then start() there).
class KafkaLagTraffic : public QObject
{
public:
    KafkaLagTraffic(QByteArray bootstrap, QByteArray topic, int partitions, int groups);
    void start();
    static QString groupName(int index);

private:
    void step();

    QByteArray m_bootstrap;
    QByteArray m_topic;
    int m_partitions;
    int m_groups;
    std::vector<qint64> m_ends;
    std::vector<std::vector<qint64>> m_committed;
    sb::cluster::KafkaHandle m_producer;
    std::vector<sb::cluster::KafkaHandle> m_committers;
};
