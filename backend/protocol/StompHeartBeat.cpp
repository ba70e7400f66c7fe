#include "protocol/StompHeartBeat.h"

#include <QStringBuilder>
#include <algorithm>

namespace sb::protocol {

namespace {

// Strict decimal: a signed or spaced number is a broken client, not a preference.
std::optional<qint64> parseInterval(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > 10)
        return std::nullopt;
    qint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    if (value > 2147483647)
        return std::nullopt;
    return value;
}

qint64 agree(qint64 sender, qint64 receiver)
{
    return (sender == 0 || receiver == 0) ? 0 : std::max(sender, receiver);
}

} // namespace

std::optional<StompHeartBeat> StompHeartBeat::parse(QByteArrayView value)
{
    if (value.isNull())
        return StompHeartBeat {};
    const qsizetype comma = value.indexOf(',');
    if (comma < 0)
        return std::nullopt;
    const auto send = parseInterval(value.first(comma));
    const auto receive = parseInterval(value.sliced(comma + 1));
    if (!send || !receive)
        return std::nullopt;
    return StompHeartBeat { *send, *receive };
}

QByteArray StompHeartBeat::toHeaderValue() const
{
    return QByteArray::number(sendMs) % ',' % QByteArray::number(receiveMs);
}

StompHeartBeatIntervals negotiateStompHeartBeat(const StompHeartBeat &local, const StompHeartBeat &remote)
{
    return { agree(local.sendMs, remote.receiveMs), agree(remote.sendMs, local.receiveMs) };
}

} // namespace sb::protocol
