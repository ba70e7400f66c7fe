#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QLatin1String>
#include <QString>
#include <QStringView>

// A node's public contract as its clients speak it (docs/protocol.md): endpoint paths, the
// login exchange and the STOMP frames a session opens with. The node routes by these paths
// (every path it serves is here, but for the chat page's files: StaticPages has their set),
// and Switchboard's own clients (the demo traffic, the replica probe, tests, benchmarks)
// build their requests from them, so neither side can drift from the other.
namespace sb::protocol::nodeapi {

// Probes and figures: served while draining too.
inline constexpr QLatin1String LivePath("/healthz/live");
inline constexpr QLatin1String ReadyPath("/healthz/ready");
inline constexpr QLatin1String MetricsPath("/metrics");
inline constexpr QLatin1String LoginPath("/api/auth/login");
inline constexpr QLatin1String RefreshPath("/api/auth/refresh");
inline constexpr QLatin1String LogoutPath("/api/auth/logout");
inline constexpr QLatin1String SsePath("/api/sse");
inline constexpr QLatin1String SseTicketPath("/api/sse/ticket");
inline constexpr QLatin1String ReplicasPath("/api/replicas");
// POST /api/channels/{id}/messages: see channelMessagesPath().
inline constexpr QLatin1String ChannelsPathPrefix("/api/channels/");
inline constexpr QLatin1String MessagesPathSuffix("/messages");
// WebSocket endpoints: STOMP, and the tap (ROLE_ADMIN).
inline constexpr QLatin1String StompPath("/ws");
inline constexpr QLatin1String AdminTapPath("/admin/tap");
inline constexpr QLatin1String AdminStatsPath("/admin/stats");
// POST, ROLE_ADMIN: this replica's stage-1 consumer paused or resumed (409 without Kafka).
inline constexpr QLatin1String AdminStage1PausePath("/admin/stage1/pause");
inline constexpr QLatin1String AdminStage1ResumePath("/admin/stage1/resume");
inline constexpr QLatin1String StompSubprotocol("v12.stomp");

// /api/channels/{channel}/messages, where a channel's messages are published over HTTP.
QString channelMessagesPath(const QString &channel);
// The {channel} of such a path (one non-empty segment, not checked further: the node says
// which ids exist); empty for any other path.
QString channelOfMessagesPath(QStringView path);

// The JSON body of POST /api/auth/login.
QByteArray loginBody(const QString &user, const QString &password);
// The access token in a login answer's JSON body; empty when there is none.
QByteArray accessToken(QByteArrayView loginAnswer);

// STOMP 1.2 CONNECT with the access token as a Bearer Authorization header; heart-beats off.
QByteArray stompConnect(QByteArrayView token, QByteArrayView host = "localhost");
QByteArray stompSubscribe(QByteArrayView id, QByteArrayView destination);

} // namespace sb::protocol::nodeapi
