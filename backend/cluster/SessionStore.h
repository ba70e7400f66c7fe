#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

namespace sb::cluster {

// Port: one entry per client connection (sb:session:{id}: user, node, transport, since,
// remote), kept alive by heart-beats through its TTL and removed on close, so the console
// sees every session of the cluster and a crashed replica's sessions expire by themselves.
// Thread-safe, fire and forget.
class SessionStore
{
public:
    virtual ~SessionStore() = default;
    virtual void open(const QString &sessionId, const QMap<QByteArray, QByteArray> &fields, int ttlSeconds)
        = 0;
    virtual void touch(const QString &sessionId, int ttlSeconds) = 0;
    virtual void close(const QString &sessionId) = 0;
};

} // namespace sb::cluster
