#include "inspect/StompProbeSettings.h"

#include "protocol/StompHeartBeat.h"

namespace sb::inspect {

namespace {

// RFC 7230 token characters: what a WebSocket subprotocol name may hold.
bool stompProbeIsToken(const QString &text)
{
    if (text.isEmpty())
        return false;
    for (const QChar c : text) {
        const char16_t u = c.unicode();
        const bool ok = (u >= u'a' && u <= u'z') || (u >= u'A' && u <= u'Z') || (u >= u'0' && u <= u'9')
            || QStringView(u"!#$%&'*+-.^_`|~").contains(c);
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

QStringList StompProbeSettings::defaultSubprotocols()
{
    return { QStringLiteral("v12.stomp"), QStringLiteral("v11.stomp"), QStringLiteral("v10.stomp") };
}

QString StompProbeSettings::problem() const
{
    const QString scheme = url.scheme().toLower();
    if (url.isEmpty())
        return QStringLiteral("the URL is empty");
    if (!url.isValid())
        return QStringLiteral("the URL is not valid: %1").arg(url.errorString());
    if (sockJs && scheme != u"ws" && scheme != u"wss" && scheme != u"http" && scheme != u"https")
        return QStringLiteral("a SockJS URL starts with http://, https://, ws:// or wss://");
    if (!sockJs && scheme != u"ws" && scheme != u"wss")
        return (scheme == u"http" || scheme == u"https")
            ? QStringLiteral("a STOMP-over-WebSocket URL starts with ws:// or wss:// (tick SockJS for an "
                             "http:// SockJS endpoint)")
            : QStringLiteral("a STOMP-over-WebSocket URL starts with ws:// or wss://");
    if (url.host().isEmpty())
        return QStringLiteral("the URL has no host");
    for (const QString &protocol : subprotocols)
        if (!stompProbeIsToken(protocol))
            return QStringLiteral(
                "subprotocol '%1' is not a valid name (letters, digits and !#$%&'*+-.^_`|~)")
                .arg(protocol);
    for (const ProbeHeader &header : connectHeaders)
        if (const QString why = probeHeaderProblem(header, QStringLiteral("CONNECT header")); !why.isEmpty())
            return why;
    for (const ProbeHeader &header : handshakeHeaders)
        if (const QString why = probeHeaderProblem(header, QStringLiteral("handshake header"));
            !why.isEmpty())
            return why;
    if (const qsizetype i = probeHeaderIndex(connectHeaders, QStringLiteral("heart-beat")); i >= 0) {
        const QString value = connectHeaders.at(i).second;
        if (!protocol::StompHeartBeat::parse(value.toUtf8()))
            return QStringLiteral(
                "heart-beat '%1' is not two whole numbers of milliseconds, e.g. 10000,10000")
                .arg(value);
    }
    for (const QString &destination : subscriptions)
        if (destination.trimmed().isEmpty() || destination.contains(u'\n') || destination.contains(u'\r'))
            return QStringLiteral("a destination to subscribe is empty or holds a line break");
    if (ackMode != u"auto" && ackMode != u"client" && ackMode != u"client-individual")
        return QStringLiteral("ack mode '%1' is not auto, client or client-individual").arg(ackMode);
    if (connectTimeoutMs <= 0)
        return QStringLiteral("the connect timeout must be positive");
    if (maxFrameBytes < 1024 || maxBodyBytes < 0)
        return QStringLiteral("the frame limit must be at least 1024 bytes");
    return {};
}

} // namespace sb::inspect
