#pragma once

#include "cluster/KafkaSettings.h"

#include <QByteArray>
#include <QObject>

#include <functional>
#include <memory>

namespace sb::cluster {

class KafkaConsumer;

// Every record of one topic, to every replica: a consumer group of its own per replica
// boot, from the latest offset (like the broadcast stage). For control events such as
// {prefix}.RoleUpdatedEvent. The handler runs on the consumer's thread, in batches.
class KafkaTopicFeed : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<void(const QByteArray &key, const QByteArray &value)>;

    KafkaTopicFeed(KafkaSettings settings, QByteArray topic, QByteArray groupId, QByteArray clientId,
        QObject *parent = nullptr);
    ~KafkaTopicFeed() override;

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    bool start(QString *error);
    void stop();

private:
    std::unique_ptr<KafkaConsumer> m_consumer;
    Handler m_handler;
};

} // namespace sb::cluster
