#pragma once

#include "protocol/HttpResponse.h"

#include <QString>

#include <optional>

namespace sb::node {

// The browser chat page every replica serves at / (docs/operations.md, "The chat page"):
// a few plain HTML/CSS/JavaScript files compiled into the node as Qt resources
// (resources/chat/chat.qrc), so the headless switchboard-node serves them with nothing
// installed beside it. The set of paths is fixed at build time, and so is the largest file:
// nothing is read from disk at run time and no request can name a file outside the set.
class StaticPages
{
public:
    // The response for path (200, its content type, no-cache, a strict CSP), or nullopt
    // when path is not one of the page's files (the caller answers 404).
    static std::optional<protocol::HttpResponse> response(const QString &path);
};

} // namespace sb::node
