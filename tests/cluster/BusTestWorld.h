#pragma once

#include "cluster/EventBus.h"
#include "cluster/KafkaRecord.h"

#include <QHash>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QMutex>

#include <atomic>
#include <optional>

// What the event-bus tests share: payloads, a "database" and the replicas' "clients".
namespace sb::testing {

inline QByteArray messagePayload(const QByteArray &id, const QByteArray &channel = "general")
{
    const QJsonObject message { { u"id"_qs, QString::fromUtf8(id) },
        { u"channel"_qs, QString::fromUtf8(channel) }, { u"body"_qs, u"hello"_qs } };
    return QJsonDocument(QJsonObject { { u"type"_qs, u"message"_qs }, { u"message"_qs, message } })
        .toJson(QJsonDocument::Compact);
}

inline QByteArray idOf(const QByteArray &payload)
{
    return QJsonDocument::fromJson(payload)
        .object()
        .value(u"message")
        .toObject()
        .value(u"id")
        .toString()
        .toUtf8();
}

// Where one record was seen: a BusHop's views copied out (they live only for the call).
struct SeenHop
{
    QByteArray topic;
    int partition = -1;
    qint64 offset = -1;
    QByteArray key;
    sb::cluster::BusHop::Medium medium = sb::cluster::BusHop::Medium::Local;
};

inline SeenHop copyOf(const sb::cluster::BusHop &hop)
{
    return { hop.topic.toByteArray(), hop.partition, hop.offset, hop.key.toByteArray(), hop.medium };
}

// What the replicas share and record, as a database and their local clients would.
// The persist handler is idempotent on the message id, as the port requires: it stores
// by id, so a redelivered record is counted as a call but stored once. Ids starting with
// "fail-" never store; ids containing "flaky" fail their first attempt; while storeDown is set every
// attempt fails (the store is unreachable, as a Redis-backed one is when Redis is down).
struct BusTestWorld
{
    QMutex mutex;
    std::atomic<bool> storeDown { false };
    QHash<QByteArray, QByteArray> store; // message id -> payload ("the database")
    QHash<QByteArray, int> persistCalls; // message id -> calls, across replicas
    QHash<QByteArray, QList<QByteArray>> delivered; // replica -> message ids, in order
    QHash<QByteArray, SeenHop> persistHops; // message id -> the stage-1 record, last seen
    QHash<QByteArray, SeenHop> deliveryHops; // replica + '/' + message id -> the stage-2 record

    sb::cluster::EventBus::PersistHandler persistHandler()
    {
        return [this](const QByteArray &payload, const sb::cluster::BusHop &hop, QString *error) {
            const QByteArray id = idOf(payload);
            const QMutexLocker lock(&mutex);
            const int call = ++persistCalls[id];
            persistHops.insert(id, copyOf(hop));
            if (storeDown.load()) {
                *error = QStringLiteral("store unreachable");
                return false;
            }
            if (id.startsWith("fail-") || (id.contains("flaky") && call == 1)) {
                *error = QStringLiteral("database says no");
                return false;
            }
            if (!store.contains(id))
                store.insert(id, payload);
            return true;
        };
    }
    sb::cluster::EventBus::Handler deliveryHandler(const QByteArray &replica)
    {
        return [this, replica](const QByteArray &payload, const sb::cluster::BusHop &hop) {
            const QMutexLocker lock(&mutex);
            delivered[replica].append(idOf(payload));
            deliveryHops.insert(replica + '/' + idOf(payload), copyOf(hop));
        };
    }
    int calls(const QByteArray &id)
    {
        const QMutexLocker lock(&mutex);
        return persistCalls.value(id);
    }
    int stored(const QByteArray &id)
    {
        const QMutexLocker lock(&mutex);
        return store.contains(id) ? 1 : 0;
    }
    int deliveredCount(const QByteArray &replica, const QByteArray &id)
    {
        const QMutexLocker lock(&mutex);
        return static_cast<int>(delivered.value(replica).count(id));
    }
    // The ids starting with `prefix` that `replica` delivered, in its order.
    QList<QByteArray> deliveredWithPrefix(const QByteArray &replica, const QByteArray &prefix)
    {
        const QMutexLocker lock(&mutex);
        QList<QByteArray> ids;
        for (const QByteArray &id : delivered.value(replica))
            if (id.startsWith(prefix))
                ids.append(id);
        return ids;
    }
    // The stage-1 offset the persist handler last saw for `id` (-1 if never).
    qint64 stage1Offset(const QByteArray &id)
    {
        const QMutexLocker lock(&mutex);
        return persistHops.value(id).offset;
    }
};

struct DeadLetters
{
    QMutex mutex;
    QList<sb::cluster::KafkaRecord> records;

    std::optional<sb::cluster::KafkaRecord> find(const QByteArray &value)
    {
        const QMutexLocker lock(&mutex);
        for (const sb::cluster::KafkaRecord &record : std::as_const(records)) {
            if (record.value == value)
                return record;
        }
        return std::nullopt;
    }
    int count(const QByteArray &value)
    {
        const QMutexLocker lock(&mutex);
        int n = 0;
        for (const sb::cluster::KafkaRecord &record : std::as_const(records))
            n += record.value == value ? 1 : 0;
        return n;
    }
};

} // namespace sb::testing
