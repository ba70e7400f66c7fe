#pragma once

#include <QLoggingCategory>

namespace sb::cluster {

// One category for the whole Kafka layer (producer, consumers, bus, mock cluster), so an
// operator can turn it up with QT_LOGGING_RULES="sb.kafka.debug=true" on its own.
Q_DECLARE_LOGGING_CATEGORY(lcKafka)

// librdkafka's own log lines (routed through log_cb instead of its default stderr), kept
// in a separate category because they are chatty during outages.
Q_DECLARE_LOGGING_CATEGORY(lcRdKafka)

} // namespace sb::cluster

struct rd_kafka_conf_s;

namespace sb::cluster {

// Routes librdkafka's log lines into lcRdKafka (instead of stderr). Call on every
// configuration before creating a handle.
void installKafkaLogger(rd_kafka_conf_s *conf);

} // namespace sb::cluster
