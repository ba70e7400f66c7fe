#pragma once

#include "cluster/KafkaHandles.h"
#include "cluster/KafkaSettings.h"

#include <QByteArray>
#include <QHash>
#include <QMap>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <atomic>
#include <thread>

namespace sb::testing {

// Stage 1 as a test that plays the relays itself sees it (tst_busbridgeorder): records
// appended to a partition it chooses (their offsets are the origins its played copies
// carry), and the stage-1 group's commits, made as a member of that group the way a relay's
// consumer commits a record once stage 2 took it. The catch-up of a Redis replica reads
// stage 1 only up to where that group committed, so a test that relays on its own must
// commit too, and as a member: once the group exists (the replicas beside it are members),
// librdkafka's mock refuses a commit from outside it (UNKNOWN_MEMBER_ID) and stores nothing
// of a transactional one (TxnOffsetCommit), so assigning partitions directly is no way round.
//
// The member relays nothing and never commits by itself. It commits any partition it is
// told to (librdkafka's mock cluster, like a broker, checks the member and its generation,
// not that it holds the partition), so the replicas beside it must not relay that partition
// themselves (pause their stage 1). It polls on a thread of its own: a member that stopped
// polling would hold up the group's rebalances.
//
// Why a commit is made on that thread, and only while the member holds a current assignment
// (never retried on a timer): the mock refuses a commit while its group rebalances, and
// librdkafka 2.0.2 answers a refusal for a stale generation (ILLEGAL_GENERATION) by
// forgetting its generation and, when not rebalancing, revoking and rejoining, which starts
// another rebalance of the whole group (~5 s each: the mock waits session.timeout.ms - 1 s
// for members to join). A commit sent from another thread while this member rejoins carries
// the old generation, waits in the mock behind the member's JoinGroup, and comes back
// ILLEGAL_GENERATION after the election, undoing the generation the JoinGroup just gave it
// (librdkafka issue #4059, fixed after 2.0.2 by PR #4908); so commits retried every few ms
// from the test's thread could keep the group rebalancing (the flake of f3b641b, reverted in
// 7883234). On the polling thread a commit cannot overlap a rejoin: the member rejoins only
// after this thread served the revocation.
//
// Why the group may rebalance several times before it settles, with nobody joining late: the
// mock ends a rebalance's sync as soon as the leader's SyncGroup brought every assignment, so
// a member whose SyncGroup comes after the leader's is answered INVALID_REQUEST, rejoins, and
// starts another rebalance (seen in the cgrp debug log, 1-3 extra rounds in some runs, and
// unchanged in librdkafka's mock since). A commit asked for meanwhile goes through at the
// first assignment of a generation the mock is still in: no need to wait for the group to
// settle first.
class PlayedStage1
{
public:
    // sessionTimeoutMs: as the group's other members (the mock takes the last joiner's for
    // the whole group, and waits that less 1 s for members to join in a rebalance).
    PlayedStage1(
        sb::cluster::KafkaSettings settings, QByteArray topic, QByteArray group, int sessionTimeoutMs)
        : m_settings(std::move(settings))
        , m_topic(std::move(topic))
        , m_group(std::move(group))
        , m_sessionTimeoutMs(sessionTimeoutMs)
    { }
    ~PlayedStage1() { stop(); }
    PlayedStage1(const PlayedStage1 &) = delete;
    PlayedStage1 &operator=(const PlayedStage1 &) = delete;

    // Creates the producer and joins the group (the join completes later: hasJoined()).
    bool start(QString *error)
    {
        sb::cluster::KafkaConf producerConf = m_settings.createConf({ { "linger.ms", "0" } }, {}, error);
        sb::cluster::KafkaConf memberConf
            = m_settings.createConf({ { "session.timeout.ms", QByteArray::number(m_sessionTimeoutMs) },
                                        { "heartbeat.interval.ms", "300" } },
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
                commitWanted();
            }
        });
        return true;
    }

    // The group gave it an assignment (possibly empty) at least once.
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

    // Asks for `offset` (the next record to read) of `partition` to be committed as the
    // group's member: the polling thread commits it at once if the member holds a current
    // assignment, else right after the rebalance under way gave it its next one. See
    // committed() for when it went through.
    void commit(int partition, qint64 offset)
    {
        const QMutexLocker lock(&m_commitMutex);
        m_commitsWanted.insert(partition, offset);
    }

    // What the coordinator took for `partition` (-1: nothing yet).
    qint64 committed(int partition) const
    {
        const QMutexLocker lock(&m_commitMutex);
        return m_committed.value(partition, -1);
    }

    // For a failure message: commits asked for but not taken yet, refusals, rebalances seen.
    QString commitState() const
    {
        const QMutexLocker lock(&m_commitMutex);
        QStringList wanted;
        for (auto it = m_commitsWanted.cbegin(); it != m_commitsWanted.cend(); ++it)
            wanted << QStringLiteral("%1@%2").arg(it.key()).arg(it.value());
        return QStringLiteral("not committed yet: [%1]; refused %2 time(s) (last: %3); %4 assignment(s)")
            .arg(wanted.join(u", "), QString::number(m_commitsRefused),
                QString::fromUtf8(rd_kafka_err2name(m_lastRefusal)), QString::number(m_assignments.load()));
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
    // Polling thread. Commits what was asked for, in one request, while the member holds an
    // assignment of the group's current generation. A refusal because the group rebalances
    // (or the member's generation is gone) waits for the next assignment: the member learns
    // of the rebalance at its next heartbeat, rejoins, and is assigned again.
    void commitWanted()
    {
        if (!m_holdsCurrentAssignment)
            return;
        QMap<int, qint64> wanted;
        {
            const QMutexLocker lock(&m_commitMutex);
            wanted = m_commitsWanted;
        }
        if (wanted.isEmpty())
            return;
        sb::cluster::KafkaPartitionList offsets(rd_kafka_topic_partition_list_new(int(wanted.size())));
        for (auto it = wanted.cbegin(); it != wanted.cend(); ++it)
            rd_kafka_topic_partition_list_add(offsets.get(), m_topic.constData(), it.key())->offset
                = it.value();
        const rd_kafka_resp_err_t err = rd_kafka_commit(m_member.get(), offsets.get(), 0);
        const QMutexLocker lock(&m_commitMutex);
        if (err == RD_KAFKA_RESP_ERR_NO_ERROR) {
            for (auto it = wanted.cbegin(); it != wanted.cend(); ++it) {
                m_committed.insert(it.key(), it.value());
                if (m_commitsWanted.value(it.key(), -1) == it.value())
                    m_commitsWanted.remove(it.key());
            }
            return;
        }
        ++m_commitsRefused;
        m_lastRefusal = err;
        switch (err) {
        case RD_KAFKA_RESP_ERR_REBALANCE_IN_PROGRESS:
        case RD_KAFKA_RESP_ERR_ILLEGAL_GENERATION:
        case RD_KAFKA_RESP_ERR_UNKNOWN_MEMBER_ID:
        case RD_KAFKA_RESP_ERR__ASSIGNMENT_LOST:
        case RD_KAFKA_RESP_ERR__STATE:
            m_holdsCurrentAssignment = false;
            break;
        default:
            break; // anything else (a timeout, the coordinator moving): again at the next poll
        }
    }

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
        auto *self = static_cast<PlayedStage1 *>(opaque);
        if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
            rd_kafka_assign(rk, partitions);
            self->m_holdsCurrentAssignment = true;
            ++self->m_assignments;
            self->m_joined = true;
        } else {
            rd_kafka_assign(rk, nullptr);
            self->m_holdsCurrentAssignment = false;
        }
    }

    const sb::cluster::KafkaSettings m_settings;
    const QByteArray m_topic;
    const QByteArray m_group;
    const int m_sessionTimeoutMs;
    quintptr m_appends = 0;
    QHash<quintptr, qint64> m_appended; // append number -> offset the broker gave it
    sb::cluster::KafkaHandle m_producer;
    sb::cluster::KafkaHandle m_member;
    std::thread m_polling;
    std::atomic<bool> m_stopping { false };
    std::atomic<bool> m_joined { false };
    std::atomic<int> m_assignments { 0 };
    // Polling thread's (the rebalance callback runs there too; after the thread ended, in
    // stop()'s close): set by an assignment, cleared by a revocation or a refused commit.
    bool m_holdsCurrentAssignment = false;
    mutable QMutex m_commitMutex;
    QMap<int, qint64> m_commitsWanted; // partition -> offset, until the coordinator took it
    QHash<int, qint64> m_committed;
    int m_commitsRefused = 0;
    rd_kafka_resp_err_t m_lastRefusal = RD_KAFKA_RESP_ERR_NO_ERROR;
};

} // namespace sb::testing
