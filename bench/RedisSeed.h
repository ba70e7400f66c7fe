#pragma once

namespace sb::testing {
class RedisSeeder;
}

// Adds `keys` keys to a seeder in a mix like a chat cluster's: mostly strings (a third of
// them sb:token:* with a TTL), sb:session:* hashes (a tenth), and some lists, sets, sorted
// sets and streams. The seeder (tests/support) pipes them through `redis-cli --pipe`.
void addChatClusterKeys(sb::testing::RedisSeeder &seeder, int keys);
