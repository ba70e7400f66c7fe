#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>

#include <functional>

class QObject;

namespace sb::cluster {

// Port: where a replica announces itself (sb:node:{id} in Redis, refreshed every second
// with a TTL of about 5 s), so the console discovers replicas and sees one vanish when
// its key expires. Thread-safe; publish and remove are fire and forget.
class NodeRegistry
{
public:
    struct Announced
    {
        QString id;
        QMap<QByteArray, QByteArray> fields;
    };
    // ok is false when the registry could not be read (Redis unreachable): not "no replicas".
    using ListHandler = std::function<void(bool ok, const QList<Announced> &nodes)>;

    virtual ~NodeRegistry() = default;
    virtual void publish(const QString &nodeId, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds)
        = 0;
    virtual void remove(const QString &nodeId) = 0;
    // Every replica announced now (an expired announcement is gone), sorted by id, to
    // `handler` on `context`'s thread, never from inside list(); dropped if context goes
    // first. For GET /api/replicas, which the browser chat page fails over with.
    virtual void list(QObject *context, ListHandler handler) = 0;
};

} // namespace sb::cluster
