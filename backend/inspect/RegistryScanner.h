#pragma once

#include "cluster/RedisUrl.h"

#include <QByteArray>
#include <QMap>
#include <QObject>
#include <QString>

#include <functional>

namespace sb::cluster {
class RedisConnection;
class RedisReply;
} // namespace sb::cluster

namespace sb::inspect {

// Reads the replica registry: SCAN MATCH <prefix>node:* (bounded COUNT, never KEYS, so a
// big production keyspace is walked in short server calls), then one pipelined HGETALL per
// key found. Lives on the discovery's worker thread; callbacks run there.
class RegistryScanner : public QObject
{
    Q_OBJECT
public:
    struct Result
    {
        bool ok = false;
        QString error;
        QMap<QString, QMap<QByteArray, QByteArray>> nodes; // id -> hash fields
    };
    using Done = std::function<void(const Result &)>;

    static constexpr int kScanCount = 500; // keys per SCAN call: short on the server
    static constexpr int kMaxNodes = 5000; // bounds memory against a runaway registry

    RegistryScanner(sb::cluster::RedisUrl url, QByteArray keyPrefix, QObject *parent = nullptr);
    ~RegistryScanner() override;

    void open();
    bool busy() const { return m_busy; }
    // The first connection attempt is still under way: a read now would only say "not
    // connected yet", which is no news about the registry.
    bool firstConnectPending() const;
    // One walk of the registry; `done` runs once, later, on this object's thread.
    void scan(Done done);
    QString name() const;

signals:
    // The Redis connection is up (again): worth polling now rather than at the next tick.
    void connected();

private:
    void scanFrom(const QByteArray &cursor);
    void fetchAll();
    void finish(bool ok, const QString &error);
    bool stale(quint64 generation) const { return generation != m_generation; }

    sb::cluster::RedisUrl m_url;
    QByteArray m_prefix;
    sb::cluster::RedisConnection *m_redis = nullptr;
    bool m_busy = false;
    quint64 m_generation = 0;
    int m_scanCalls = 0;
    QList<QByteArray> m_keys;
    int m_pending = 0;
    Result m_result;
    Done m_done;
};

} // namespace sb::inspect
