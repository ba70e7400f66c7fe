#pragma once

#include "cluster/KafkaProducerOptions.h"
#include "cluster/KafkaSettings.h"
#include "inspect/KafkaDeadLetterRecord.h"
#include "inspect/KafkaDeadLetterRedriveReport.h"

#include <functional>

namespace sb::inspect {

// Sends dead-letter records back to the topic their headers name: the same key and value,
// their headers without the dlt-* ones, plus `x-redriven-from: <dlt topic>/<partition>/<offset>`
// (so the record can be told from the original and traced back). Blocking, on the Kafka
// area's worker thread: it waits for every delivery report (bounded by the producer's
// message timeout) so the report says what the brokers took, not what was queued.
//
// A read-only profile refuses every redrive here, whatever the view offered: the rule does
// not rest on a disabled button.
class KafkaDeadLetterRedriver
{
public:
    KafkaDeadLetterRedriver(cluster::KafkaSettings settings, bool readOnly, int deliveryTimeoutMs = 15000);

    KafkaDeadLetterRedriveReport redrive(const QString &dltTopic, const QList<KafkaDeadLetterRecord> &records,
        const std::function<bool()> &giveUp) const;

private:
    const cluster::KafkaSettings m_settings;
    const bool m_readOnly;
    const int m_deliveryTimeoutMs;
};

} // namespace sb::inspect
