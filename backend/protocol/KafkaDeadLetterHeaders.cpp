#include "protocol/KafkaDeadLetterHeaders.h"

#include <algorithm>

#include <QStringList>

#include <limits>

namespace sb::protocol {

namespace {

const QByteArray *lastDeadLetterHeader(const KafkaDeadLetterHeaders::Headers &headers, QByteArrayView name)
{
    for (auto it = headers.crbegin(); it != headers.crend(); ++it) {
        if (QByteArrayView(it->first) == name)
            return &it->second;
    }
    return nullptr;
}

// A decimal in [0, max]: no sign, no spaces, no hex, no overflow (QByteArray::toLongLong
// accepts surrounding spaces and a sign).
bool parseDeadLetterNumber(const QByteArray &text, qint64 max, qint64 *out)
{
    if (text.isEmpty() || text.size() > 19)
        return false;
    qint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return false;
        const int digit = c - '0';
        if (value > (max - digit) / 10)
            return false;
        value = value * 10 + digit;
    }
    *out = value;
    return true;
}

} // namespace

bool KafkaDeadLetterHeaders::isLegalTopic(QByteArrayView name)
{
    if (name.isEmpty() || name.size() > kMaxTopicBytes || name == "." || name == "..")
        return false;
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
            || c == '_' || c == '-';
        if (!ok)
            return false;
    }
    return true;
}

QByteArray KafkaDeadLetterHeaders::errorValue(const QString &error)
{
    qsizetype length = std::min(error.size(), kMaxErrorChars);
    if (length < error.size() && length > 0 && error.at(length - 1).isHighSurrogate())
        --length;
    return error.first(length).toUtf8();
}

KafkaDeadLetterOrigin KafkaDeadLetterHeaders::decode(const Headers &headers)
{
    KafkaDeadLetterOrigin origin;
    if (const QByteArray *error = lastDeadLetterHeader(headers, Error)) {
        // Lossy on bad UTF-8 (U+FFFD), cut so a hostile header cannot fill the pane.
        origin.error = QString::fromUtf8(error->left(kMaxErrorChars * 4)).left(kMaxErrorChars);
    }
    // Only the topic is needed to send a record back: a bad partition or offset header is
    // noted but does not stop a redrive (the record goes where its key hashes, as produced).
    const QByteArray *topic = lastDeadLetterHeader(headers, OriginalTopic);
    if (!topic) {
        origin.problem = QStringLiteral("no %1 header").arg(QLatin1StringView(OriginalTopic));
    } else if (!isLegalTopic(*topic)) {
        origin.problem = QStringLiteral("%1 is not a legal topic name").arg(QLatin1StringView(OriginalTopic));
    } else {
        origin.topic = QString::fromLatin1(*topic); // legal names are ASCII
        if (topic->endsWith(".DLT")) // a loop: what failed there would land here again
            origin.problem = QStringLiteral("the original topic is itself a dead-letter topic");
    }
    QStringList notes;
    qint64 number = 0;
    if (const QByteArray *partition = lastDeadLetterHeader(headers, OriginalPartition)) {
        if (parseDeadLetterNumber(*partition, std::numeric_limits<int>::max(), &number))
            origin.partition = int(number);
        else
            notes << QStringLiteral("%1 is not a partition number").arg(QLatin1StringView(OriginalPartition));
    }
    if (const QByteArray *offset = lastDeadLetterHeader(headers, OriginalOffset)) {
        if (parseDeadLetterNumber(*offset, std::numeric_limits<qint64>::max(), &number))
            origin.offset = number;
        else
            notes << QStringLiteral("%1 is not an offset").arg(QLatin1StringView(OriginalOffset));
    }
    origin.note = notes.join(QStringLiteral("; "));
    return origin;
}

KafkaDeadLetterHeaders::Headers KafkaDeadLetterHeaders::redriveHeaders(
    const Headers &headers, const QByteArray &dltTopic, int partition, qint64 offset)
{
    Headers out;
    out.reserve(headers.size() + 1);
    for (const auto &header : headers) {
        if (header.first.startsWith("dlt-") || header.first == RedrivenFrom)
            continue;
        out.append(header);
    }
    out.append({ QByteArray(RedrivenFrom),
        dltTopic + '/' + QByteArray::number(partition) + '/' + QByteArray::number(offset) });
    return out;
}

} // namespace sb::protocol
