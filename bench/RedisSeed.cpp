#include "RedisSeed.h"

#include "support/RedisSeeder.h"

void addChatClusterKeys(sb::testing::RedisSeeder &seeder, int keys)
{
    for (int i = 0; i < keys; ++i) {
        const QByteArray n = QByteArray::number(i);
        switch (i % 20) {
        case 0:
        case 1:
            seeder.add({ "HSET", "sb:session:" + n, "user", "u" + QByteArray::number(i % 1000), "node",
                "node-" + QByteArray::number(i % 3) });
            break;
        case 2:
            seeder.add({ "RPUSH", "list:" + n, "a", "b" });
            break;
        case 3:
            seeder.add({ "SADD", "set:" + n, "a", "b" });
            break;
        case 4:
            seeder.add({ "ZADD", "zset:" + n, "1", "a" });
            break;
        case 5:
            seeder.add({ "XADD", "stream:" + n, "*", "f", "v" });
            break;
        default:
            if (i % 3 == 0)
                seeder.add({ "SET", "sb:token:" + n, "u" + n, "EX", "3600" });
            else
                seeder.add({ "SET", "key:" + n, "value-" + n });
        }
    }
}
