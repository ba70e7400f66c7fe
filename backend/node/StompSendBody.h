#pragma once

#include <QByteArray>
#include <QString>

namespace sb::node {

// What a SEND to /app/channels.{id} must carry (docs/protocol.md): JSON {"text": "…"} with
// non-empty text of at most ChatMessage::kMaxTextChars characters (the limit an HTTP publish
// has too). Pure; the session answers a bad one with an ERROR carrying `error` (and the JSON
// parser's `details`), counted as bad_body.
struct StompSendBody
{
    QString text; // the message text when the body is good
    QString error; // why not, else
    QString details; // the JSON parser's complaint, when it had one

    bool ok() const { return error.isEmpty(); }
    static StompSendBody parse(const QByteArray &body);
};

} // namespace sb::node
