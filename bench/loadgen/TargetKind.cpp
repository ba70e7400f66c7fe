#include "TargetKind.h"

#include <array>
#include <string>
#include <utility>

namespace {
constexpr std::array<std::pair<TargetKind, std::string_view>, 8> kNames { {
    { TargetKind::NodeStomp, "node-stomp" },
    { TargetKind::NodeSse, "node-sse" },
    { TargetKind::RabbitStomp, "rabbit-stomp" },
    { TargetKind::NchanWebSocket, "nchan-ws" },
    { TargetKind::NchanSse, "nchan-sse" },
    { TargetKind::TrivialStomp, "trivial-stomp" },
    { TargetKind::TrivialWebSocket, "trivial-ws" },
    { TargetKind::TrivialSse, "trivial-sse" },
} };
} // namespace

std::optional<TargetKind> parseTargetKind(std::string_view name)
{
    for (const auto &[kind, text] : kNames)
        if (text == name)
            return kind;
    return std::nullopt;
}

std::string_view targetKindName(TargetKind kind)
{
    for (const auto &[k, text] : kNames)
        if (k == kind)
            return text;
    return "?";
}

SubscriberTransport subscriberTransport(TargetKind kind)
{
    switch (kind) {
    case TargetKind::NodeStomp:
    case TargetKind::RabbitStomp:
    case TargetKind::TrivialStomp:
        return SubscriberTransport::StompWebSocket;
    case TargetKind::NchanWebSocket:
    case TargetKind::TrivialWebSocket:
        return SubscriberTransport::PlainWebSocket;
    case TargetKind::NodeSse:
    case TargetKind::NchanSse:
    case TargetKind::TrivialSse:
        return SubscriberTransport::Sse;
    }
    return SubscriberTransport::Sse;
}

PublisherTransport publisherTransport(TargetKind kind)
{
    switch (kind) {
    case TargetKind::NodeStomp:
    case TargetKind::NodeSse:
    case TargetKind::RabbitStomp:
        return PublisherTransport::StompWebSocket;
    default:
        return PublisherTransport::HttpPost;
    }
}

bool isNode(TargetKind kind)
{
    return kind == TargetKind::NodeStomp || kind == TargetKind::NodeSse;
}

std::string channelName(TargetKind kind, int channel, int channels)
{
    if (channels <= 1)
        return isNode(kind) ? "general" : "bench";
    return "c" + std::to_string(channel);
}

bool canSpreadOverChannels(TargetKind kind)
{
    return kind != TargetKind::NodeSse;
}

std::string subscribePath(TargetKind kind, std::string_view channel)
{
    switch (kind) {
    case TargetKind::NodeStomp:
    case TargetKind::RabbitStomp:
        return "/ws";
    case TargetKind::NodeSse:
        return "/api/sse";
    case TargetKind::NchanWebSocket:
    case TargetKind::NchanSse:
        return "/sub/" + std::string(channel);
    case TargetKind::TrivialStomp:
        return "/ws";
    case TargetKind::TrivialWebSocket:
        return "/ws/" + std::string(channel);
    case TargetKind::TrivialSse:
        return "/sse/" + std::string(channel);
    }
    return "/";
}

std::string stompSubscribeDestination(TargetKind kind, std::string_view channel)
{
    return (isNode(kind) ? "/topic/channels." : "/topic/") + std::string(channel);
}

std::string stompSendDestination(TargetKind kind, std::string_view channel)
{
    // The node takes client messages on /app/… and fans them out on /topic/… (docs/protocol.md).
    return (isNode(kind) ? "/app/channels." : "/topic/") + std::string(channel);
}

std::string publishPath(TargetKind /*kind*/, std::string_view channel)
{
    // Nchan's channel id is the path's last segment; the trivial server reads it the same way.
    return "/pub/" + std::string(channel);
}
