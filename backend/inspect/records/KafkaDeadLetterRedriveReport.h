#pragma once

#include <QMap>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace sb::inspect {

// What a redrive did: how many records went to which topic (delivery reported by the
// brokers), and what did not go and why.
struct KafkaDeadLetterRedriveReport
{
    QString dltTopic;
    int requested = 0;
    QMap<QString, int> sentTo; // original topic -> records the brokers acknowledged there
    int failed = 0; // produced but not acknowledged, or refused by the producer
    int skipped = 0; // not produced: no usable origin, value not kept in full
    QStringList problems; // one line each, bounded (the first few)
    QString refused; // the whole redrive was refused (read-only profile, producer failed to start)

    int sent() const
    {
        int total = 0;
        for (const int n : sentTo)
            total += n;
        return total;
    }
    // "3 records sent to a.MessageCreatedEvent; 1 skipped: …"
    QString summary() const;
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::KafkaDeadLetterRedriveReport)
