#pragma once

#include <QByteArray>
#include <QString>

namespace sb::cluster {

// Every Redis key the cluster uses, in one place, so the node, the adapters and the
// console's inspector agree on them (docs/protocol.md, "Cluster state in Redis").
class RedisKeys
{
public:
    explicit RedisKeys(QByteArray prefix = QByteArrayLiteral("sb:"))
        : m_prefix(std::move(prefix))
    { }

    QByteArray prefix() const { return m_prefix; }
    QByteArray node(const QString &id) const { return m_prefix + "node:" + id.toUtf8(); }
    QByteArray nodePattern() const { return m_prefix + "node:*"; }
    // The ids of the replicas that announced themselves (a set), so listing them reads a few
    // keys instead of SCANning a keyspace that holds a key per token and session.
    QByteArray nodeIndex() const { return m_prefix + "nodes"; }
    QByteArray token(const QString &jti) const { return m_prefix + "token:" + jti.toUtf8(); }
    QByteArray userTokens(const QString &user) const { return m_prefix + "user-tokens:" + user.toUtf8(); }
    QByteArray session(const QString &id) const { return m_prefix + "session:" + id.toUtf8(); }
    QByteArray sse(const QString &user) const { return m_prefix + "sse:" + user.toUtf8(); }
    QByteArray history(const QString &channel) const { return m_prefix + "history:" + channel.toUtf8(); }
    QByteArray presence() const { return m_prefix + "presence"; }
    // Presence is leased per replica boot (RedisPresenceCounter): who holds leases, until when
    // (a sorted set scored by expiry in ms), and what each holder counts.
    QByteArray presenceLeases() const { return m_prefix + "presence:leases"; }
    QByteArray presenceHeldPrefix() const { return m_prefix + "presence:held:"; }
    QByteArray presenceHeld(const QByteArray &holder) const { return presenceHeldPrefix() + holder; }
    QByteArray persisted(const QString &messageId) const
    {
        return m_prefix + "persisted:" + messageId.toUtf8();
    }
    QByteArray broadcastChannel() const { return m_prefix + "bus:broadcast"; }

private:
    QByteArray m_prefix;
};

} // namespace sb::cluster
