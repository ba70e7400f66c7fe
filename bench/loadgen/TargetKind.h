#pragma once

#include <optional>
#include <string>
#include <string_view>

// What the generator talks to, and how: each kind fixes the subscriber transport, the
// publisher, the paths and the credentials (docs/benchmarks.md, "Side by side").
enum class TargetKind {
    NodeStomp, // switchboard node: STOMP over WebSocket at /ws, JWT from its login API
    NodeSse, // switchboard node: SSE at /api/sse (Bearer), published by STOMP SEND
    RabbitStomp, // RabbitMQ Web-STOMP at /ws, guest/guest, /topic/bench
    NchanWebSocket, // nginx + Nchan: WebSocket subscriber at /sub/bench, POST /pub/bench
    NchanSse, // nginx + Nchan: EventSource subscriber at /sub/bench, POST /pub/bench
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
// The request path a subscriber opens (WebSocket upgrade or SSE GET).
std::string_view subscribePath(TargetKind kind);
// The STOMP destination subscribed to / sent to (STOMP kinds only).
std::string_view stompSubscribeDestination(TargetKind kind);
std::string_view stompSendDestination(TargetKind kind);
// Where an HTTP publisher POSTs (HttpPost publishers only).
std::string_view publishPath(TargetKind kind);
