#include "protocol/StompFrame.h"

#include <utility>

namespace sb::protocol {

StompFrame::StompFrame(QByteArray command, StompHeaders headers, QByteArray body)
    : m_command(std::move(command))
    , m_headers(std::move(headers))
    , m_body(std::move(body))
{ }

bool StompFrame::hasHeader(QByteArrayView name) const
{
    for (const StompHeader &header : m_headers) {
        if (header.first == name)
            return true;
    }
    return false;
}

QByteArray StompFrame::header(QByteArrayView name, const QByteArray &defaultValue) const
{
    for (const StompHeader &header : m_headers) {
        if (header.first == name)
            return header.second;
    }
    return defaultValue;
}

void StompFrame::setHeader(const QByteArray &name, const QByteArray &value)
{
    bool replaced = false;
    for (auto it = m_headers.begin(); it != m_headers.end();) {
        if (it->first != name) {
            ++it;
        } else if (!replaced) {
            it->second = value;
            replaced = true;
            ++it;
        } else {
            it = m_headers.erase(it);
        }
    }
    if (!replaced)
        m_headers.append({ name, value });
}

void StompFrame::addHeader(const QByteArray &name, const QByteArray &value)
{
    m_headers.append({ name, value });
}

qsizetype StompFrame::removeHeader(QByteArrayView name)
{
    return m_headers.removeIf([name](const StompHeader &header) { return header.first == name; });
}

bool StompFrame::isClientCommand(QByteArrayView command)
{
    static constexpr QByteArrayView commands[] = {
        "CONNECT",
        "STOMP",
        "SEND",
        "SUBSCRIBE",
        "UNSUBSCRIBE",
        "ACK",
        "NACK",
        "BEGIN",
        "COMMIT",
        "ABORT",
        "DISCONNECT",
    };
    for (const QByteArrayView candidate : commands) {
        if (command == candidate)
            return true;
    }
    return false;
}

bool StompFrame::isServerCommand(QByteArrayView command)
{
    static constexpr QByteArrayView commands[] = { "CONNECTED", "MESSAGE", "RECEIPT", "ERROR" };
    for (const QByteArrayView candidate : commands) {
        if (command == candidate)
            return true;
    }
    return false;
}

bool StompFrame::isUnescapedCommand(QByteArrayView command)
{
    // STOMP is 1.2's alias of CONNECT, so it carries the same unescaped credentials.
    return command == QByteArrayView("CONNECT") || command == QByteArrayView("STOMP")
        || command == QByteArrayView("CONNECTED");
}

} // namespace sb::protocol
