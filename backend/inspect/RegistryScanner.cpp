#include "inspect/RegistryScanner.h"

#include "cluster/RedisConnection.h"

#include <QSet>

namespace sb::inspect {

using sb::cluster::RedisConnection;
using sb::cluster::RedisReply;

namespace {
// A SCAN that has not come back to cursor 0 after this many calls is abandoned: with
// COUNT 500 that is five million keys, far beyond any registry, so it means a keyspace
// being rewritten faster than we walk it.
constexpr int kMaxScanCalls = 10000;
} // namespace

RegistryScanner::RegistryScanner(sb::cluster::RedisUrl url, QByteArray keyPrefix, QObject *parent)
    : QObject(parent)
    , m_url(std::move(url))
    , m_prefix(std::move(keyPrefix))
{
    sb::cluster::RedisConnectionOptions options;
    options.name = QStringLiteral("switchboard-console-replicas");
    options.connectTimeout = std::chrono::milliseconds(3000);
    m_redis = new RedisConnection(m_url, options, this);
    connect(m_redis, &RedisConnection::connected, this, &RegistryScanner::connected);
}

RegistryScanner::~RegistryScanner() = default;

void RegistryScanner::open()
{
    m_redis->open();
}

bool RegistryScanner::firstConnectPending() const
{
    return !m_redis->isConnected() && m_redis->lastError().isEmpty();
}

QString RegistryScanner::name() const
{
    return QStringLiteral("registry ") + m_url.redacted();
}

void RegistryScanner::scan(Done done)
{
    ++m_generation;
    m_busy = true;
    m_done = std::move(done);
    m_result = Result();
    m_keys.clear();
    m_scanCalls = 0;
    m_pending = 0;
    if (!m_redis->isConnected()) {
        // Answer through the event loop, as every other path does.
        const quint64 generation = m_generation;
        QMetaObject::invokeMethod(
            this,
            [this, generation] {
                if (stale(generation))
                    return;
                const QString why = m_redis->lastError();
                finish(false,
                    why.isEmpty() ? QStringLiteral("not connected to Redis yet")
                                  : QStringLiteral("Redis unreachable: ") + why);
            },
            Qt::QueuedConnection);
        return;
    }
    scanFrom(QByteArrayLiteral("0"));
}

void RegistryScanner::scanFrom(const QByteArray &cursor)
{
    const quint64 generation = m_generation;
    ++m_scanCalls;
    m_redis->command(
        { "SCAN", cursor, "MATCH", m_prefix + "node:*", "COUNT", QByteArray::number(kScanCount) }, this,
        [this, generation](const RedisReply &reply) {
            if (stale(generation))
                return;
            if (reply.isError() || !reply.isArray() || reply.size() != 2) {
                finish(false,
                    QStringLiteral("SCAN failed: ")
                        + (reply.isError() ? reply.errorMessage() : reply.toDebugString()));
                return;
            }
            const RedisReply keys = reply.at(1); // at() returns a copy: keep it alive
            for (const RedisReply &key : keys.elements()) {
                if (key.isString() && m_keys.size() < kMaxNodes)
                    m_keys.append(key.bytes());
            }
            const QByteArray next = reply.at(0).bytes();
            if (next == "0" || next.isEmpty() || m_keys.size() >= kMaxNodes)
                fetchAll();
            else if (m_scanCalls >= kMaxScanCalls)
                finish(false, QStringLiteral("SCAN did not finish after %1 calls").arg(kMaxScanCalls));
            else
                scanFrom(next);
        });
}

void RegistryScanner::fetchAll()
{
    // SCAN may return a key twice (the keyspace was rehashed meanwhile).
    QSet<QByteArray> unique;
    QList<QByteArray> keys;
    for (const QByteArray &key : std::as_const(m_keys)) {
        if (!unique.contains(key)) {
            unique.insert(key);
            keys.append(key);
        }
    }
    m_keys = keys;
    if (m_keys.isEmpty()) {
        finish(true, {});
        return;
    }
    const quint64 generation = m_generation;
    m_pending = int(m_keys.size());
    const qsizetype prefixLength = m_prefix.size() + qsizetype(qstrlen("node:"));
    for (const QByteArray &key : std::as_const(m_keys)) {
        const QString id = QString::fromUtf8(key.mid(prefixLength));
        // Pipelined: all HGETALLs leave at once and are answered in order.
        m_redis->command({ "HGETALL", key }, this, [this, generation, id](const RedisReply &reply) {
            if (stale(generation))
                return;
            if (reply.isArray() && reply.size() > 0)
                m_result.nodes.insert(id, reply.toMap());
            else if (reply.isError() && reply.clientError() != RedisReply::ClientError::None)
                m_result.error = QStringLiteral("HGETALL failed: ") + reply.errorMessage();
            // An empty array: the key expired between SCAN and HGETALL, so it is gone.
            // A WRONGTYPE error: not a registry entry; ignored.
            if (--m_pending == 0)
                finish(m_result.error.isEmpty(), m_result.error);
        });
    }
}

void RegistryScanner::finish(bool ok, const QString &error)
{
    m_busy = false;
    ++m_generation; // late replies of this walk are ignored
    m_result.ok = ok;
    m_result.error = error;
    if (!ok)
        m_result.nodes.clear();
    Done done = std::move(m_done);
    m_done = nullptr;
    if (done)
        done(m_result);
}

} // namespace sb::inspect
