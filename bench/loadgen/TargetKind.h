#pragma once

#include <optional>
#include <string>
#include <string_view>

// What the generator talks to, and how: each kind fixes the subscriber transport, the
// publisher, the paths and the credentials (docs/benchmarks.md, "Side by side").
enum class TargetKind {
    NodeStomp, // switchboard node: STOMP over WebSocket at /ws, JWT from its login API
    NodeSse, // switchboard node: SSE at /api/sse (Bearer), published by STOMP SEND
    RabbitStomp, // RabbitMQ Web-STOMP at /ws, guest/guest, /topic/bench (or /topic/c<i>)
    NchanWebSocket, // nginx + Nchan: WebSocket subscriber at /sub/bench, POST /pub/bench (or c<i>)
    NchanSse, // nginx + Nchan: EventSource subscriber at /sub/bench, POST /pub/bench (or c<i>)
    TrivialStomp, // bench/loadgen's broadcast server, STOMP over WebSocket (the generator's ceiling)
    TrivialWebSocket, // the broadcast server, plain WebSocket
    TrivialSse, // the broadcast server, SSE
};

enum class SubscriberTransport { StompWebSocket, PlainWebSocket, Sse };
enum class PublisherTransport { StompWebSocket, HttpPost };

std::optional<TargetKind> parseTargetKind(std::string_view name);
std::string_view targetKindName(TargetKind kind);

SubscriberTransport subscriberTransport(TargetKind kind);
PublisherTransport publisherTransport(TargetKind kind);
bool isNode(TargetKind kind);
// The name of channel `channel` of a run spread over `channels` (scenario 4): "c<i>"; with
// one channel, each server's usual one ("general" on the node, "bench" elsewhere).
std::string channelName(TargetKind kind, int channel, int channels);
// Whether a subscriber can listen on one channel of several: not the node's SSE stream,
// which carries every channel its user is a member of.
bool canSpreadOverChannels(TargetKind kind);
// The request path a subscriber of `channel` opens (WebSocket upgrade or SSE GET).
std::string subscribePath(TargetKind kind, std::string_view channel);
// The STOMP destination subscribed to / sent to for `channel` (STOMP kinds only).
std::string stompSubscribeDestination(TargetKind kind, std::string_view channel);
std::string stompSendDestination(TargetKind kind, std::string_view channel);
// Where an HTTP publisher POSTs a message for `channel` (HttpPost publishers only).
std::string publishPath(TargetKind kind, std::string_view channel);
