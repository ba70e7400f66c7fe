#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <QTimer>

namespace sb::node {

struct NodeServices;

// Announces this replica in the cluster's NodeRegistry (sb:node:{id}) every second with a
// TTL of 5 s: address, version, started, ready, draining, connections, subscriptions,
// message rates, heart-beat timeouts and the Kafka consumer groups it consumes with. This is how the console
// discovers replicas, and why a crashed one vanishes within 5 s. withdraw() removes the entry at a clean
// stop.
class RegistryAnnouncer : public QObject
{
    Q_OBJECT
public:
    static constexpr int kIntervalMs = 1000;
    static constexpr int kTtlSeconds = 5;

    RegistryAnnouncer(NodeServices *services, QString address, QObject *parent = nullptr);

    void start();
    void withdraw();
    void announce();

private:
    NodeServices *m_services;
    QString m_address;
    QTimer m_timer;
    QElapsedTimer m_sinceLast;
    qint64 m_lastIn = 0;
    qint64 m_lastOut = 0;
};

} // namespace sb::node
