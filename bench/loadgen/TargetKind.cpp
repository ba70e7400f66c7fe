#include "TargetKind.h"

#include <array>
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

std::string_view subscribePath(TargetKind kind)
{
    switch (kind) {
    case TargetKind::NodeStomp:
    case TargetKind::RabbitStomp:
        return "/ws";
    case TargetKind::NodeSse:
        return "/api/sse";
    case TargetKind::NchanWebSocket:
    case TargetKind::NchanSse:
        return "/sub/bench";
    case TargetKind::TrivialStomp:
    case TargetKind::TrivialWebSocket:
        return "/ws";
    case TargetKind::TrivialSse:
        return "/sse";
    }
    return "/";
}

std::string_view stompSubscribeDestination(TargetKind kind)
{
    return isNode(kind) ? "/topic/channels.general" : "/topic/bench";
}

std::string_view stompSendDestination(TargetKind kind)
{
    // The node takes client messages on /app/… and fans them out on /topic/… (docs/protocol.md).
    return isNode(kind) ? "/app/channels.general" : "/topic/bench";
}

std::string_view publishPath(TargetKind kind)
{
    return (kind == TargetKind::NchanWebSocket || kind == TargetKind::NchanSse) ? "/pub/bench" : "/pub";
}
