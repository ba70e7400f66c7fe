#pragma once

#include <QByteArray>
#include <QString>

namespace sb::inspect {

// The type of a Redis key as TYPE reports it. One byte, because the key browser keeps one
// per row for up to millions of rows.
enum class RedisKeyType : quint8 {
    Unknown, // not fetched yet, or TYPE failed
    None, // the key does not exist (any more)
    String,
    List,
    Set,
    ZSet,
    Hash,
    Stream,
    Other, // a module type (ReJSON-RL, ...): listed, but the value viewer cannot show it
};

inline RedisKeyType parseRedisKeyType(const QByteArray &typeReply)
{
    if (typeReply == "string")
        return RedisKeyType::String;
    if (typeReply == "hash")
        return RedisKeyType::Hash;
    if (typeReply == "list")
        return RedisKeyType::List;
    if (typeReply == "set")
        return RedisKeyType::Set;
    if (typeReply == "zset")
        return RedisKeyType::ZSet;
    if (typeReply == "stream")
        return RedisKeyType::Stream;
    if (typeReply == "none")
        return RedisKeyType::None;
    return typeReply.isEmpty() ? RedisKeyType::Unknown : RedisKeyType::Other;
}

// The word the console shows, the same as redis-cli's TYPE answer.
inline QString redisKeyTypeName(RedisKeyType type)
{
    switch (type) {
    case RedisKeyType::String:
        return QStringLiteral("string");
    case RedisKeyType::List:
        return QStringLiteral("list");
    case RedisKeyType::Set:
        return QStringLiteral("set");
    case RedisKeyType::ZSet:
        return QStringLiteral("zset");
    case RedisKeyType::Hash:
        return QStringLiteral("hash");
    case RedisKeyType::Stream:
        return QStringLiteral("stream");
    case RedisKeyType::None:
        return QStringLiteral("none");
    case RedisKeyType::Other:
        return QStringLiteral("other");
    case RedisKeyType::Unknown:
        break;
    }
    return QStringLiteral("?");
}

} // namespace sb::inspect
