#pragma once

#include "app/DevClusterOptions.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

class QNetworkAccessManager;

#include <memory>

namespace sb::cluster {
class KafkaMockCluster;
}

namespace sb::app {

class ManagedChild;

// The whole demo cluster on loopback: librdkafka's mock Kafka (3 brokers) unless a
// bootstrap is given, a redis-server child (no persistence) unless a URL is given, and N
// `switchboard node` children sharing one JWT secret. Asynchronous: ready(endpoints) or
// failed(reason, which part). Used by `switchboard devcluster` and by the console's demo.
class DevCluster : public QObject
{
    Q_OBJECT
public:
    explicit DevCluster(DevClusterOptions options, QString switchboardBinary, QObject *parent = nullptr);
    ~DevCluster() override;

    void start();
    void stop(int graceMs = 5000);
    QJsonObject endpoints() const { return m_endpoints; }
    QString redisUrl() const { return m_redisUrl; }
    QString kafkaBootstrap() const { return m_kafkaBootstrap; }
    QList<qint64> childPids() const;

signals:
    void progress(const QString &step);
    // After start-up: something a child did that an operator should know (a redis-server
    // that died and is being restarted, and when it is back).
    void notice(const QString &line);
    // A line a child (redis-server, node-N) wrote; its own log, for `--child-logs`.
    void childOutput(const QString &child, const QString &line);
    void ready(const QJsonObject &endpoints);
    void failed(const QString &part, const QString &reason);
    void stopped();

private:
    void startKafka();
    void startRedis();
    void startNodes();
    void onRedisReady();
    void onRedisDown(const QString &why);
    void restartRedis();
    void onNodeListening(ManagedChild *node);
    void pollReadiness(ManagedChild *node, int attemptsLeft);
    void onNodeReady();
    void fail(const QString &part, const QString &reason);

    DevClusterOptions m_options;
    QString m_binary;
    QTemporaryDir m_dir;
    QNetworkAccessManager *m_http = nullptr;
    std::unique_ptr<cluster::KafkaMockCluster> m_kafka;
    ManagedChild *m_redis = nullptr;
    quint16 m_redisPort = 0;
    bool m_redisStarted = false;   // ready once: from then on a death is restarted, not fatal
    bool m_redisRestartPending = false;
    int m_redisRestartDelayMs = 0; // the next restart's back-off
    int m_redisRestarts = 0;
    QElapsedTimer m_redisUpSince;
    QTimer m_redisRestartTimer{this};
    bool m_stopping = false;
    QList<ManagedChild *> m_nodes;
    QString m_redisUrl;
    QString m_kafkaBootstrap;
    QJsonObject m_endpoints;
    int m_nodesReady = 0;
    bool m_failed = false;
};

} // namespace sb::app
