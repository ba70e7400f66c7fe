#include "inspect/RedisValueReader.h"

#include "cluster/RedisConnection.h"

#include <memory>

namespace sb::inspect {

using sb::cluster::RedisConnection;
using sb::cluster::RedisReply;

RedisValueReader::RedisValueReader(RedisConnection *connection, QObject *parent)
    : QObject(parent)
    , m_connection(connection)
{
    qRegisterMetaType<sb::inspect::RedisValuePage>();
    qRegisterMetaType<sb::inspect::RedisValueRequest>();
}

void RedisValueReader::fetch(const RedisValueRequest &request)
{
    QMetaObject::invokeMethod(
        this, [this, request] { fetchHere(request); }, Qt::QueuedConnection);
}

void RedisValueReader::fetchHere(const RedisValueRequest &request)
{
    const QByteArray &key = request.key;
    const QByteArray count = QByteArray::number(qBound(1, request.pageSize, 5000));
    const QByteArray scanCursor = request.cursor.isEmpty() ? QByteArray("0") : request.cursor;
    const qint64 offset = request.cursor.toLongLong();
    const QByteArray first = QByteArray::number(offset);
    const QByteArray last = QByteArray::number(offset + qBound(1, request.pageSize, 5000) - 1);
    switch (request.type) {
    case RedisKeyType::String:
        send(request, "STRLEN", { "GETRANGE", key, "0", QByteArray::number(MaxStringBytes - 1) });
        return;
    case RedisKeyType::Hash:
        send(request, "HLEN", { "HSCAN", key, scanCursor, "COUNT", count });
        return;
    case RedisKeyType::Set:
        send(request, "SCARD", { "SSCAN", key, scanCursor, "COUNT", count });
        return;
    case RedisKeyType::List:
        send(request, "LLEN", { "LRANGE", key, first, last });
        return;
    case RedisKeyType::ZSet:
        send(request, "ZCARD", { "ZRANGE", key, first, last, "WITHSCORES" });
        return;
    case RedisKeyType::Stream: {
        // "(" makes the start exclusive (Redis 6.2+), so the next page starts after the last id shown.
        const QByteArray start
            = request.cursor.isEmpty() ? QByteArray("+") : QByteArray("(" + request.cursor);
        send(request, "XLEN", { "XREVRANGE", key, start, "-", "COUNT", count });
        return;
    }
    case RedisKeyType::None:
    case RedisKeyType::Other:
    case RedisKeyType::Unknown:
        break;
    }
    RedisValuePage page;
    page.requestId = request.id;
    page.key = request.key;
    page.type = request.type;
    page.complete = true;
    page.error = request.type == RedisKeyType::None
        ? QStringLiteral("the key no longer exists")
        : u"values of type " + redisKeyTypeName(request.type) + u" cannot be shown here";
    emit pageReady(page);
}

// The length and the page go out pipelined; the page is emitted when both are back.
void RedisValueReader::send(
    const RedisValueRequest &request, const QByteArray &lengthCommand, QList<QByteArray> pageCommand)
{
    auto page = std::make_shared<RedisValuePage>();
    page->requestId = request.id;
    page->key = request.key;
    page->type = request.type;
    auto remaining = std::make_shared<int>(2);
    auto done = [this, page, remaining] {
        if (--*remaining == 0)
            emit pageReady(*page);
    };
    m_connection->command({ lengthCommand, request.key }, this, [page, done](const RedisReply &reply) {
        if (reply.isInteger())
            page->totalLength = reply.toInteger();
        done();
    });
    m_connection->command(std::move(pageCommand), this, [page, request, done](const RedisReply &reply) {
        parsePage(*page, request, reply);
        done();
    });
}

void RedisValueReader::parsePage(
    RedisValuePage &page, const RedisValueRequest &request, const RedisReply &reply)
{
    if (reply.isError()) {
        page.error = reply.errorMessage();
        page.complete = true;
        return;
    }
    const int pageSize = qBound(1, request.pageSize, 5000);
    const qint64 offset = request.cursor.toLongLong();
    switch (request.type) {
    case RedisKeyType::String:
        page.text = reply.bytes();
        page.complete = true;
        return;
    case RedisKeyType::Hash:
    case RedisKeyType::Set: {
        page.nextCursor = reply.at(0).bytes();
        page.complete = page.nextCursor == "0" || page.nextCursor.isEmpty();
        const RedisReply itemList = reply.at(1); // at() returns a copy: keep it alive
        const QList<RedisReply> &items = itemList.elements();
        const bool pairs = request.type == RedisKeyType::Hash;
        for (qsizetype i = 0; i < items.size(); i += pairs ? 2 : 1)
            page.entries.append({ items.at(i).bytes(),
                pairs && i + 1 < items.size() ? items.at(i + 1).bytes() : QByteArray() });
        return;
    }
    case RedisKeyType::List: {
        const QList<RedisReply> &items = reply.elements();
        for (qsizetype i = 0; i < items.size(); ++i)
            page.entries.append({ QByteArray::number(offset + i), items.at(i).bytes() });
        page.nextCursor = QByteArray::number(offset + items.size());
        page.complete = items.size() < pageSize;
        return;
    }
    case RedisKeyType::ZSet: {
        const QList<RedisReply> &items = reply.elements();
        for (qsizetype i = 0; i + 1 < items.size(); i += 2)
            page.entries.append({ items.at(i).bytes(), items.at(i + 1).bytes() });
        page.nextCursor = QByteArray::number(offset + items.size() / 2);
        page.complete = items.size() / 2 < pageSize;
        return;
    }
    case RedisKeyType::Stream: {
        for (const RedisReply &entry : reply.elements()) {
            QByteArray fields;
            const RedisReply pairList = entry.at(1); // at() returns a copy: keep it alive
            const QList<RedisReply> &pairs = pairList.elements();
            for (qsizetype i = 0; i + 1 < pairs.size(); i += 2) {
                if (!fields.isEmpty())
                    fields += ' ';
                fields += pairs.at(i).bytes() + '=' + pairs.at(i + 1).bytes();
            }
            page.entries.append({ entry.at(0).bytes(), fields });
        }
        page.nextCursor = page.entries.isEmpty() ? request.cursor : page.entries.constLast().first;
        page.complete = reply.size() < pageSize;
        return;
    }
    case RedisKeyType::None:
    case RedisKeyType::Other:
    case RedisKeyType::Unknown:
        break;
    }
}

} // namespace sb::inspect
