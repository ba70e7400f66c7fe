#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

#include <utility>

namespace sb::protocol {

// Where a dead-letter record came from, as its headers say, and whether it can be sent back.
struct KafkaDeadLetterOrigin
{
    QString topic; // empty when the header is missing or unusable
    int partition = -1;
    qint64 offset = -1;
    QString error; // why it was dead-lettered (may be empty: the node always writes one)
    // Empty when the record can be redriven; else why not, in words for the operator.
    QString problem;
    // Headers that were there but unreadable and do not stop a redrive (partition, offset).
    QString note;

    bool isRedrivable() const { return problem.isEmpty(); }
};

// The headers the node writes on a `<topic>.DLT` record (KafkaStage1Relay::deadLetter) and
// the one a redrive adds, read and written without I/O. The records come from a cluster the
// console does not control, so decoding is total: any bytes give an origin, with `problem`
// saying what is wrong (missing, not a number, out of range, an illegal topic name), and
// nothing kept grows beyond a bound (the error text is cut at kMaxErrorChars).
class KafkaDeadLetterHeaders
{
public:
    using Headers = QList<std::pair<QByteArray, QByteArray>>; // cluster::KafkaHeaders

    static constexpr char OriginalTopic[] = "dlt-original-topic";
    static constexpr char OriginalPartition[] = "dlt-original-partition";
    static constexpr char OriginalOffset[] = "dlt-original-offset";
    static constexpr char Error[] = "dlt-error";
    // "<dlt topic>/<partition>/<offset>" of the dead-letter record a redriven one came from.
    static constexpr char RedrivenFrom[] = "x-redriven-from";
    static constexpr qsizetype kMaxErrorChars = 1024;
    static constexpr qsizetype kMaxTopicBytes = 249; // Kafka's own limit

    // The dlt-error value the node writes: at most kMaxErrorChars characters of `error`, cut
    // on a character (never inside a UTF-8 sequence or a surrogate pair), so decode() reads
    // back exactly what was kept.
    static QByteArray errorValue(const QString &error);
    // Reads the origin. Repeated headers: the last one wins (a redriven record that failed
    // again carries the headers of both dead-letterings, the newest last).
    static KafkaDeadLetterOrigin decode(const Headers &headers);
    // Kafka's topic rule: 1..249 of [a-zA-Z0-9._-], not "." or "..".
    static bool isLegalTopic(QByteArrayView name);
    // The headers a redriven record carries: the dead-letter record's own, minus the dlt-*
    // and earlier x-redriven-from ones, plus x-redriven-from naming the record it is.
    static Headers redriveHeaders(
        const Headers &headers, const QByteArray &dltTopic, int partition, qint64 offset);
};

} // namespace sb::protocol
