#include "cluster/RedisSubscriber.h"

#include "cluster/RedisLog.h"

#include <QThread>

namespace sb::cluster {

RedisSubscriber::RedisSubscriber(RedisUrl url, RedisConnectionOptions options, QObject *parent)
    : QObject(parent)
    , m_connection(new RedisConnection(std::move(url), std::move(options), this))
{
    m_connection->setPushHandler([this](const RedisReply &reply) { handlePush(reply); });
    connect(m_connection, &RedisConnection::connected, this, &RedisSubscriber::resubscribeAll);
}

RedisSubscriber::~RedisSubscriber()
{
    // The connection is our child, but drop its handler before ~QObject deletes it
    // so teardown can never call back into this half-destroyed object.
    m_connection->setPushHandler({});
}

void RedisSubscriber::open()
{
    m_connection->open();
}

void RedisSubscriber::close()
{
    m_connection->close();
}

void RedisSubscriber::subscribe(const QByteArray &channel)
{
    change(m_channels, QByteArrayLiteral("SUBSCRIBE"), channel, true);
}

void RedisSubscriber::psubscribe(const QByteArray &pattern)
{
    change(m_patterns, QByteArrayLiteral("PSUBSCRIBE"), pattern, true);
}

void RedisSubscriber::unsubscribe(const QByteArray &channel)
{
    change(m_channels, QByteArrayLiteral("UNSUBSCRIBE"), channel, false);
}

void RedisSubscriber::punsubscribe(const QByteArray &pattern)
{
    change(m_patterns, QByteArrayLiteral("PUNSUBSCRIBE"), pattern, false);
}

void RedisSubscriber::change(QSet<QByteArray> &set, const QByteArray &verb, const QByteArray &name, bool add)
{
    if (QThread::currentThread() != thread()) {
        QMetaObject::invokeMethod(
            this, [this, &set, verb, name, add] { change(set, verb, name, add); }, Qt::QueuedConnection);
        return;
    }
    if (add == set.contains(name))
        return;
    if (add)
        set.insert(name);
    else
        set.remove(name);
    // When down, the wanted set alone is enough: resubscribeAll() sends it on connect.
    if (m_connection->isConnected())
        m_connection->sendSubscription({ verb, name });
}

void RedisSubscriber::resubscribeAll()
{
    qCInfo(lcRedis) << "subscribing" << m_channels.size() << "channels and" << m_patterns.size()
                    << "patterns";
    sendAll(QByteArrayLiteral("SUBSCRIBE"), m_channels);
    sendAll(QByteArrayLiteral("PSUBSCRIBE"), m_patterns);
}

void RedisSubscriber::sendAll(const QByteArray &verb, const QSet<QByteArray> &names)
{
    // Batches keep each command small while costing one round trip per 500 names.
    constexpr qsizetype kBatch = 500;
    QList<QByteArray> argv { verb };
    for (const QByteArray &name : names) {
        argv.append(name);
        if (argv.size() > kBatch) {
            m_connection->sendSubscription(argv);
            argv = { verb };
        }
    }
    if (argv.size() > 1)
        m_connection->sendSubscription(argv);
}

void RedisSubscriber::handlePush(const RedisReply &reply)
{
    if (!reply.isArray() || reply.size() < 3)
        return;
    const QByteArray kind = reply.at(0).bytes().toLower();
    if (kind == "message") {
        const QByteArray channel = reply.at(1).bytes();
        if (m_channels.contains(channel)) // drop stragglers of an unsubscribe in flight
            emit message(channel, reply.at(2).bytes());
    } else if (kind == "pmessage" && reply.size() >= 4) {
        const QByteArray pattern = reply.at(1).bytes();
        if (m_patterns.contains(pattern))
            emit patternMessage(pattern, reply.at(2).bytes(), reply.at(3).bytes());
    } else if (kind == "subscribe" || kind == "psubscribe") {
        emit subscribed(reply.at(1).bytes());
    }
}

} // namespace sb::cluster
