#include "cluster/RedisReplayStore.h"

#include "cluster/RedisConnection.h"

#include <QThread>

#include <chrono>
#include <future>

namespace sb::cluster {

namespace {
constexpr auto kPersistTimeout = std::chrono::seconds(3);
constexpr int kPersistedTtlSeconds = 7 * 24 * 3600; // longer than any redelivery window
} // namespace

RedisReplayStore::RedisReplayStore(RedisConnection *redis, int capacity, RedisKeys keys)
    : m_redis(redis)
    , m_capacity(capacity)
    , m_keys(std::move(keys))
    , m_replyContext(std::make_unique<QObject>())
{
    m_replyContext->moveToThread(redis->thread());
}

RedisReplayStore::~RedisReplayStore()
{
    // Replies may still be queued to the context: delete it on its own thread.
    m_replyContext.release()->deleteLater();
}

QList<QByteArray> RedisReplayStore::xadd(const QByteArray &key, const ReplayEvent &event) const
{
    return { "XADD", key, "MAXLEN", "~", QByteArray::number(m_capacity), "*", "id", event.id.toUtf8(), "type",
        event.type, "data", event.data };
}

void RedisReplayStore::append(const QString &user, const ReplayEvent &event)
{
    m_redis->command(xadd(m_keys.sse(user), event));
}

ReplayResult RedisReplayStore::resultAfter(const RedisReply &range, const QString &lastEventId)
{
    ReplayResult result;
    if (!range.isArray()) {
        result.error = range.errorMessage();
        return result;
    }
    QList<ReplayEvent> all;
    qsizetype found = -1;
    for (const RedisReply &entry : range.elements()) {
        // entry = [stream-id, [field, value, field, value, ...]]
        const QMap<QByteArray, QByteArray> fields = entry.at(1).toMap();
        ReplayEvent event { QString::fromUtf8(fields.value("id")), fields.value("type"),
            fields.value("data") };
        if (event.id == lastEventId)
            found = all.size();
        all.append(event);
    }
    if (all.isEmpty())
        return result;
    if (found < 0) {
        result.reset = true;
        result.events = all;
    } else {
        result.events = all.mid(found + 1);
    }
    return result;
}

void RedisReplayStore::readStream(const QByteArray &key, const QString &lastEventId, QObject *context,
    std::function<void(const ReplayResult &)> done)
{
    // The stream is capped near m_capacity entries, so reading it whole is bounded.
    m_redis->command(
        { "XRANGE", key, "-", "+" }, context, [lastEventId, done = std::move(done)](const RedisReply &reply) {
            done(resultAfter(reply, lastEventId));
        });
}

void RedisReplayStore::readAfter(const QString &user, const QString &lastEventId, QObject *context,
    std::function<void(const ReplayResult &)> done)
{
    readStream(m_keys.sse(user), lastEventId, context, std::move(done));
}

void RedisReplayStore::readChannelAfter(const QString &channel, const QString &lastEventId, QObject *context,
    std::function<void(const ReplayResult &)> done)
{
    readStream(m_keys.history(channel), lastEventId, context, std::move(done));
}

bool RedisReplayStore::persistOnce(const PersistRequest &request, QString *error)
{
    Q_ASSERT(QThread::currentThread() != m_redis->thread());
    auto ask = [this](QList<QByteArray> argv) {
        auto promise = std::make_shared<std::promise<RedisReply>>();
        std::future<RedisReply> future = promise->get_future();
        m_redis->command(std::move(argv), m_replyContext.get(),
            [promise](const RedisReply &reply) { promise->set_value(reply); });
        return future;
    };
    auto wait = [error](std::future<RedisReply> &future, RedisReply *out) {
        if (future.wait_for(kPersistTimeout) != std::future_status::ready) {
            *error = QStringLiteral("Redis did not answer within 3 s");
            return false;
        }
        *out = future.get();
        if (out->isError()) {
            *error = out->errorMessage();
            return false;
        }
        return true;
    };

    const QByteArray guard = m_keys.persisted(request.messageId);
    auto claim = ask({ "SET", guard, "1", "NX", "EX", QByteArray::number(kPersistedTtlSeconds) });
    RedisReply claimed;
    if (!wait(claim, &claimed))
        return false;
    if (claimed.isNil())
        return true; // stored before: a redelivered record

    std::vector<std::future<RedisReply>> writes;
    writes.push_back(ask(xadd(m_keys.history(request.channel), request.channelEvent)));
    for (const auto &[user, event] : request.userEvents)
        writes.push_back(ask(xadd(m_keys.sse(user), event)));
    bool ok = true;
    for (auto &write : writes) {
        RedisReply reply;
        ok = wait(write, &reply) && ok;
    }
    if (!ok)
        m_redis->command({ "DEL", guard }); // let the retry store it
    return ok;
}

} // namespace sb::cluster
