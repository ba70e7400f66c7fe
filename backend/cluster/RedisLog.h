#pragma once

#include <QLoggingCategory>

namespace sb::cluster {

// One category for the whole Redis layer, so an operator can turn it up with
// QT_LOGGING_RULES="sb.redis.debug=true" without drowning in the rest.
Q_DECLARE_LOGGING_CATEGORY(lcRedis)

} // namespace sb::cluster
