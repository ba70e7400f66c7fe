#pragma once

#include "cluster/KafkaSettings.h"

#include <QByteArray>
#include <QObject>

#include <functional>
#include <memory>

namespace sb::cluster {

class KafkaConsumer;

// Every record of one topic, to every replica: a consumer group of its own per replica
// boot, from where the topic ended when start() ran (read there, before it returns: not
// when the group assigns the partitions, seconds later). For control events such as
// {prefix}.RoleUpdatedEvent: one sent once the replica may take sessions reaches it. The
// handler runs on the consumer's thread, in batches.
class KafkaTopicFeed : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(const QByteArray &key, const QByteArray &value)>;

    KafkaTopicFeed(KafkaSettings settings, QByteArray topic, QByteArray groupId, QByteArray clientId,
        QObject *parent = nullptr);
    ~KafkaTopicFeed() override;

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    // Blocks until it knows where the topic ends (at most a few seconds when Kafka does not
    // answer; the feed then starts at the end when its group assigns it).
    bool start(QString *error);
    // The group assigned its partitions: from now on its records reach the handler.
    bool hasJoined() const;
    void stop();

private:
    std::unique_ptr<KafkaConsumer> m_consumer;
    Handler m_handler;
};

} // namespace sb::cluster
