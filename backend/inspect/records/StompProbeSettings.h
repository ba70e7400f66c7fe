#pragma once

#include "inspect/ProbeHeaders.h"

#include <QMetaType>
#include <QString>
#include <QStringList>
#include <QUrl>

namespace sb::inspect {

// What a StompProbeClient connects to and how: a plain record (the probe dialog fills it,
// the console's capture thread and `switchboard probe` hand it to the client).
struct StompProbeSettings
{
    // CONNECT headers the client adds when connectHeaders has no header of that name. Not
    // host, though STOMP 1.2 asks for it, as stomp.js does not: RabbitMQ reads it as the
    // virtual host, and the URL's host name is rarely one ("Bad CONNECT").
    static constexpr QLatin1String kDefaultAcceptVersion { "1.2,1.1,1.0" };
    static constexpr QLatin1String kDefaultHeartBeat { "10000,10000" };

    // ws:// or wss:// (the STOMP endpoint, e.g. ws://127.0.0.1:8080/ws); with sockJs also
    // http:// or https:// (the SockJS endpoint's base URL, e.g. http://app/stomp).
    QUrl url;
    // STOMP CONNECT headers, in order: Authorization, login, passcode, host, heart-beat,
    // accept-version and any others. Sent as given (CONNECT headers are never escaped).
    ProbeHeaders connectHeaders;
    // Extra HTTP headers of the WebSocket upgrade (Cookie, Origin, an Authorization a
    // gateway checks before STOMP).
    ProbeHeaders handshakeHeaders;
    QStringList subprotocols = defaultSubprotocols();
    // SockJS's WebSocket transport ({url}/{server}/{session}/websocket, SockJS framing).
    bool sockJs = false;
    // Subscribed once CONNECTED, in order, with ids sub-0, sub-1, …
    QStringList subscriptions;
    QString ackMode = QStringLiteral("auto"); // auto | client | client-individual
    QString source = QStringLiteral("probe"); // the frames' source in the Traffic area
    int connectTimeoutMs = 10000; // from start() to CONNECTED
    qsizetype maxFrameBytes = 1024 * 1024; // a larger server frame is an error
    qsizetype maxBodyBytes = 64 * 1024; // a frame's body is cut here in the emitted TrafficFrame

    static QStringList defaultSubprotocols();
    // Empty when the client can start with these settings; otherwise one sentence naming
    // the field to fix (the probe dialog and `switchboard probe` show it as it is).
    QString problem() const;
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::StompProbeSettings)
