#include "inspect/RedisKeyActions.h"

#include "cluster/RedisConnection.h"
#include "inspect/RedisInspectLog.h"
#include "inspect/RedisKeyRecord.h"

#include <memory>

namespace sb::inspect {

using sb::cluster::RedisConnection;
using sb::cluster::RedisReply;

RedisKeyActions::RedisKeyActions(RedisConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    qRegisterMetaType<sb::inspect::RedisActionResult>();
}

void RedisKeyActions::deleteKey(const QByteArray &key)
{
    run(RedisActionResult::Action::Delete, key, { "DEL", key });
}

void RedisKeyActions::expireKey(const QByteArray &key, qint64 seconds)
{
    run(RedisActionResult::Action::Expire, key,
        { "EXPIRE", key, QByteArray::number(qMax<qint64>(1, seconds)) });
}

void RedisKeyActions::persistKey(const QByteArray &key)
{
    run(RedisActionResult::Action::Persist, key, { "PERSIST", key });
}

void RedisKeyActions::run(RedisActionResult::Action action, const QByteArray &key, QList<QByteArray> argv)
{
    QMetaObject::invokeMethod(
        this,
        [this, action, key, argv] {
            auto result = std::make_shared<RedisActionResult>();
            result->action = action;
            result->key = key;
            qCInfo(lcInspectRedis).noquote()
                << "key action" << QString::fromLatin1(argv.constFirst()) << QString::fromUtf8(key);
            m_connection->command(argv, this, [result](const RedisReply &reply) {
                if (reply.isError()) {
                    result->message = reply.errorMessage();
                    return;
                }
                // DEL/EXPIRE/PERSIST answer 1 when they changed the key, 0 when not.
                result->ok = reply.isInteger() && reply.toInteger() == 1;
                switch (result->action) {
                case RedisActionResult::Action::Delete:
                    result->message = result->ok ? QStringLiteral("deleted") : QStringLiteral("no such key");
                    break;
                case RedisActionResult::Action::Expire:
                    result->message
                        = result->ok ? QStringLiteral("expiry set") : QStringLiteral("no such key");
                    break;
                case RedisActionResult::Action::Persist:
                    result->message = result->ok ? QStringLiteral("expiry removed")
                                                 : QStringLiteral("no expiry to remove, or no such key");
                    break;
                }
            });
            m_connection->command({ "PTTL", key }, this, [this, result](const RedisReply &reply) {
                if (reply.isInteger())
                    result->pttlMs = reply.toInteger();
                result->observedAtMs = steadyNowMs();
                emit finished(*result);
            });
        },
        Qt::QueuedConnection);
}

} // namespace sb::inspect
