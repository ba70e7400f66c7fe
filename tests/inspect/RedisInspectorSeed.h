#pragma once

#include "support/RedisSeeder.h"

#include <QMap>

// The keyspace the Redis inspector tests browse: exactly 100,000 keys of every type,
// including sessions and tokens laid out as the nodes write them (docs/protocol.md).
namespace sb::testing {

struct InspectorSeed
{
    static constexpr int Sessions = 3000;
    static constexpr int Tokens = 2000;
    static constexpr int Streams = 200;
    static constexpr int Sets = 1000;
    static constexpr int ZSets = 1000;
    static constexpr int Lists = 1000; // plus big:list
    static constexpr int Hashes = 5000; // plus big:hash and the sessions
    static constexpr int BigElements = 10000;
    static constexpr int Total = 100000;
    static constexpr int Strings = Total - Sessions - Tokens - Streams - Sets - ZSets - Lists - Hashes - 2;

    // Replica of session i: uneven on purpose, so a per-replica count cannot pass by symmetry.
    static QByteArray nodeOf(int i)
    {
        const int bucket = i % 7;
        return bucket < 3 ? QByteArray("node-1") : bucket < 5 ? QByteArray("node-2") : QByteArray("node-3");
    }

    static QMap<QString, int> expectedPerReplica()
    {
        QMap<QString, int> counts;
        for (int i = 0; i < Sessions; ++i)
            ++counts[QString::fromLatin1(nodeOf(i))];
        return counts;
    }

    static void fill(RedisSeeder &seed)
    {
        for (int i = 0; i < Sessions; ++i) {
            const QByteArray key = "sb:session:s-" + QByteArray::number(i);
            seed.add({ "HSET", key, "user", "user-" + QByteArray::number(i % 50), "node", nodeOf(i),
                "transport", i % 2 ? QByteArray("sse") : QByteArray("stomp"), "since", "1700000000000",
                "remote", "127.0.0.1:" + QByteArray::number(40000 + i) });
            seed.add({ "EXPIRE", key, "600" });
        }
        for (int i = 0; i < Tokens; ++i)
            seed.add({ "SET", "sb:token:jti-" + QByteArray::number(i), "user-" + QByteArray::number(i % 50),
                "EX", "3600" });
        for (int i = 0; i < Streams; ++i)
            for (int e = 0; e < 3; ++e)
                seed.add({ "XADD", "k:stream:" + QByteArray::number(i), "*", "n", QByteArray::number(e) });
        for (int i = 0; i < Sets; ++i)
            seed.add({ "SADD", "k:set:" + QByteArray::number(i), "a", "b", "c" });
        for (int i = 0; i < ZSets; ++i)
            seed.add({ "ZADD", "k:zset:" + QByteArray::number(i), "1", "a", "2", "b" });
        for (int i = 0; i < Lists; ++i)
            seed.add({ "RPUSH", "k:list:" + QByteArray::number(i), "x", "y" });
        for (int i = 0; i < Hashes; ++i)
            seed.add({ "HSET", "k:hash:" + QByteArray::number(i), "f", QByteArray::number(i) });
        for (int i = 0; i < Strings; ++i) {
            const QByteArray key = "k:str:" + QByteArray::number(i);
            if (i % 3 == 0)
                seed.add({ "SET", key, "{\"id\":" + QByteArray::number(i) + ",\"tags\":[\"a\",\"b\"]}", "EX",
                    "1000" });
            else
                seed.add({ "SET", key, "value-" + QByteArray::number(i) });
        }
        QList<QByteArray> hash { "HSET", "big:hash" };
        QList<QByteArray> list { "RPUSH", "big:list" };
        for (int i = 0; i < BigElements; ++i) {
            hash << "field-" + QByteArray::number(i) << "value-" + QByteArray::number(i);
            list << "element-" + QByteArray::number(i);
        }
        seed.add(hash);
        seed.add(list);
    }
};

} // namespace sb::testing
