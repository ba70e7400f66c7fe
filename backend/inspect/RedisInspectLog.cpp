#include "inspect/RedisInspectLog.h"

namespace sb::inspect {

Q_LOGGING_CATEGORY(lcInspectRedis, "sb.inspect.redis", QtInfoMsg)

} // namespace sb::inspect
