#pragma once

#include "cluster/KafkaHandles.h"
#include "cluster/KafkaSettings.h"

#include <QByteArray>
#include <QHash>
#include <QString>

#include <atomic>
#include <thread>

namespace sb::testing {

// Stage 1 as a test that plays the relays itself sees it (tst_busbridgeorder): records
// appended to a partition it chooses (their offsets are the origins its played copies
// carry), and the stage-1 group's commits, made as a member of that group the way a relay's
// consumer commits a record once stage 2 took it. The catch-up of a Redis replica reads
// stage 1 only up to where that group committed, so a test that relays on its own must
// commit too.
//
// The member relays nothing and never commits by itself. It commits any partition it is
// told to (librdkafka's mock cluster, like a broker, checks the member and its generation,
// not that it holds the partition), so the replicas beside it must not relay that partition
// themselves (pause their stage 1). It polls on a thread of its own: a member that stopped
// polling would hold up the group's rebalances.
class PlayedStage1
{
public:
    PlayedStage1(sb::cluster::KafkaSettings settings, QByteArray topic, QByteArray group)
        : m_settings(std::move(settings))
        , m_topic(std::move(topic))
        , m_group(std::move(group))
    { }
    ~PlayedStage1() { stop(); }
    PlayedStage1(const PlayedStage1 &) = delete;
    PlayedStage1 &operator=(const PlayedStage1 &) = delete;

    // Creates the producer and joins the group (the join completes later: hasJoined()).
    bool start(QString *error)
    {
        sb::cluster::KafkaConf producerConf = m_settings.createConf({ { "linger.ms", "0" } }, {}, error);
        sb::cluster::KafkaConf memberConf
            = m_settings.createConf({ { "session.timeout.ms", "6000" }, { "heartbeat.interval.ms", "300" } },
                { { "group.id", m_group }, { "enable.auto.commit", "false" },
                    { "enable.auto.offset.store", "false" }, { "auto.offset.reset", "latest" } },
                error);
        if (!producerConf || !memberConf)
            return false;
        rd_kafka_conf_set_opaque(producerConf.get(), this);
        rd_kafka_conf_set_dr_msg_cb(producerConf.get(), &PlayedStage1::onDelivery);
        rd_kafka_conf_set_opaque(memberConf.get(), this);
        rd_kafka_conf_set_rebalance_cb(memberConf.get(), &PlayedStage1::onRebalance);
        char reason[512];
        m_producer.reset(rd_kafka_new(RD_KAFKA_PRODUCER, producerConf.get(), reason, sizeof reason));
        if (!m_producer) {
            *error = QString::fromUtf8(reason);
            return false;
        }
        producerConf.release();
        m_member.reset(rd_kafka_new(RD_KAFKA_CONSUMER, memberConf.get(), reason, sizeof reason));
        if (!m_member) {
            *error = QString::fromUtf8(reason);
            return false;
        }
        memberConf.release();
        rd_kafka_poll_set_consumer(m_member.get());
        sb::cluster::KafkaPartitionList topics(rd_kafka_topic_partition_list_new(1));
        rd_kafka_topic_partition_list_add(topics.get(), m_topic.constData(), RD_KAFKA_PARTITION_UA);
        if (const rd_kafka_resp_err_t err = rd_kafka_subscribe(m_member.get(), topics.get()); err) {
            *error = QString::fromUtf8(rd_kafka_err2str(err));
            return false;
        }
        m_polling = std::thread([this] {
            while (!m_stopping.load()) {
                // What it fetches of the partitions it holds is dropped: it relays nothing.
                if (rd_kafka_message_t *message = rd_kafka_consumer_poll(m_member.get(), 100))
                    rd_kafka_message_destroy(message);
            }
        });
        return true;
    }

    // The group gave it an assignment (possibly empty): it may commit from now on.
    bool hasJoined() const { return m_joined.load(); }

    // Appends `value` to `partition` of the topic; its offset, or -1 if the broker did not take it.
    qint64 append(int partition, const QByteArray &key, const QByteArray &value)
    {
        const quintptr id = ++m_appends;
        const rd_kafka_resp_err_t err
            = rd_kafka_producev(m_producer.get(), RD_KAFKA_V_TOPIC(m_topic.constData()),
                RD_KAFKA_V_PARTITION(partition), RD_KAFKA_V_KEY(key.constData(), size_t(key.size())),
                RD_KAFKA_V_VALUE(const_cast<char *>(value.constData()), size_t(value.size())),
                RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_OPAQUE(reinterpret_cast<void *>(id)),
                RD_KAFKA_V_END);
        if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
            return -1;
        rd_kafka_flush(m_producer.get(), 10000); // serves the delivery report
        return m_appended.value(id, -1);
    }

    // Commits `offset` (the next record to read) for `partition`, as the group's member; waits
    // for the coordinator's answer. False while the group rebalances (try again).
    bool commit(int partition, qint64 offset)
    {
        sb::cluster::KafkaPartitionList offsets(rd_kafka_topic_partition_list_new(1));
        rd_kafka_topic_partition_list_add(offsets.get(), m_topic.constData(), partition)->offset = offset;
        return rd_kafka_commit(m_member.get(), offsets.get(), 0) == RD_KAFKA_RESP_ERR_NO_ERROR;
    }

    // Leaves the group (its partitions move on at once) and ends the thread. Idempotent.
    void stop()
    {
        m_stopping = true;
        if (m_polling.joinable())
            m_polling.join();
        if (m_member)
            rd_kafka_consumer_close(m_member.get());
        m_member.reset();
        m_producer.reset();
    }

private:
    // On the thread that flushes (append()'s), or, for a report that came too late, a later
    // flush or the producer's end: it only fills the table.
    static void onDelivery(rd_kafka_t *, const rd_kafka_message_t *message, void *opaque)
    {
        if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR)
            static_cast<PlayedStage1 *>(opaque)->m_appended.insert(
                reinterpret_cast<quintptr>(message->_private), message->offset);
    }
    static void onRebalance(
        rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *partitions, void *opaque)
    {
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
            rd_kafka_assign(rk, partitions);
            static_cast<PlayedStage1 *>(opaque)->m_joined = true;
        } else {
            rd_kafka_assign(rk, nullptr);
        }
    }

    const sb::cluster::KafkaSettings m_settings;
    const QByteArray m_topic;
    const QByteArray m_group;
    quintptr m_appends = 0;
    QHash<quintptr, qint64> m_appended; // append number -> offset the broker gave it
    sb::cluster::KafkaHandle m_producer;
    sb::cluster::KafkaHandle m_member;
    std::thread m_polling;
    std::atomic<bool> m_stopping { false };
    std::atomic<bool> m_joined { false };
};

} // namespace sb::testing
