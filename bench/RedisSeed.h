#pragma once

#include <QByteArray>
#include <QString>

// Seeds a benchmark's Redis with `keys` keys in a mix like a chat cluster's: mostly
// strings (a third of them sb:token:* with a TTL), sb:session:* hashes (a tenth), and some
// lists, sets, sorted sets and streams. Through `redis-cli --pipe`, a client nobody here
// wrote. Blocks (a harness step before anything is measured); false with *error on failure.
bool seedRedis(quint16 port, int keys, QString *error);

// The RESP commands seedRedis() pipes, for a harness that sends them itself.
QByteArray redisSeedCommands(int keys);
