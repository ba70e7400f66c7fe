#pragma once

#include <QByteArray>

namespace sb::cluster {

// Tuning of one KafkaProducer. The defaults are the production ones; tests shrink them.
struct KafkaProducerOptions
{
    QByteArray clientId = QByteArrayLiteral("switchboard");
    // linger.ms: how long librdkafka waits to fill a batch. Small, because each record is
    // a chat message someone is waiting for (issue 4: <= 5 ms).
    int lingerMs = 5;
    // queue.buffering.max.messages: the bounded local queue that holds records while the
    // brokers are unreachable. Beyond it produce() fails with QUEUE_FULL, which is counted
    // and logged (never silent) rather than growing memory without bound.
    int queueMaxMessages = 100000;
    // message.timeout.ms: how long a queued record may wait for the brokers before it is
    // failed (and counted). librdkafka's default, 5 minutes, rides out a broker restart.
    int messageTimeoutMs = 300000;
    // Longest close() waits for queued records to be delivered at shutdown.
    int flushTimeoutMs = 10000;
};

} // namespace sb::cluster
