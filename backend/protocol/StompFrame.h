#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QPair>

namespace sb::protocol {

using StompHeader = QPair<QByteArray, QByteArray>;
using StompHeaders = QList<StompHeader>;

// One STOMP frame as it travels on the wire: a command, headers in wire order and an
// opaque body. Header names and values are stored unescaped.
class StompFrame
{
public:
    StompFrame() = default;
    explicit StompFrame(QByteArray command, StompHeaders headers = {}, QByteArray body = {});

    const QByteArray &command() const { return m_command; }
    void setCommand(const QByteArray &command) { m_command = command; }

    const StompHeaders &headers() const { return m_headers; }
    void setHeaders(const StompHeaders &headers) { m_headers = headers; }

    // STOMP 1.2: when a header is repeated, only the first occurrence counts.
    bool hasHeader(QByteArrayView name) const;
    QByteArray header(QByteArrayView name, const QByteArray &defaultValue = {}) const;
    // Replaces the first occurrence and drops later ones, or appends when absent.
    void setHeader(const QByteArray &name, const QByteArray &value);
    // Appends, even if the name is already present (it will then be shadowed).
    void addHeader(const QByteArray &name, const QByteArray &value);
    // Removes every occurrence; returns how many were removed.
    qsizetype removeHeader(QByteArrayView name);

    const QByteArray &body() const { return m_body; }
    void setBody(const QByteArray &body) { m_body = body; }

    bool isClientCommand() const { return isClientCommand(m_command); }
    bool isServerCommand() const { return isServerCommand(m_command); }
    // CONNECT, STOMP, SEND, SUBSCRIBE, UNSUBSCRIBE, ACK, NACK, BEGIN, COMMIT, ABORT, DISCONNECT.
    static bool isClientCommand(QByteArrayView command);
    // CONNECTED, MESSAGE, RECEIPT, ERROR.
    static bool isServerCommand(QByteArrayView command);
    // CONNECT, STOMP and CONNECTED: their headers are never escaped (STOMP 1.2 §Value Encoding).
    static bool isUnescapedCommand(QByteArrayView command);

    friend bool operator==(const StompFrame &a, const StompFrame &b)
    {
        return a.m_command == b.m_command && a.m_headers == b.m_headers && a.m_body == b.m_body;
    }
    friend bool operator!=(const StompFrame &a, const StompFrame &b) { return !(a == b); }

private:
    QByteArray m_command;
    StompHeaders m_headers;
    QByteArray m_body;
};

} // namespace sb::protocol
