#pragma once

#include "inspect/RedisKeyType.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace sb::inspect {

// What the value viewer asks for: one page of one key, starting at `cursor`.
// The cursor's meaning depends on the type (it is whatever the previous page returned
// as nextCursor): an HSCAN/SSCAN cursor, an LRANGE/ZRANGE offset, or a stream entry id.
struct RedisValueRequest
{
    quint64 id = 0; // echoed in the page, so the view ignores pages of a key it left
    QByteArray key;
    RedisKeyType type = RedisKeyType::Unknown;
    QByteArray cursor; // empty: the first page
    int pageSize = 200;
};

// One entry of a collection: (field, value) of a hash, (index, element) of a list,
// (member, —) of a set, (member, score) of a sorted set, (id, "f=v …") of a stream.
struct RedisValueEntry
{
    QByteArray first;
    QByteArray second;
};

// One page of a value. For a string, `text` holds up to the first 256 KiB.
struct RedisValuePage
{
    quint64 requestId = 0;
    QByteArray key;
    RedisKeyType type = RedisKeyType::Unknown;
    qint64 totalLength = -1; // STRLEN / HLEN / LLEN / SCARD / ZCARD / XLEN
    QByteArray text;
    QList<RedisValueEntry> entries;
    QByteArray nextCursor; // feed back as RedisValueRequest::cursor
    bool complete = false; // no more pages
    QString error;
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::RedisValueRequest)
Q_DECLARE_METATYPE(sb::inspect::RedisValuePage)
