#pragma once

#include "inspect/MessageTrace.h"
#include "inspect/TapSourceStatus.h"
#include "protocol/TrafficFrame.h"

#include <QHash>
#include <QList>

#include <functional>

namespace sb::inspect {

// Builds a MessageTrace from captured frames (pure: no I/O; the console, `switchboard
// trace` and recordings use it alike). Hops are the frames carrying the message id. The
// subscribers who should have received it come from the session frames the node taps
// (STATE on connect, OPEN, SUBSCRIBE, UNSUBSCRIBE, ERROR, DISCONNECT, CLOSE) replayed up
// to the publish: every STOMP session subscribed to /topic/channels.{channel} and every
// SSE stream of a member of the channel, on a replica whose tap was followed.
class TraceAssembler
{
public:
    // Calls `visit` on each captured frame, oldest first, until it returns false.
    using FrameVisitor
        = std::function<void(const std::function<bool(const protocol::TrafficFrame &)> &visit)>;

    // A subscriber who closed less than this before the publish is listed as missed
    // ("disconnected"): it would receive the message only by resuming (since / Last-Event-ID).
    static constexpr qint64 kRecentlyClosedMs = 30000;

    static MessageTrace assemble(
        const QString &messageId, const FrameVisitor &frames, const QList<TapSourceStatus> &sources = {});
    static MessageTrace assemble(const QString &messageId, const QList<protocol::TrafficFrame> &frames,
        const QList<TapSourceStatus> &sources = {});

    // The chat channel a destination names: /app/channels.X, /topic/channels.X,
    // /api/channels/X/messages; empty otherwise.
    static QString channelOf(const QString &destination);
};

} // namespace sb::inspect
