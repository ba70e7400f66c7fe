#pragma once

#include <QLoggingCategory>

namespace sb::inspect {

// The console's Redis inspector (key browser, value reader, sessions lens), separate from
// the node's "sb.redis" so an operator can turn one up without the other:
// QT_LOGGING_RULES="sb.inspect.redis.debug=true".
Q_DECLARE_LOGGING_CATEGORY(lcInspectRedis)

} // namespace sb::inspect
