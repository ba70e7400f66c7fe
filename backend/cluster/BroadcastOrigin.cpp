#include "cluster/BroadcastOrigin.h"

namespace sb::cluster {

namespace {
constexpr QByteArrayView kPrefix = "{\"stage1\":[";

// Reads the digits at `at` into *value (at most 18: no overflow); false if there are none.
bool readNumber(const QByteArray &text, qsizetype &at, qint64 *value)
{
    const qsizetype start = at;
    qint64 result = 0;
    while (at < text.size() && at - start < 18 && text.at(at) >= '0' && text.at(at) <= '9')
        result = result * 10 + (text.at(at++) - '0');
    *value = result;
    return at > start;
}
} // namespace

QByteArray BroadcastOrigin::frame(const QByteArray &payload, BroadcastOrigin origin)
{
    if (!origin.isValid() || !payload.startsWith('{') || payload.mid(1).trimmed().startsWith('}'))
        return payload;
    QByteArray framed;
    framed.reserve(payload.size() + 40);
    framed.append(kPrefix);
    framed += QByteArray::number(origin.partition);
    framed += ',';
    framed += QByteArray::number(origin.offset);
    framed += "],";
    framed.append(QByteArrayView(payload).sliced(1));
    return framed;
}

BroadcastOrigin BroadcastOrigin::unframe(const QByteArray &message, QByteArray *payload)
{
    *payload = message;
    if (!message.startsWith(kPrefix))
        return {};
    qsizetype at = kPrefix.size();
    qint64 partition = 0;
    qint64 offset = 0;
    if (!readNumber(message, at, &partition) || at >= message.size() || message.at(at++) != ','
        || !readNumber(message, at, &offset) || message.mid(at, 2) != "]," || partition > 0x7fffffff)
        return {};
    QByteArray original;
    original.reserve(message.size() - at - 1);
    original.append('{');
    original.append(QByteArrayView(message).sliced(at + 2));
    *payload = std::move(original);
    return BroadcastOrigin { .partition = int(partition), .offset = offset };
}

QByteArray BroadcastOrigin::headerValue() const
{
    return QByteArray::number(partition) + ',' + QByteArray::number(offset);
}

BroadcastOrigin BroadcastOrigin::fromHeaders(const KafkaHeaders &headers)
{
    for (auto it = headers.crbegin(); it != headers.crend(); ++it) {
        if (it->first != kKafkaHeader)
            continue;
        const QByteArray &value = it->second;
        qsizetype at = 0;
        qint64 partition = 0;
        qint64 offset = 0;
        if (!readNumber(value, at, &partition) || at >= value.size() || value.at(at++) != ','
            || !readNumber(value, at, &offset) || at != value.size() || partition > 0x7fffffff)
            return {};
        return BroadcastOrigin { .partition = int(partition), .offset = offset };
    }
    return {};
}

} // namespace sb::cluster
