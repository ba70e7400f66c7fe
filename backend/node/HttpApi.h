#pragma once

#include "node/AuthenticatedUser.h"
#include "node/TokenService.h"
#include "protocol/HttpRequest.h"

#include <QPointer>

#include <functional>

namespace sb::node {

struct HttpApiDeps;
class ChannelPolicy;
class HttpExchange;
class PublishAcknowledgements;

// The node's HTTP surface (docs/protocol.md): auth, SSE, publishing, probes, metrics and
// admin. Stateless: made per request; answers through the connection, possibly later
// (token checks ask the registry), and a late answer to a closed connection is dropped.
class HttpApi
{
public:
    // deps: what the endpoints use of the replica; acks: where a publish waits for its
    // verdict; policy: who may publish where and use the admin endpoints (all three the
    // worker's, which outlive the connection).
    HttpApi(const HttpApiDeps &deps, HttpExchange *connection, PublishAcknowledgements *acks,
        const ChannelPolicy *policy);

    void handle(const protocol::HttpRequest &request);
    void handleUpgrade(const protocol::HttpRequest &request);

private:
    using UserCallback = std::function<void(const AuthenticatedUser &)>;

    void login(const protocol::HttpRequest &request);
    void refresh(const protocol::HttpRequest &request);
    static void respondWithTokens(
        const HttpApiDeps *deps, QPointer<HttpExchange> connection, const TokenService::Issued &issued);
    void logout(const protocol::HttpRequest &request);
    void sseTicket(const protocol::HttpRequest &request);
    void sse(const protocol::HttpRequest &request);
    void publish(const protocol::HttpRequest &request, const QString &channel);
    void ready();
    void metrics();
    void adminStats(const protocol::HttpRequest &request);
    void pauseStage1(const protocol::HttpRequest &request, bool paused); // POST /admin/stage1/{pause,resume}

    // Verifies the bearer token, answers 401/403 itself, and calls back only on success.
    enum class Credentials { Bearer, BearerOrTicket };
    void withUser(const protocol::HttpRequest &request, bool adminOnly, UserCallback then,
        Credentials accepted = Credentials::Bearer);
    void error(int status, const QString &message);
    void json(int status, const QJsonObject &object);

    const HttpApiDeps *m_deps;
    QPointer<HttpExchange> m_connection;
    PublishAcknowledgements *m_acks;
    const ChannelPolicy *m_policy;
};

} // namespace sb::node
