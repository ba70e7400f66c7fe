#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

namespace sb::cluster {

// Kafka record headers in order; names may repeat, as in Kafka itself.
using KafkaHeaders = QList<std::pair<QByteArray, QByteArray>>;

// One consumed record, copied out of librdkafka so handlers never see C pointers and can
// keep a record (e.g. for a retry) after the message was released.
struct KafkaRecord
{
    QByteArray topic;
    int partition = -1;
    qint64 offset = -1;
    qint64 timestampMs = -1;
    QByteArray key;
    QByteArray value;
    KafkaHeaders headers;

    // Value of the last header called `name`, or a null QByteArray.
    QByteArray header(const QByteArray &name) const
    {
        for (auto it = headers.crbegin(); it != headers.crend(); ++it) {
            if (it->first == name)
                return it->second;
        }
        return {};
    }
};

} // namespace sb::cluster
