#pragma once

#include "app/DevClusterOptions.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
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
    // The admin account of --demo-users, which every replica of a devcluster runs with (the
    // fault actions' pause-stage1 and the console's tap log in with it).
    static constexpr const char *kAdminUser = "admin";
    static constexpr const char *kAdminPassword = "admin";
    explicit DevCluster(DevClusterOptions options, QString switchboardBinary, QObject *parent = nullptr);
    ~DevCluster() override;

    void start();
    void stop(int graceMs = 5000);
    QJsonObject endpoints() const { return m_endpoints; }
    QString redisUrl() const { return m_redisUrl; }
    QString kafkaBootstrap() const { return m_kafkaBootstrap; }
    QList<qint64> childPids() const;
    // The arguments a replica starts with (`switchboard node …`).
    QStringList nodeArguments(const QString &id, const QString &listen) const;

    // Replica control for fault injection (FaultActions). Each returns at once: false with
    // *why when it cannot (no such replica, already down, still running); the effect follows
    // as nodeExited()/nodeReady(), redisExited()/redisReady().
    QStringList nodeIds() const;
    bool hasNode(const QString &id) const { return findNode(id) != nullptr; }
    bool isNodeRunning(const QString &id) const;
    // The replica's base URL (http://127.0.0.1:PORT); it keeps its port across restarts.
    QString nodeUrl(const QString &id) const { return m_nodeUrls.value(id); }
    // id → base URL of the replicas running now.
    QHash<QString, QString> runningNodeUrls() const;
    bool killNode(const QString &id, QString *why); // SIGKILL
    bool drainNode(const QString &id, QString *why); // SIGTERM: a graceful drain
    bool startNode(const QString &id, QString *why); // a replica that is down, on its old port
    bool killRedis(QString *why); // SIGKILL the redis-server child
    bool canKillRedis(QString *why) const; // whether killRedis() would, now
    // Stage 2 of the replicas started from now on (a rolling restart applies it to all);
    // bridge: the other bus too, during a switch (`node --bus-bridge`), or empty.
    void setBus(const QString &bus, const QString &bridge = {});
    QString bus() const { return m_options.bus; }
    QString busBridge() const { return m_busBridge; }
    int nodeGraceSeconds() const;

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
    void nodeExited(const QString &id, const QString &how);
    void nodeReady(const QString &id, const QString &url); // /healthz/ready said 200
    void redisExited(const QString &how);
    void redisReady();

private:
    void reportProgress(const QString &step); // progress(), and a timed debug line
    void startKafka();
    void startRedis();
    void startNodes();
    void onRedisReady();
    void onRedisDown(const QString &why);
    void restartRedis();
    void onNodeListening(ManagedChild *node);
    void pollReadiness(ManagedChild *node, int attemptsLeft);
    void onNodeReady(ManagedChild *node);
    ManagedChild *findNode(const QString &id) const;
    void describeEndpoints();
    void fail(const QString &part, const QString &reason);

    DevClusterOptions m_options;
    QString m_busBridge; // during a bus switch's first pass: the old bus
    QString m_binary;
    QTemporaryDir m_dir;
    QNetworkAccessManager *m_http = nullptr;
    std::unique_ptr<cluster::KafkaMockCluster> m_kafka;
    ManagedChild *m_redis = nullptr;
    quint16 m_redisPort = 0;
    bool m_redisStarted = false; // ready once: from then on a death is restarted, not fatal
    bool m_redisRestartPending = false;
    int m_redisRestartDelayMs = 0; // the next restart's back-off
    int m_redisRestarts = 0;
    QElapsedTimer m_redisUpSince;
    QTimer m_redisRestartTimer { this };
    QElapsedTimer m_sinceStart; // for the timed debug lines of the start-up steps
    bool m_stopping = false;
    QList<ManagedChild *> m_nodes;
    QString m_redisUrl;
    QString m_kafkaBootstrap;
    QJsonObject m_endpoints;
    QHash<QString, QString> m_nodeUrls; // id → base URL, kept while it is down
    int m_nodesReady = 0;
    bool m_ready = false; // emitted ready(): from then on a replica's failure is not the cluster's
    bool m_failed = false;
};

} // namespace sb::app
