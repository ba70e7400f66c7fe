#include "cluster/RedisPresenceCounter.h"

#include "cluster/RedisConnection.h"

#include <QMetaObject>
#include <QMutexLocker>
#include <QUuid>

namespace sb::cluster {

namespace {

// Every script reads the time from Redis, so the leases of replicas with skewed clocks
// compare fairly. KEYS: the total, this holder's hash, the leases.
#define SB_PRESENCE_NOW                                                                                      \
    "local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) "

// ARGV: user, delta, holder, lease ms. Answers {count after the change (-2: unchanged), 1 if
// this holder had its lease}. A close this holder did not count (its counts were reaped,
// or it never opened) changes nothing: the total is never taken below what this holder
// added, so another replica's connections are never uncounted.
const QByteArray kChangeScript = QByteArrayLiteral(
    SB_PRESENCE_NOW "local had = redis.call('ZSCORE', KEYS[3], ARGV[3]) and 1 or 0 "
                    "redis.call('ZADD', KEYS[3], now + tonumber(ARGV[4]), ARGV[3]) "
                    "local delta = tonumber(ARGV[2]) "
                    "local held = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0') "
                    "if delta < -held then delta = -held end "
                    "if delta == 0 then return {-2, had} end "
                    "held = held + delta "
                    "if held <= 0 then redis.call('HDEL', KEYS[2], ARGV[1]) else redis.call('HSET', KEYS[2], "
                    "ARGV[1], held) end "
                    "local n = redis.call('HINCRBY', KEYS[1], ARGV[1], delta) "
                    "if n <= 0 then redis.call('HDEL', KEYS[1], ARGV[1]) return {0, had} end "
                    "return {n, had}");

// ARGV: holder, lease ms, prefix of the holders' hashes, most holders to reap. Answers
// {1 if this holder still had its lease, {users now offline}}.
const QByteArray kRenewScript = QByteArrayLiteral(SB_PRESENCE_NOW
    "local had = redis.call('ZSCORE', KEYS[3], ARGV[1]) "
    "redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1]) "
    "local offline = {} "
    "for _, holder in ipairs(redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now, 'LIMIT', 0, "
    "tonumber(ARGV[4]))) do "
    "  local key = ARGV[3] .. holder "
    "  local held = redis.call('HGETALL', key) "
    "  for i = 1, #held, 2 do "
    "    local n = redis.call('HINCRBY', KEYS[1], held[i], -tonumber(held[i + 1])) "
    "    if n <= 0 then redis.call('HDEL', KEYS[1], held[i]) table.insert(offline, held[i]) end "
    "  end "
    "  redis.call('DEL', key) "
    "  redis.call('ZREM', KEYS[3], holder) "
    "end "
    "return {had and 1 or 0, offline}");

// ARGV: holder, lease ms, then user, count pairs: what this holder really counts. Makes
// its hash say exactly that, moves the totals by the difference, and answers
// {{users now online}, {users now offline}}.
const QByteArray kSyncScript = QByteArrayLiteral(
    SB_PRESENCE_NOW "redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1]) "
                    "local want = {} "
                    "for i = 3, #ARGV, 2 do want[ARGV[i]] = tonumber(ARGV[i + 1]) end "
                    "local had = {} "
                    "local held = redis.call('HGETALL', KEYS[2]) "
                    "for i = 1, #held, 2 do had[held[i]] = tonumber(held[i + 1]) end "
                    "for user, _ in pairs(want) do if had[user] == nil then had[user] = 0 end end "
                    "local online, offline = {}, {} "
                    "for user, before in pairs(had) do "
                    "  local diff = (want[user] or 0) - before "
                    "  if diff ~= 0 then "
                    "    local n = redis.call('HINCRBY', KEYS[1], user, diff) "
                    "    if n <= 0 then redis.call('HDEL', KEYS[1], user) end "
                    "    if n - diff <= 0 and n > 0 then table.insert(online, user) end "
                    "    if n - diff > 0 and n <= 0 then table.insert(offline, user) end "
                    "  end "
                    "end "
                    "redis.call('DEL', KEYS[2]) "
                    "for user, count in pairs(want) do redis.call('HSET', KEYS[2], user, count) end "
                    "return {online, offline}");

#undef SB_PRESENCE_NOW

QStringList usersIn(const RedisReply &list)
{
    QStringList users;
    for (const RedisReply &user : list.elements())
        users.append(QString::fromUtf8(user.bytes()));
    return users;
}

} // namespace

RedisPresenceCounter::RedisPresenceCounter(
    RedisConnection *redis, RedisKeys keys, QByteArray holder, int leaseSeconds)
    : m_redis(redis)
    , m_keys(std::move(keys))
    , m_holder(holder.isEmpty() ? QUuid::createUuid().toString(QUuid::Id128).left(12).toLatin1()
                                : std::move(holder))
    , m_leaseMs(QByteArray::number(qint64(leaseSeconds) * 1000))
{ }

void RedisPresenceCounter::change(
    const QString &user, int delta, QObject *context, std::function<void(qint64)> done)
{
    QMutexLocker lock(&m_mutex);
    const qint64 before = m_held.value(user);
    const qint64 applied = qMax<qint64>(delta, -before);
    if (applied == 0) {
        QMetaObject::invokeMethod(
            context, [done = std::move(done)] { done(kUnchanged); }, Qt::QueuedConnection);
        return;
    }
    if (before + applied > 0)
        m_held.insert(user, before + applied);
    else
        m_held.remove(user);
    m_redis->command(
        { "EVAL", kChangeScript, "3", m_keys.presence(), m_keys.presenceHeld(m_holder),
            m_keys.presenceLeases(), user.toUtf8(), QByteArray::number(applied), m_holder, m_leaseMs },
        context,
        [needsSync = m_needsSync, renewedOnce = m_renewedOnce, done = std::move(done)](
            const RedisReply &reply) {
            if (!reply.isArray() || reply.size() != 2) {
                // Redis did not take it (down, or lost the connection meanwhile):
                // the next renewal puts the mirror back.
                needsSync->store(true);
                done(-1);
                return;
            }
            // This change re-created a lease that had been reaped: the counts
            // taken with it come back at the next renewal.
            if (reply.at(1).toInteger() == 0 && renewedOnce->load())
                needsSync->store(true);
            done(reply.at(0).toInteger());
        });
}

void RedisPresenceCounter::renewLease(
    QObject *context, std::function<void(const PresenceChanges &)> onChanges)
{
    if (m_needsSync->exchange(false))
        sendSync(context, onChanges);
    m_redis->command({ "EVAL", kRenewScript, "3", m_keys.presence(), m_keys.presenceHeld(m_holder),
                         m_keys.presenceLeases(), m_holder, m_leaseMs, m_keys.presenceHeldPrefix(),
                         QByteArray::number(kMaxReapedPerRenewal) },
        context, [needsSync = m_needsSync, renewedOnce = m_renewedOnce, onChanges](const RedisReply &reply) {
            if (!reply.isArray() || reply.size() != 2) {
                needsSync->store(true); // what changed meanwhile may not have reached Redis
                return;
            }
            // The lease was gone: reaped while this replica could not renew it,
            // so its counts were taken off. The next renewal puts them back.
            if (reply.at(0).toInteger() == 0 && renewedOnce->load())
                needsSync->store(true);
            renewedOnce->store(true);
            PresenceChanges changes;
            changes.wentOffline = usersIn(reply.at(1));
            if (!changes.isEmpty())
                onChanges(changes);
        });
}

void RedisPresenceCounter::sendSync(
    QObject *context, const std::function<void(const PresenceChanges &)> &onChanges)
{
    QMutexLocker lock(&m_mutex); // the snapshot and its place in the command order agree
    QList<QByteArray> argv { "EVAL", kSyncScript, "3", m_keys.presence(), m_keys.presenceHeld(m_holder),
        m_keys.presenceLeases(), m_holder, m_leaseMs };
    argv.reserve(argv.size() + 2 * m_held.size());
    for (auto it = m_held.cbegin(); it != m_held.cend(); ++it)
        argv << it.key().toUtf8() << QByteArray::number(it.value());
    m_redis->command(std::move(argv), context, [needsSync = m_needsSync, onChanges](const RedisReply &reply) {
        if (!reply.isArray() || reply.size() != 2) {
            needsSync->store(true);
            return;
        }
        PresenceChanges changes;
        changes.cameOnline = usersIn(reply.at(0));
        changes.wentOffline = usersIn(reply.at(1));
        if (!changes.isEmpty())
            onChanges(changes);
    });
}

} // namespace sb::cluster
