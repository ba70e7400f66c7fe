#include "cluster/RedisLog.h"

namespace sb::cluster {

Q_LOGGING_CATEGORY(lcRedis, "sb.redis", QtInfoMsg)

} // namespace sb::cluster
