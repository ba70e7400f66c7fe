#include "cluster/KafkaLog.h"

#include <librdkafka/rdkafka.h>

namespace sb::cluster {

Q_LOGGING_CATEGORY(lcKafka, "sb.kafka", QtInfoMsg)
Q_LOGGING_CATEGORY(lcRdKafka, "sb.kafka.rdkafka", QtWarningMsg)

namespace {

// Called on librdkafka's internal threads; Qt's logging is thread-safe.
void logLine(const rd_kafka_t *rk, int level, const char *facility, const char *text)
{
    const char *name = rk ? rd_kafka_name(rk) : "rdkafka";
    // syslog levels: 0-3 are errors, 4 warnings, 5-6 notice/info, 7 debug. Errors also
    // reach error_cb, where they are counted; here they are only context.
    if (level <= 4)
        qCWarning(lcRdKafka, "%s %s: %s", name, facility, text);
    else if (level <= 6)
        qCInfo(lcRdKafka, "%s %s: %s", name, facility, text);
    else
        qCDebug(lcRdKafka, "%s %s: %s", name, facility, text);
}

} // namespace

void installKafkaLogger(rd_kafka_conf_s *conf)
{
    rd_kafka_conf_set_log_cb(conf, &logLine);
}

} // namespace sb::cluster
