#pragma once

#include "cluster/KafkaEventBus.h"
#include "cluster/KafkaMockCluster.h"
#include "support/RedisServerProcess.h"

#include <QFile>
#include <QRandomGenerator>
#include <QStringList>
#include <QTemporaryDir>

// What `switchboard node` processes need to act as one cluster in a test: a real
// redis-server (killed by pid), librdkafka's mock cluster in this process with the bus
// topics, and a shared JWT secret. args() are the node options that point at them.
namespace sb::testing {

class NodeClusterFixture
{
public:
    bool start(QString *error)
    {
        if (!m_kafka.start(1, error))
            return false;
        QList<QByteArray> topics = sb::cluster::KafkaEventBus::topics("switchboard");
        topics << QByteArrayLiteral("switchboard.RoleUpdatedEvent");
        for (const QByteArray &topic : std::as_const(topics)) {
            if (!m_kafka.createTopic(topic, 2, error))
                return false;
        }
        if (!m_redis.start()) {
            *error = m_redis.errorString();
            return false;
        }
        QFile secret(m_dir.filePath(QStringLiteral("jwt-secret")));
        if (!secret.open(QIODevice::WriteOnly)) {
            *error = secret.errorString();
            return false;
        }
        QByteArray bytes(48, '\0');
        for (char &byte : bytes)
            byte = char(QRandomGenerator::global()->bounded(256));
        secret.write(bytes.toBase64());
        m_secretPath = secret.fileName();
        return true;
    }

    QStringList args(const QString &id) const
    {
        return { QStringLiteral("--id"), id, QStringLiteral("--jwt-secret-file"), m_secretPath,
            QStringLiteral("--redis"), QStringLiteral("redis://127.0.0.1:%1/0").arg(m_redis.port()),
            QStringLiteral("--kafka"), QString::fromLatin1(m_kafka.bootstrapServers()),
            QStringLiteral("--kafka-session-timeout-ms"), QStringLiteral("3000") };
    }

    quint16 redisPort() const { return m_redis.port(); }
    QByteArray kafkaBootstrap() const { return m_kafka.bootstrapServers(); }

private:
    sb::cluster::KafkaMockCluster m_kafka;
    RedisServerProcess m_redis;
    QTemporaryDir m_dir;
    QString m_secretPath;
};

} // namespace sb::testing
