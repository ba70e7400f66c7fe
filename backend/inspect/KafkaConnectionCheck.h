#pragma once

#include "cluster/KafkaSettings.h"

#include <QObject>

namespace sb::inspect {

// Test connection, Kafka part: opens an admin client with the profile's bootstrap and
// librdkafka properties (SASL/SSL) and reads the cluster's metadata, then says once how
// many brokers and topics answered or what failed. librdkafka's calls block, bounded by
// the request timeout, so they run on a thread of their own; the answer comes back queued
// to this object (dropped if it is gone by then). Nothing waits on the caller's thread.
class KafkaConnectionCheck : public QObject
{
    Q_OBJECT
public:
    KafkaConnectionCheck(cluster::KafkaSettings settings, int requestTimeoutMs, QObject *parent = nullptr);

    void start();

signals:
    void finished(bool ok, const QString &detail);

private:
    const cluster::KafkaSettings m_settings;
    const int m_requestTimeoutMs;
};

} // namespace sb::inspect
