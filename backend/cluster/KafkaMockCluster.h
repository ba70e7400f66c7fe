#pragma once

#include "cluster/KafkaHandles.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <atomic>

typedef struct rd_kafka_mock_cluster_s rd_kafka_mock_cluster_t;

namespace sb::cluster {

// The embedded Kafka (DESIGN §2): librdkafka's built-in mock cluster, N brokers on
// 127.0.0.1 ephemeral ports, run by librdkafka's own thread. It speaks the Kafka protocol
// to any client (our producer and consumers, kcat): produce, fetch, metadata, consumer
// groups, offset commit/fetch, idempotent producer.
//
// It does NOT implement ListGroups or DescribeGroups (nor most admin APIs): anything that
// lists consumer groups (the console's Kafka view, kafka-consumer-groups.sh) must fall back
// to the groups it already knows (the bus's own group names) and say so. Data lives in
// memory only and disappears with this object.
//
// Thread-safe: the mock API locks internally. Create and destroy on one thread.
class KafkaMockCluster
{
public:
    KafkaMockCluster() = default;
    ~KafkaMockCluster();
    KafkaMockCluster(const KafkaMockCluster &) = delete;
    KafkaMockCluster &operator=(const KafkaMockCluster &) = delete;

    // Starts `brokers` brokers. False with *error if librdkafka cannot (e.g. no sockets).
    bool start(int brokers = 3, QString *error = nullptr);
    bool isRunning() const { return m_cluster != nullptr; }

    // "127.0.0.1:port,127.0.0.1:port,..." for bootstrap.servers / kcat -b.
    QByteArray bootstrapServers() const;
    int brokerCount() const { return m_brokers; }

    // Creates a topic with `partitions` partitions, replicated on up to 3 brokers. An
    // existing topic is an error from the mock; unknown topics are otherwise auto-created
    // (with the mock's default partition count) on first produce.
    bool createTopic(const QByteArray &topic, int partitions, QString *error = nullptr);

    // Outage simulation: disconnects every broker and refuses new connections (down), or
    // accepts them again (up). Leadership does not move, so data survives.
    bool setBrokersDown();
    bool setBrokersUp();

    // Makes the next requests of `apiKey` (a RD_KAFKAP_* request type, e.g. 0 = Produce)
    // fail with `errors`, one per request, in order; for error-path tests.
    void pushRequestErrors(int apiKey, const QList<rd_kafka_resp_err_t> &errors);

    rd_kafka_mock_cluster_t *handle() const { return m_cluster; }

    // How many times a command of ours (createTopic, setBrokersDown/Up) had to wake the mock
    // cluster's thread itself because librdkafka lost the wake-up (KafkaMockCommandNudge).
    int wakeUpNudges() const { return m_wakeUpNudges.load(); }

private:
    // Runs one mock command with a KafkaMockCommandNudge beside it.
    template<typename Command> auto nudged(Command command);

    KafkaHandle m_owner; // the mock cluster needs an rd_kafka_t to live in
    rd_kafka_mock_cluster_t *m_cluster = nullptr;
    int m_brokers = 0;
    quint16 m_firstBrokerPort = 0; // what KafkaMockCommandNudge connects to
    std::atomic<int> m_wakeUpNudges { 0 };
};

} // namespace sb::cluster
