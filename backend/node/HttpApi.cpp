#include "node/HttpApi.h"

#include "cluster/EventBus.h"
#include "cluster/TokenRegistry.h"
#include "node/ChannelPolicy.h"
#include "node/Destination.h"
#include "node/HttpExchange.h"
#include "node/MessageService.h"
#include "node/NodeServices.h"
#include "node/PublishAcknowledgements.h"
#include "node/ReplicasEndpoint.h"
#include "node/StaticPages.h"
#include "node/TapEvent.h"
#include "node/TokenService.h"
#include "protocol/NodeApi.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QPointer>

Q_LOGGING_CATEGORY(lcAdminApi, "sb.node.admin")

namespace sb::node {

using protocol::HttpRequest;
using protocol::HttpResponse;
namespace nodeapi = protocol::nodeapi;

namespace {
// The token registry could not answer: not the client's fault and not a verdict on its
// token, so 503 with a retry hint, never 401 (a client told "revoked" drops a valid token).
HttpResponse registryUnavailableResponse()
{
    HttpResponse response = HttpResponse::jsonError(503, TokenService::registryUnavailableMessage());
    response.setHeader("Retry-After", QByteArray::number(TokenService::kRegistryRetryAfterSeconds));
    return response;
}

// A publish the bus could not take or keep: the client did nothing wrong and may send the
// same message again (a new message id: nothing of the first reached anyone).
HttpResponse publishRetryResponse(const QString &message)
{
    HttpResponse response = HttpResponse::jsonError(503, message);
    response.setHeader("Retry-After", QByteArray::number(MessageService::kPublishRetryAfterSeconds));
    return response;
}

// The one answer to new work while the replica drains (docs/protocol.md, "Graceful
// shutdown"): counted, with a retry hint, and the connection closes.
void refuseWhileDraining(NodeServices *services, HttpExchange *connection)
{
    services->metrics.dropped(QByteArrayLiteral("draining"));
    HttpResponse response
        = HttpResponse::jsonError(503, QStringLiteral("server shutting down; retry on another replica"));
    response.setHeader("Retry-After", "1");
    response.setCloseConnection(true);
    connection->respond(response);
}

std::optional<QJsonObject> jsonBody(const HttpRequest &request)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body(), &parseError);
    if (!document.isObject())
        return std::nullopt;
    return document.object();
}
} // namespace

HttpApi::HttpApi(NodeServices *services, HttpExchange *connection, PublishAcknowledgements *acks,
    const ChannelPolicy *policy)
    : m_services(services)
    , m_connection(connection)
    , m_acks(acks)
    , m_policy(policy)
{ }

void HttpApi::error(int status, const QString &message)
{
    if (m_connection)
        m_connection->respond(HttpResponse::jsonError(status, message));
}

void HttpApi::json(int status, const QJsonObject &object)
{
    if (m_connection)
        m_connection->respond(HttpResponse::json(status, object));
}

void HttpApi::handle(const HttpRequest &request)
{
    const QString path = request.path();
    const QByteArray method = request.method();
    auto route = [&](const QByteArray &allowed, auto handler) {
        if (method != allowed) {
            HttpResponse response = HttpResponse::jsonError(
                405, QStringLiteral("use %1 for %2").arg(QString::fromLatin1(allowed), path));
            response.setHeader("Allow", allowed);
            m_connection->respond(response);
            return;
        }
        handler();
    };

    const bool operational = path == nodeapi::LivePath || path == nodeapi::ReadyPath
        || path == nodeapi::MetricsPath || path == nodeapi::AdminStatsPath;
    if (m_services->draining.load() && !operational)
        return refuseWhileDraining(m_services, m_connection); // only what tells how the drain goes is served
    if (path == nodeapi::LivePath)
        return route("GET", [&] { json(200, { { QStringLiteral("status"), QStringLiteral("live") } }); });
    if (path == nodeapi::ReadyPath)
        return route("GET", [&] { ready(); });
    if (path == nodeapi::MetricsPath)
        return route("GET", [&] { metrics(); });
    if (path == nodeapi::AdminStatsPath)
        return route("GET", [&] { adminStats(request); });
    if (path == nodeapi::AdminStage1PausePath || path == nodeapi::AdminStage1ResumePath)
        return route("POST", [&] { pauseStage1(request, path == nodeapi::AdminStage1PausePath); });
    if (path == nodeapi::LoginPath)
        return route("POST", [&] { login(request); });
    if (path == nodeapi::RefreshPath)
        return route("POST", [&] { refresh(request); });
    if (path == nodeapi::LogoutPath)
        return route("POST", [&] { logout(request); });
    if (path == nodeapi::SseTicketPath)
        return route("POST", [&] { sseTicket(request); });
    if (path == nodeapi::SsePath)
        return route("GET", [&] { sse(request); });
    if (const QString channel = nodeapi::channelOfMessagesPath(path); !channel.isEmpty())
        return route("POST", [&] { publish(request, channel); });
    if (path == nodeapi::ReplicasPath)
        return route("GET",
            [&] { ReplicasEndpoint::respond(m_services->config.id, m_services->registry, m_connection); });
    if (auto page = StaticPages::response(path))
        return route("GET", [&] { m_connection->respond(*page); });
    if (path == nodeapi::StompPath || path == nodeapi::AdminTapPath)
        return error(
            426, QStringLiteral("%1 is a WebSocket endpoint: send an Upgrade: websocket request").arg(path));
    error(404, QStringLiteral("no such endpoint: %1 %2").arg(QString::fromLatin1(method), path));
}

void HttpApi::handleUpgrade(const HttpRequest &request)
{
    const QString path = request.path();
    if (request.webSocketKey().isEmpty()) {
        HttpResponse response = HttpResponse::jsonError(
            400, QStringLiteral("invalid WebSocket handshake (Sec-WebSocket-Key/Version 13)"));
        response.setHeader("Sec-WebSocket-Version", "13");
        response.setCloseConnection(true);
        m_connection->respond(response);
        return;
    }
    if (m_services->draining.load())
        return refuseWhileDraining(m_services, m_connection);
    if (path == nodeapi::StompPath) {
        m_connection->upgradeToWebSocket(WebSocketEndpoint::Stomp);
        return;
    }
    if (path == nodeapi::AdminTapPath) {
        QPointer<HttpExchange> connection = m_connection;
        withUser(
            request, true,
            [connection](const AuthenticatedUser &) {
                if (connection)
                    connection->upgradeToWebSocket(WebSocketEndpoint::Tap);
            },
            Credentials::BearerOrTicket);
        return;
    }
    HttpResponse response = HttpResponse::jsonError(
        404, QStringLiteral("no WebSocket endpoint at %1 (use %2)").arg(path, nodeapi::StompPath));
    response.setCloseConnection(true);
    m_connection->respond(response);
}

void HttpApi::withUser(const HttpRequest &request, bool adminOnly, UserCallback then, Credentials accepted)
{
    QByteArray token = TokenService::bearerToken(request.header("Authorization"));
    if (token.isEmpty()) {
        const QString ticket = request.queryItemValue(QStringLiteral("ticket"));
        // A ticket exists only because a browser EventSource (or WebSocket) cannot send
        // headers: it opens a stream, nothing else, so a leaked URL cannot publish or log out.
        if (!ticket.isEmpty() && accepted == Credentials::BearerOrTicket) {
            const auto user = m_services->tickets->redeem(ticket.toUtf8());
            if (!user) {
                m_services->metrics.authFailure(QByteArrayLiteral("bad_ticket"));
                return error(401,
                    QStringLiteral(
                        "the ticket is unknown, used or expired (tickets are single-use, valid %1 s)")
                        .arg(m_services->config.sseTicketSeconds));
            }
            if (const auto verdict = ChannelPolicy::admin(*user, QStringLiteral("this endpoint"));
                adminOnly && !verdict.allowed()) {
                m_services->metrics.authFailure(QByteArrayLiteral("forbidden"));
                return error(403, verdict.message);
            }
            return then(*user);
        }
        m_services->metrics.authFailure(QByteArrayLiteral("missing_token"));
        HttpResponse response = HttpResponse::jsonError(
            401, QStringLiteral("authentication required: Authorization: Bearer <token>"));
        response.setHeader("WWW-Authenticate", "Bearer");
        m_connection->respond(response);
        return;
    }
    NodeServices *services = m_services;
    QPointer<HttpExchange> connection = m_connection;
    m_services->tokens->authenticate(token, TokenService::Kind::Access, m_connection,
        [services, connection, adminOnly, then](const TokenService::Outcome &outcome) {
            if (!connection)
                return;
            if (!outcome.ok && outcome.registryUnavailable) {
                connection->respond(registryUnavailableResponse());
                return;
            }
            if (!outcome.ok) {
                HttpResponse response
                    = HttpResponse::jsonError(401, QStringLiteral("invalid token: ") + outcome.message);
                response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                connection->respond(response);
                return;
            }
            if (const auto verdict = ChannelPolicy::admin(outcome.user, QStringLiteral("this endpoint"));
                adminOnly && !verdict.allowed()) {
                services->metrics.authFailure(QByteArrayLiteral("forbidden"));
                connection->respond(HttpResponse::jsonError(403, verdict.message));
                return;
            }
            then(outcome.user);
        });
}

void HttpApi::login(const HttpRequest &request)
{
    const auto body = jsonBody(request);
    const QString username = body ? body->value(QStringLiteral("username")).toString() : QString();
    const QString password = body ? body->value(QStringLiteral("password")).toString() : QString();
    if (!body || username.isEmpty() || password.isEmpty())
        return error(400, QStringLiteral("expected JSON {\"username\": \"…\", \"password\": \"…\"}"));

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString address = m_connection->peerAddress().toString();
    if (!m_services->loginsPerAddress->allow(address, now)
        || !m_services->loginsPerUser->allow(username, now)) {
        m_services->metrics.dropped(QByteArrayLiteral("login_rate_limited"));
        m_services->metrics.authFailure(QByteArrayLiteral("rate_limited"));
        const int retry = qMax(m_services->loginsPerAddress->retryAfterSeconds(address, now),
            m_services->loginsPerUser->retryAfterSeconds(username, now));
        HttpResponse response = HttpResponse::jsonError(
            429, QStringLiteral("too many login attempts; retry in %1 s").arg(retry));
        response.setHeader("Retry-After", QByteArray::number(qMax(retry, 1)));
        m_connection->respond(response);
        return;
    }
    if (!m_services->dependenciesReady.load()) {
        HttpResponse response = HttpResponse::jsonError(
            503, QStringLiteral("the session store (Redis) is unreachable; try again shortly"));
        response.setHeader("Retry-After", QByteArray::number(TokenService::kRegistryRetryAfterSeconds));
        m_connection->respond(response);
        return;
    }
    const auto user = m_services->users.authenticate(username, password);
    if (!user) {
        m_services->metrics.authFailure(QByteArrayLiteral("bad_credentials"));
        return error(401, QStringLiteral("wrong username or password"));
    }
    respondWithTokens(m_services, m_connection, m_services->tokens->issue(*user));
}

void HttpApi::respondWithTokens(
    NodeServices *services, QPointer<HttpExchange> connection, const TokenService::Issued &issued)
{
    // 200 only once the shared registry holds the new tokens: the check goes down the same
    // ordered connection after them, so another replica never sees the client's first
    // request before the token exists there (it would answer 401 "revoked").
    using Status = cluster::TokenRegistry::Status;
    services->tokenRegistry->lookup(issued.lastJti, connection, [connection, issued](Status stored) {
        if (!connection)
            return;
        if (stored == Status::Unavailable) {
            connection->respond(registryUnavailableResponse());
            return;
        }
        if (stored != Status::Active) {
            connection->respond(HttpResponse::jsonError(503,
                QStringLiteral("the session store did not keep the new "
                               "token; try again shortly")));
            return;
        }
        connection->respond(HttpResponse::json(200,
            { { QStringLiteral("accessToken"), QString::fromLatin1(issued.accessToken) },
                { QStringLiteral("refreshToken"), QString::fromLatin1(issued.refreshToken) },
                { QStringLiteral("expiresIn"), issued.expiresIn },
                { QStringLiteral("tokenType"), QStringLiteral("Bearer") } }));
    });
}

void HttpApi::refresh(const HttpRequest &request)
{
    const auto body = jsonBody(request);
    const QString token = body ? body->value(QStringLiteral("refreshToken")).toString() : QString();
    if (token.isEmpty())
        return error(400, QStringLiteral("expected JSON {\"refreshToken\": \"…\"}"));
    QPointer<HttpExchange> connection = m_connection;
    NodeServices *services = m_services;
    m_services->tokens->refresh(token.toUtf8(), m_services->users, m_connection,
        [services, connection](const TokenService::Outcome &outcome, const TokenService::Issued &issued) {
            if (!connection)
                return;
            if (!outcome.ok && outcome.registryUnavailable) {
                connection->respond(registryUnavailableResponse());
                return;
            }
            if (!outcome.ok) {
                connection->respond(HttpResponse::jsonError(
                    401, QStringLiteral("invalid refresh token: ") + outcome.message));
                return;
            }
            respondWithTokens(services, connection, issued);
        });
}

void HttpApi::logout(const HttpRequest &request)
{
    const auto body = jsonBody(request);
    const QString refreshToken = body ? body->value(QStringLiteral("refreshToken")).toString() : QString();
    NodeServices *services = m_services;
    QPointer<HttpExchange> connection = m_connection;
    withUser(request, false, [services, connection, refreshToken](const AuthenticatedUser &user) {
        services->tokens->revoke(user.jti);
        // 204 only once the shared registry has applied the revocation: the check goes down
        // the same ordered connection after it, so when the client reads 204, no replica
        // accepts the token any more (a reply before that raced the other replicas).
        auto done = [services, connection, jti = user.jti] {
            if (!connection)
                return;
            services->tokenRegistry->check(jti, connection, [connection](bool) {
                if (connection)
                    connection->respond(HttpResponse(204));
            });
        };
        if (refreshToken.isEmpty() || !connection)
            return done();
        // Revoke the refresh token too when it is given and belongs to the same user.
        services->tokens->authenticate(refreshToken.toUtf8(), TokenService::Kind::Refresh, connection,
            [services, user, done](const TokenService::Outcome &outcome) {
                if (outcome.ok && outcome.user.name == user.name)
                    services->tokens->revoke(outcome.user.jti);
                done();
            });
    });
}

void HttpApi::sseTicket(const HttpRequest &request)
{
    NodeServices *services = m_services;
    QPointer<HttpExchange> connection = m_connection;
    withUser(request, false, [services, connection](const AuthenticatedUser &user) {
        const QByteArray ticket = services->tickets->issue(user);
        if (!connection)
            return;
        if (ticket.isEmpty()) {
            connection->respond(HttpResponse::jsonError(503, QStringLiteral("too many outstanding tickets")));
            return;
        }
        connection->respond(HttpResponse::json(200,
            { { QStringLiteral("ticket"), QString::fromLatin1(ticket) },
                { QStringLiteral("expiresIn"), services->config.sseTicketSeconds } }));
    });
}

void HttpApi::sse(const HttpRequest &request)
{
    QString lastEventId = QString::fromUtf8(request.header("Last-Event-ID")).trimmed();
    if (lastEventId.isEmpty())
        lastEventId = request.queryItemValue(QStringLiteral("lastEventId"));
    NodeServices *services = m_services;
    QPointer<HttpExchange> connection = m_connection;
    withUser(
        request, false,
        [services, connection, lastEventId](const AuthenticatedUser &user) {
            if (!connection)
                return;
            if (services->draining.load()) // the drain began while the token was checked
                return refuseWhileDraining(services, connection);
            if (!services->sseStreamsPerUser->tryAcquire(user.name)) {
                services->metrics.dropped(QByteArrayLiteral("too_many_sse_streams"));
                connection->respond(HttpResponse::jsonError(429,
                    QStringLiteral("too many SSE streams for %1 (limit %2)")
                        .arg(user.name)
                        .arg(services->config.limits.maxSseStreamsPerUser)));
                return;
            }
            connection->upgradeToSse(user, lastEventId);
        },
        Credentials::BearerOrTicket);
}

void HttpApi::publish(const HttpRequest &request, const QString &channel)
{
    // A channel id is checked before the credentials (400 before 401), its membership after.
    if (!Destination::isValidChannelId(channel))
        return error(400, ChannelPolicy::notChannelIdMessage(channel));
    const auto body = jsonBody(request);
    const QJsonValue text = body ? body->value(QStringLiteral("text")) : QJsonValue();
    if (!text.isString() || text.toString().trimmed().isEmpty())
        return error(400, QStringLiteral("expected JSON {\"text\": \"…\"} with non-empty text"));
    NodeServices *services = m_services;
    QPointer<HttpExchange> connection = m_connection;
    PublishAcknowledgements *acks = m_acks;
    const ChannelPolicy *policy = m_policy;
    const QString messageText = text.toString();
    const QByteArray requestBody = request.body();
    withUser(request, false,
        [services, connection, acks, policy, channel, messageText, requestBody](
            const AuthenticatedUser &user) {
            if (!connection)
                return;
            if (const ChannelPolicy::Verdict verdict = policy->publish(user, channel); !verdict.allowed()) {
                const bool forbidden = verdict.outcome == ChannelPolicy::Verdict::Outcome::Forbidden;
                if (forbidden)
                    services->metrics.authFailure(QByteArrayLiteral("forbidden"));
                connection->respond(HttpResponse::jsonError(forbidden ? 403 : 400, verdict.message));
                return;
            }
            PublishAcknowledgements::Ticket ticket = acks->issue();
            const MessageService::Creation creation = services->messages->create(
                user.name, channel, messageText, std::move(ticket.acknowledgement));
            const ChatMessage &message = creation.message;
            if (services->tap->wants()) {
                TapEvent event;
                event.tsMs = QDateTime::currentMSecsSinceEpoch();
                event.session = QStringLiteral("http");
                event.user = user.name;
                event.transport = QByteArrayLiteral("http");
                event.direction = QByteArrayLiteral("in");
                event.command = QByteArrayLiteral("POST");
                event.destination = nodeapi::channelMessagesPath(channel);
                event.messageId = message.id;
                event.bytes = requestBody.size();
                event.body = requestBody;
                services->tap->publish(event);
            }
            if (creation.admission == cluster::PublishAdmission::QueueFull)
                return connection->respond(publishRetryResponse(MessageService::queueFullMessage()));
            if (creation.admission == cluster::PublishAdmission::Refused)
                return connection->respond(publishRetryResponse(MessageService::refusedMessage()));
            // 201 only once stage 1 holds the message (docs/protocol.md, "What 201 means"): the
            // worker goes on serving meanwhile; the verdict comes back to it queued.
            acks->expect(
                ticket.id, connection, [connection, body = message.toJson()](const QString &failure) {
                    if (!connection)
                        return;
                    if (!failure.isEmpty())
                        return connection->respond(
                            publishRetryResponse(MessageService::notStoredMessage(failure)));
                    connection->respond(HttpResponse::json(201, body));
                });
        });
}

void HttpApi::ready()
{
    const bool isReady = m_services->isReady();
    json(isReady ? 200 : 503,
        { { QStringLiteral("status"), isReady ? QStringLiteral("ready") : QStringLiteral("not ready") },
            { QStringLiteral("draining"), m_services->draining.load() },
            { QStringLiteral("dependencies"),
                m_services->dependenciesReady.load() ? QStringLiteral("up") : QStringLiteral("down") } });
}

void HttpApi::metrics()
{
    HttpResponse response(200);
    response.setBody(m_services->metrics.prometheusText(
                         m_services->config.id.toUtf8(), m_services->isReady(), m_services->draining.load())
            + NodeMetrics::busPrometheusText(m_services->bus->counters()),
        "text/plain; version=0.0.4; charset=utf-8");
    m_connection->respond(response);
}

void HttpApi::adminStats(const HttpRequest &request)
{
    NodeServices *services = m_services;
    QPointer<HttpExchange> connection = m_connection;
    withUser(request, true, [services, connection](const AuthenticatedUser &) {
        if (!connection)
            return;
        QJsonObject stats = services->metrics.toJson();
        stats.insert(QStringLiteral("node"), services->config.id);
        stats.insert(QStringLiteral("bootId"), services->bootId);
        stats.insert(QStringLiteral("version"), QStringLiteral(SB_VERSION));
        stats.insert(QStringLiteral("startedAt"), services->startedAtMs);
        stats.insert(QStringLiteral("uptimeSeconds"),
            (QDateTime::currentMSecsSinceEpoch() - services->startedAtMs) / 1000);
        stats.insert(QStringLiteral("ready"), services->isReady());
        stats.insert(QStringLiteral("draining"), services->draining.load());
        stats.insert(
            QStringLiteral("workers"), services->config.workerThreads); // resolved by NodeServer::listen
        stats.insert(QStringLiteral("tapReaders"), services->tap->readerCount());
        if (const auto paused = services->bus->stage1Paused())
            stats.insert(QStringLiteral("stage1Paused"), *paused);
        connection->respond(HttpResponse::json(200, stats));
    });
}

void HttpApi::pauseStage1(const HttpRequest &request, bool paused)
{
    NodeServices *services = m_services;
    QPointer<HttpExchange> connection = m_connection;
    withUser(request, true, [services, connection, paused](const AuthenticatedUser &user) {
        if (!connection)
            return;
        // The replica's stage-1 consumer only: it keeps its partitions (no rebalance), its
        // share of the group's lag grows until resumed. Idempotent.
        if (!services->bus->setStage1Paused(paused)) {
            connection->respond(HttpResponse::jsonError(
                409, QStringLiteral("this replica has no stage-1 consumer (its bus is not Kafka)")));
            return;
        }
        qCInfo(lcAdminApi).noquote() << QStringLiteral("stage-1 consumer %1 by %2")
                                            .arg(
                                                paused ? QStringLiteral("paused") : QStringLiteral("resumed"),
                                                user.name);
        connection->respond(HttpResponse::json(200,
            { { QStringLiteral("node"), services->config.id }, { QStringLiteral("stage1Paused"), paused } }));
    });
}

} // namespace sb::node
