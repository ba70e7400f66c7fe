#include "protocol/WebSocketHandshake.h"

#include "protocol/HttpHeaders.h"
#include "protocol/HttpRequest.h"
#include "protocol/HttpResponse.h"

#include <QLocale>

namespace sb::protocol {

QByteArray WebSocketHandshake::chooseSubprotocol(
    const HttpRequest &request, const QList<QByteArray> &supported)
{
    const QList<QByteArray> fields = request.headers().values("Sec-WebSocket-Protocol");
    for (const QByteArray &field : fields) {
        for (const QByteArrayView offered : HttpHeaders::splitList(field)) {
            for (const QByteArray &name : supported) {
                if (QByteArrayView(name) == offered)
                    return name;
            }
        }
    }
    return {};
}

WebSocketHandshake WebSocketHandshake::accept(const HttpRequest &request,
    const QList<QByteArray> &supportedSubprotocols, QByteArrayView serverName, const QDateTime &nowUtc)
{
    WebSocketHandshake handshake;
    handshake.m_subprotocol = chooseSubprotocol(request, supportedSubprotocols);
    // The parser let no CR, LF or NUL into a field's value: the Origin can be echoed as it is.
    QByteArray origin = HttpHeaders::trimmed(request.header("Origin")).toByteArray();
    if (origin.isEmpty())
        origin = QByteArrayLiteral("*");
    const QByteArray date
        = QLocale::c().toString(nowUtc.toUTC(), QStringLiteral("ddd, dd MMM yyyy hh:mm:ss 'GMT'")).toLatin1();

    QByteArray &out = handshake.m_response;
    out.reserve(320);
    out += "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";
    out += "Sec-WebSocket-Accept: ";
    out += HttpResponse::webSocketAccept(HttpHeaders::trimmed(request.header("Sec-WebSocket-Key")));
    out += "\r\n";
    if (!handshake.m_subprotocol.isEmpty())
        out += "Sec-WebSocket-Protocol: " + handshake.m_subprotocol + "\r\n";
    if (!serverName.isEmpty()) {
        out += "Server: ";
        out.append(serverName);
        out += "\r\n";
    }
    out += "Access-Control-Allow-Credentials: false\r\nAccess-Control-Allow-Methods: GET\r\n";
    out += "Access-Control-Allow-Headers: content-type\r\n";
    out += "Access-Control-Allow-Origin: " + origin + "\r\n";
    out += "Date: " + date + "\r\n\r\n";
    return handshake;
}

} // namespace sb::protocol
