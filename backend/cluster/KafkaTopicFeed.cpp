#include "cluster/KafkaTopicFeed.h"

#include "cluster/KafkaConsumer.h"

namespace sb::cluster {

KafkaTopicFeed::KafkaTopicFeed(
    KafkaSettings settings, QByteArray topic, QByteArray groupId, QByteArray clientId, QObject *parent)
    : QObject(parent)
{
    KafkaConsumerOptions options;
    options.groupId = std::move(groupId);
    options.topics = { std::move(topic) };
    options.clientId = std::move(clientId);
    // A new boot acts on what happens from now on, "now" being start(): the group assigns its
    // partitions seconds later, and an event sent in between concerns whatever the replica
    // took on meanwhile (a role change for a session it accepted: the session must end).
    options.autoOffsetReset = "latest";
    options.latestAsOfStart = true;
    options.retireGroupOnClose = true; // per boot: nothing consumes it again once stopped
    m_consumer = std::make_unique<KafkaConsumer>(std::move(settings), options);
    m_consumer->setBatchHandler([this](const QList<KafkaRecord> &batch) {
        for (const KafkaRecord &record : batch)
            if (m_handler)
                m_handler(record.key, record.value);
        return true;
    });
}

KafkaTopicFeed::~KafkaTopicFeed()
{
    stop();
}

bool KafkaTopicFeed::start(QString *error)
{
    return m_consumer->start(error);
}

bool KafkaTopicFeed::hasJoined() const
{
    return m_consumer->hasJoinedGroup();
}

void KafkaTopicFeed::stop()
{
    m_consumer->close();
}

} // namespace sb::cluster
