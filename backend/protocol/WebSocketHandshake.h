#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QDateTime>
#include <QList>

namespace sb::protocol {

class HttpRequest;

// The server's answer to a WebSocket opening handshake it accepts (RFC 6455 §4.2.2), for a
// request already found valid (HttpRequest::webSocketKey() not empty). The answer is the one
// QWebSocketServer (Qt 6.4) wrote, field for field, so that clients see no difference now
// that the node answers STOMP handshakes itself: 101, Upgrade, Connection, the
// Sec-WebSocket-Accept, the subprotocol chosen (the first one the client lists that the
// server supports; none when they share none), Server, Qt's CORS fields (the Origin
// echoed, `*` without one) and Date.
class WebSocketHandshake
{
public:
    static WebSocketHandshake accept(const HttpRequest &request,
        const QList<QByteArray> &supportedSubprotocols, QByteArrayView serverName,
        const QDateTime &nowUtc = QDateTime::currentDateTimeUtc());

    // The client's Sec-WebSocket-Protocol lists (fields and comma-separated names, in order),
    // the first of them that `supported` holds; empty when none.
    static QByteArray chooseSubprotocol(const HttpRequest &request, const QList<QByteArray> &supported);

    // The status line and fields, ending with the empty line.
    const QByteArray &response() const { return m_response; }
    const QByteArray &subprotocol() const { return m_subprotocol; }

private:
    QByteArray m_response;
    QByteArray m_subprotocol;
};

} // namespace sb::protocol
