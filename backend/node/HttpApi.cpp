#include "node/HttpApi.h"

#include "cluster/EventBus.h"
#include "cluster/TokenRegistry.h"
#include "node/ChannelPolicy.h"
#include "node/Destination.h"
#include "node/HttpApiDeps.h"
#include "node/HttpExchange.h"
#include "node/MessageService.h"
#include "node/NodeMetrics.h"
#include "node/NodeReadiness.h"
#include "node/PerUserQuota.h"
#include "node/PublishAcknowledgements.h"
#include "node/RateLimiter.h"
#include "node/ReplicasEndpoint.h"
#include "node/SseTicketBook.h"
#include "node/StaticPages.h"
#include "node/TapEvent.h"
#include "node/TapHub.h"
#include "node/TokenService.h"
#include "node/UserDirectory.h"
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
void refuseWhileDraining(NodeMetrics *metrics, HttpExchange *connection)
{
    metrics->dropped(QByteArrayLiteral("draining"));
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

HttpApi::HttpApi(const HttpApiDeps &deps, HttpExchange *connection, PublishAcknowledgements *acks,
    const ChannelPolicy *policy)
    : m_deps(&deps)
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
    if (m_deps->readiness->isDraining() && !operational)
        return refuseWhileDraining(
            m_deps->metrics, m_connection); // only what tells how the drain goes is served
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
        return route(
            "GET", [&] { ReplicasEndpoint::respond(m_deps->identity.id, m_deps->registry, m_connection); });
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
    if (m_deps->readiness->isDraining())
        return refuseWhileDraining(m_deps->metrics, m_connection);
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
            const auto user = m_deps->tickets->redeem(ticket.toUtf8());
            if (!user) {
                m_deps->metrics->authFailure(QByteArrayLiteral("bad_ticket"));
                return error(401,
                    QStringLiteral(
                        "the ticket is unknown, used or expired (tickets are single-use, valid %1 s)")
                        .arg(m_deps->ticketSeconds));
            }
            if (const auto verdict = ChannelPolicy::admin(*user, QStringLiteral("this endpoint"));
                adminOnly && !verdict.allowed()) {
                m_deps->metrics->authFailure(QByteArrayLiteral("forbidden"));
                return error(403, verdict.message);
            }
            return then(*user);
        }
        m_deps->metrics->authFailure(QByteArrayLiteral("missing_token"));
        HttpResponse response = HttpResponse::jsonError(
            401, QStringLiteral("authentication required: Authorization: Bearer <token>"));
        response.setHeader("WWW-Authenticate", "Bearer");
        m_connection->respond(response);
        return;
    }
    const HttpApiDeps *deps = m_deps;
    QPointer<HttpExchange> connection = m_connection;
    m_deps->tokens->authenticate(token, TokenService::Kind::Access, m_connection,
        [deps, connection, adminOnly, then](const TokenService::Outcome &outcome) {
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
                deps->metrics->authFailure(QByteArrayLiteral("forbidden"));
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
    if (!m_deps->loginsPerAddress->allow(address, now) || !m_deps->loginsPerUser->allow(username, now)) {
        m_deps->metrics->dropped(QByteArrayLiteral("login_rate_limited"));
        m_deps->metrics->authFailure(QByteArrayLiteral("rate_limited"));
        const int retry = qMax(m_deps->loginsPerAddress->retryAfterSeconds(address, now),
            m_deps->loginsPerUser->retryAfterSeconds(username, now));
        HttpResponse response = HttpResponse::jsonError(
            429, QStringLiteral("too many login attempts; retry in %1 s").arg(retry));
        response.setHeader("Retry-After", QByteArray::number(qMax(retry, 1)));
        m_connection->respond(response);
        return;
    }
    if (!m_deps->readiness->dependenciesReady()) {
        HttpResponse response = HttpResponse::jsonError(
            503, QStringLiteral("the session store (Redis) is unreachable; try again shortly"));
        response.setHeader("Retry-After", QByteArray::number(TokenService::kRegistryRetryAfterSeconds));
        m_connection->respond(response);
        return;
    }
    const auto user = m_deps->users->authenticate(username, password);
    if (!user) {
        m_deps->metrics->authFailure(QByteArrayLiteral("bad_credentials"));
        return error(401, QStringLiteral("wrong username or password"));
    }
    respondWithTokens(m_deps, m_connection, m_deps->tokens->issue(*user));
}

void HttpApi::respondWithTokens(
    const HttpApiDeps *deps, QPointer<HttpExchange> connection, const TokenService::Issued &issued)
{
    // 200 only once the shared registry holds the new tokens: the check goes down the same
    // ordered connection after them, so another replica never sees the client's first
    // request before the token exists there (it would answer 401 "revoked").
    using Status = cluster::TokenRegistry::Status;
    deps->tokenRegistry->lookup(issued.lastJti, connection, [connection, issued](Status stored) {
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
    const HttpApiDeps *deps = m_deps;
    m_deps->tokens->refresh(token.toUtf8(), *m_deps->users, m_connection,
        [deps, connection](const TokenService::Outcome &outcome, const TokenService::Issued &issued) {
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
            respondWithTokens(deps, connection, issued);
        });
}

void HttpApi::logout(const HttpRequest &request)
{
    const auto body = jsonBody(request);
    const QString refreshToken = body ? body->value(QStringLiteral("refreshToken")).toString() : QString();
    const HttpApiDeps *deps = m_deps;
    QPointer<HttpExchange> connection = m_connection;
    withUser(request, false, [deps, connection, refreshToken](const AuthenticatedUser &user) {
        deps->tokens->revoke(user.jti);
        // 204 only once the shared registry has applied the revocation: the check goes down
        // the same ordered connection after it, so when the client reads 204, no replica
        // accepts the token any more (a reply before that raced the other replicas).
        auto done = [deps, connection, jti = user.jti] {
            if (!connection)
                return;
            deps->tokenRegistry->check(jti, connection, [connection](bool) {
                if (connection)
                    connection->respond(HttpResponse(204));
            });
        };
        if (refreshToken.isEmpty() || !connection)
            return done();
        // Revoke the refresh token too when it is given and belongs to the same user.
        deps->tokens->authenticate(refreshToken.toUtf8(), TokenService::Kind::Refresh, connection,
            [deps, user, done](const TokenService::Outcome &outcome) {
                if (outcome.ok && outcome.user.name == user.name)
                    deps->tokens->revoke(outcome.user.jti);
                done();
            });
    });
}

void HttpApi::sseTicket(const HttpRequest &request)
{
    const HttpApiDeps *deps = m_deps;
    QPointer<HttpExchange> connection = m_connection;
    withUser(request, false, [deps, connection](const AuthenticatedUser &user) {
        const QByteArray ticket = deps->tickets->issue(user);
        if (!connection)
            return;
        if (ticket.isEmpty()) {
            connection->respond(HttpResponse::jsonError(503, QStringLiteral("too many outstanding tickets")));
            return;
        }
        connection->respond(HttpResponse::json(200,
            { { QStringLiteral("ticket"), QString::fromLatin1(ticket) },
                { QStringLiteral("expiresIn"), deps->ticketSeconds } }));
    });
}

void HttpApi::sse(const HttpRequest &request)
{
    QString lastEventId = QString::fromUtf8(request.header("Last-Event-ID")).trimmed();
    if (lastEventId.isEmpty())
        lastEventId = request.queryItemValue(QStringLiteral("lastEventId"));
    const HttpApiDeps *deps = m_deps;
    QPointer<HttpExchange> connection = m_connection;
    withUser(
        request, false,
        [deps, connection, lastEventId](const AuthenticatedUser &user) {
            if (!connection)
                return;
            if (deps->readiness->isDraining()) // the drain began while the token was checked
                return refuseWhileDraining(deps->metrics, connection);
            if (!deps->sseStreamsPerUser->tryAcquire(user.name)) {
                deps->metrics->dropped(QByteArrayLiteral("too_many_sse_streams"));
                connection->respond(HttpResponse::jsonError(429,
                    QStringLiteral("too many SSE streams for %1 (limit %2)")
                        .arg(user.name)
                        .arg(deps->maxSseStreamsPerUser)));
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
    if (text.toString().size() > ChatMessage::kMaxTextChars) { // as a SEND's: refused and counted
        m_deps->metrics->dropped(QByteArrayLiteral("bad_body"));
        return error(413, ChatMessage::textTooLongMessage());
    }
    const HttpApiDeps *deps = m_deps;
    QPointer<HttpExchange> connection = m_connection;
    PublishAcknowledgements *acks = m_acks;
    const ChannelPolicy *policy = m_policy;
    const QString messageText = text.toString();
    const QByteArray requestBody = request.body();
    withUser(request, false,
        [deps, connection, acks, policy, channel, messageText, requestBody](const AuthenticatedUser &user) {
            if (!connection)
                return;
            if (const ChannelPolicy::Verdict verdict = policy->publish(user, channel); !verdict.allowed()) {
                const bool forbidden = verdict.outcome == ChannelPolicy::Verdict::Outcome::Forbidden;
                if (forbidden)
                    deps->metrics->authFailure(QByteArrayLiteral("forbidden"));
                connection->respond(HttpResponse::jsonError(forbidden ? 403 : 400, verdict.message));
                return;
            }
            PublishAcknowledgements::Ticket ticket = acks->issue();
            const MessageService::Creation creation
                = deps->messages->create(user.name, channel, messageText, std::move(ticket.acknowledgement));
            const ChatMessage &message = creation.message;
            if (deps->tap->wants()) {
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
                deps->tap->publish(event);
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
    const bool isReady = m_deps->readiness->isReady();
    json(isReady ? 200 : 503,
        { { QStringLiteral("status"), isReady ? QStringLiteral("ready") : QStringLiteral("not ready") },
            { QStringLiteral("draining"), m_deps->readiness->isDraining() },
            { QStringLiteral("dependencies"),
                m_deps->readiness->dependenciesReady() ? QStringLiteral("up") : QStringLiteral("down") } });
}

void HttpApi::metrics()
{
    HttpResponse response(200);
    response.setBody(m_deps->metrics->prometheusText(m_deps->identity.id.toUtf8(),
                         m_deps->readiness->isReady(), m_deps->readiness->isDraining())
            + NodeMetrics::busPrometheusText(m_deps->bus->counters()),
        "text/plain; version=0.0.4; charset=utf-8");
    m_connection->respond(response);
}

void HttpApi::adminStats(const HttpRequest &request)
{
    const HttpApiDeps *deps = m_deps;
    QPointer<HttpExchange> connection = m_connection;
    withUser(request, true, [deps, connection](const AuthenticatedUser &) {
        if (!connection)
            return;
        QJsonObject stats = deps->metrics->toJson();
        stats.insert(QStringLiteral("node"), deps->identity.id);
        stats.insert(QStringLiteral("bootId"), deps->identity.bootId);
        stats.insert(QStringLiteral("version"), QStringLiteral(SB_VERSION));
        stats.insert(QStringLiteral("startedAt"), deps->identity.startedAtMs);
        stats.insert(QStringLiteral("uptimeSeconds"),
            (QDateTime::currentMSecsSinceEpoch() - deps->identity.startedAtMs) / 1000);
        stats.insert(QStringLiteral("ready"), deps->readiness->isReady());
        stats.insert(QStringLiteral("draining"), deps->readiness->isDraining());
        stats.insert(
            QStringLiteral("workers"), deps->identity.workerThreads); // resolved by NodeServer::listen
        stats.insert(QStringLiteral("tapReaders"), deps->tap->readerCount());
        if (const auto paused = deps->bus->stage1Paused())
            stats.insert(QStringLiteral("stage1Paused"), *paused);
        connection->respond(HttpResponse::json(200, stats));
    });
}

void HttpApi::pauseStage1(const HttpRequest &request, bool paused)
{
    const HttpApiDeps *deps = m_deps;
    QPointer<HttpExchange> connection = m_connection;
    withUser(request, true, [deps, connection, paused](const AuthenticatedUser &user) {
        if (!connection)
            return;
        // The replica's stage-1 consumer only: it keeps its partitions (no rebalance), its
        // share of the group's lag grows until resumed. Idempotent.
        if (!deps->bus->setStage1Paused(paused)) {
            connection->respond(HttpResponse::jsonError(
                409, QStringLiteral("this replica has no stage-1 consumer (its bus is not Kafka)")));
            return;
        }
        qCInfo(lcAdminApi).noquote() << QStringLiteral("stage-1 consumer %1 by %2")
                                            .arg(
                                                paused ? QStringLiteral("paused") : QStringLiteral("resumed"),
                                                user.name);
        connection->respond(HttpResponse::json(200,
            { { QStringLiteral("node"), deps->identity.id }, { QStringLiteral("stage1Paused"), paused } }));
    });
}

} // namespace sb::node
