#include "StompClientFrames.h"

#include "protocol/StompEncoder.h"
#include "protocol/StompFrame.h"

using sb::protocol::StompEncoder;
using sb::protocol::StompFrame;

namespace {
QByteArray bytes(std::string_view text)
{
    return QByteArray(text.data(), qsizetype(text.size()));
}

std::string encoded(const StompFrame &frame)
{
    const QByteArray wire = StompEncoder::encode(frame);
    return std::string(wire.constData(), std::size_t(wire.size()));
}
} // namespace

namespace StompClientFrames {

std::string connect(std::string_view bearerToken, std::string_view login, std::string_view passcode,
    std::string_view host, int heartBeatMs)
{
    StompFrame frame("CONNECT");
    frame.addHeader("accept-version", "1.2");
    frame.addHeader("host", bytes(host));
    frame.addHeader("heart-beat", QByteArray::number(heartBeatMs) + ',' + QByteArray::number(heartBeatMs));
    if (!bearerToken.empty())
        frame.addHeader("Authorization", "Bearer " + bytes(bearerToken));
    if (!login.empty()) {
        frame.addHeader("login", bytes(login));
        frame.addHeader("passcode", bytes(passcode));
    }
    return encoded(frame);
}

std::string subscribe(std::string_view destination)
{
    StompFrame frame("SUBSCRIBE");
    frame.addHeader("id", "0");
    frame.addHeader("destination", bytes(destination));
    frame.addHeader("ack", "auto");
    frame.addHeader("receipt", "subscribed");
    return encoded(frame);
}

std::string send(std::string_view destination, std::string_view body, std::string_view contentType)
{
    StompFrame frame("SEND");
    frame.addHeader("destination", bytes(destination));
    frame.addHeader("content-type", bytes(contentType));
    frame.setBody(bytes(body));
    return encoded(frame);
}

} // namespace StompClientFrames
