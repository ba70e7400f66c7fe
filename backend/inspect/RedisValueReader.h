#pragma once

#include "inspect/RedisValuePage.h"

#include <QObject>

namespace sb::cluster {
class RedisConnection;
class RedisReply;
} // namespace sb::cluster

namespace sb::inspect {

// Reads one key's value a page at a time, so a hash or list of millions of elements is
// never fetched in one call: HSCAN, SSCAN, LRANGE and ZRANGE (by rank, so members come
// in score order at O(log N + page)) and XREVRANGE (newest first) with COUNT; strings
// with GETRANGE capped at 256 KiB. Each page carries the collection's length as well.
//
// Lives on the connection's thread; fetch() is thread-safe and answers with pageReady().
class RedisValueReader : public QObject
{
    Q_OBJECT

public:
    static constexpr qint64 MaxStringBytes = 256 * 1024;

    explicit RedisValueReader(sb::cluster::RedisConnection *connection, QObject *parent = nullptr);

    void fetch(const RedisValueRequest &request);

Q_SIGNALS:
    void pageReady(const sb::inspect::RedisValuePage &page);

private:
    void fetchHere(const RedisValueRequest &request);
    void send(
        const RedisValueRequest &request, const QByteArray &lengthCommand, QList<QByteArray> pageCommand);
    static void parsePage(
        RedisValuePage &page, const RedisValueRequest &request, const sb::cluster::RedisReply &reply);

    sb::cluster::RedisConnection *m_connection;
};

} // namespace sb::inspect
