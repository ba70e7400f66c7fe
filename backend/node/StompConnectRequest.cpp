#include "node/StompConnectRequest.h"

#include "node/TokenService.h"

namespace sb::node {

StompConnectRequest StompConnectRequest::parse(const protocol::StompFrame &frame)
{
    StompConnectRequest request;
    request.negotiation = protocol::negotiateStompVersion(frame.header("accept-version"));
    if (!request.negotiation.ok) {
        request.problem = Problem::UnsupportedVersion;
        return request;
    }
    if (frame.hasHeader("heart-beat")) {
        const auto beat = protocol::StompHeartBeat::parse(frame.header("heart-beat"));
        if (!beat) {
            request.problem = Problem::BadHeartBeat;
            return request;
        }
        request.heartBeat = *beat;
    }
    request.token = TokenService::bearerToken(frame.header("Authorization"));
    if (request.token.isEmpty())
        request.token = TokenService::bearerToken(frame.header("authorization"));
    if (request.token.isEmpty())
        request.token = frame.header("passcode");
    if (request.token.isEmpty())
        request.problem = Problem::MissingToken;
    return request;
}

} // namespace sb::node
