#pragma once

#include "cluster/KafkaRecord.h"
#include "protocol/KafkaDeadLetterHeaders.h"

#include <QList>
#include <QMetaType>
#include <QString>

namespace sb::inspect {

// One record of a `*.DLT` topic as the Kafka area lists it: where it sits in the dead-letter
// topic, its key, value and headers as they are, and the origin its headers name.
struct KafkaDeadLetterRecord
{
    int partition = -1; // in the dead-letter topic
    qint64 offset = -1;
    qint64 timestampMs = -1;
    QByteArray key;
    bool hasKey = false; // a null key and an empty one are different records
    QByteArray value; // cut when valueTruncated (the listing's memory bound)
    qsizetype valueBytes = 0; // the full size
    bool valueTruncated = false; // then it is not sent back: what was kept is not the record
    cluster::KafkaHeaders headers;
    protocol::KafkaDeadLetterOrigin origin;

    // Why this record cannot be redriven, or empty.
    QString redriveProblem() const
    {
        if (!origin.isRedrivable())
            return origin.problem;
        if (valueTruncated)
            return QStringLiteral("its value (%1 bytes) was too large to keep in the listing")
                .arg(valueBytes);
        return {};
    }
};

// The last records of one dead-letter topic, newest first, or why they could not be read.
struct KafkaDeadLetterListing
{
    QString topic;
    QList<KafkaDeadLetterRecord> records;
    qint64 recordsInTopic = 0; // what the partitions hold (log end - log start)
    QString error; // empty when the listing is complete
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::KafkaDeadLetterListing)
