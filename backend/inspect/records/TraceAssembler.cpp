#include "inspect/TraceAssembler.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <algorithm>

namespace sb::inspect {

using protocol::TrafficFrame;

namespace {

// What the trace knows of one session from the session frames seen so far.
struct TracedSession
{
    QString source;
    QString session;
    QString user;
    QString transport;
    QHash<QString, QString> subscriptions; // subscription id -> destination
    QStringList channels; // SSE: every channel of its user
    QString lastSubscribe; // the destination of its latest SUBSCRIBE
    QString refusedDestination; // a SUBSCRIBE answered by ERROR
    QString refusal;
    bool closed = false;
    qint64 closedMs = 0;
    QString closeReason;
};

QString traceSessionKey(const TrafficFrame &frame)
{
    return frame.source + QChar(0x1f) + frame.session;
}

QJsonObject traceBodyObject(const TrafficFrame &frame)
{
    return QJsonDocument::fromJson(frame.body).object();
}

QStringList traceStrings(const QJsonValue &value)
{
    QStringList list;
    for (const QJsonValue &item : value.toArray())
        if (item.isString())
            list.append(item.toString());
    return list;
}

TraceHop::Kind hopKind(const TrafficFrame &frame)
{
    using T = TrafficFrame::Transport;
    using D = TrafficFrame::Direction;
    if (frame.command == u"STAGE1")
        return TraceHop::Kind::Stage1;
    if (frame.command == u"BROADCAST")
        return TraceHop::Kind::Broadcast;
    if (frame.transport == T::Kafka && frame.command == u"RECORD")
        return TraceHop::Kind::KafkaRecord;
    if (frame.transport == T::Redis && frame.command == u"PUBLISH")
        return TraceHop::Kind::RedisMessage;
    if (frame.direction == D::In && (frame.command == u"SEND" || frame.command == u"POST"))
        return TraceHop::Kind::Publish;
    if (frame.direction == D::Out && frame.transport == T::Stomp && frame.command == u"MESSAGE")
        return TraceHop::Kind::DeliveredStomp;
    if (frame.direction == D::Out && frame.transport == T::Sse)
        return TraceHop::Kind::DeliveredSse;
    return TraceHop::Kind::Other;
}

QString hopDetail(const TrafficFrame &frame)
{
    const QString partition = frame.header(QStringLiteral("partition"));
    const QString offset = frame.header(QStringLiteral("offset"));
    if (!partition.isEmpty() || !offset.isEmpty())
        return QStringLiteral("partition %1 offset %2").arg(partition, offset);
    if (const QString pattern = frame.header(QStringLiteral("pattern")); !pattern.isEmpty())
        return QStringLiteral("pattern %1").arg(pattern);
    return {};
}

// Session frames: how the ledger of who is subscribed to what changes.
void applySessionFrame(const TrafficFrame &frame, QHash<QString, TracedSession> *sessions)
{
    if (frame.session.isEmpty())
        return;
    const bool stomp = frame.transport == TrafficFrame::Transport::Stomp;
    const bool sse = frame.transport == TrafficFrame::Transport::Sse;
    if (!stomp && !sse)
        return;
    const QString &command = frame.command;
    const bool lifecycle = command == u"STATE" || command == u"OPEN" || command == u"CLOSE";
    const bool stompControl = stomp
        && (command == u"SUBSCRIBE" || command == u"UNSUBSCRIBE" || command == u"ERROR"
            || command == u"DISCONNECT" || command == u"CONNECT" || command == u"STOMP");
    if (!lifecycle && !stompControl)
        return;
    TracedSession &s = (*sessions)[traceSessionKey(frame)];
    if (s.session.isEmpty()) {
        s.source = frame.source;
        s.session = frame.session;
        s.transport = TrafficFrame::transportName(frame.transport);
    }
    if (!frame.user.isEmpty())
        s.user = frame.user;
    if (command == u"STATE" || command == u"OPEN") {
        s.closed = false;
        const QJsonObject body = traceBodyObject(frame);
        if (body.contains(QLatin1String("channels")))
            s.channels = traceStrings(body.value(QLatin1String("channels")));
        if (body.contains(QLatin1String("subscriptions"))) {
            s.subscriptions.clear();
            for (const QJsonValue &sub : body.value(QLatin1String("subscriptions")).toArray())
                s.subscriptions.insert(sub.toObject().value(QLatin1String("id")).toString(),
                    sub.toObject().value(QLatin1String("destination")).toString());
        }
    } else if (command == u"SUBSCRIBE") {
        s.lastSubscribe = frame.destination;
        s.subscriptions.insert(frame.header(QStringLiteral("id")), frame.destination);
    } else if (command == u"UNSUBSCRIBE") {
        s.subscriptions.remove(frame.header(QStringLiteral("id")));
    } else if (command == u"ERROR") {
        // Every STOMP ERROR closes the session; after a SUBSCRIBE it is that SUBSCRIBE's refusal.
        s.refusal = frame.header(QStringLiteral("message"));
        if (!s.lastSubscribe.isEmpty()) {
            s.refusedDestination = s.lastSubscribe;
            for (auto it = s.subscriptions.begin(); it != s.subscriptions.end();)
                it = it.value() == s.lastSubscribe ? s.subscriptions.erase(it) : std::next(it);
        }
    } else if (command == u"DISCONNECT" || command == u"CLOSE") {
        if (!s.closed) {
            s.closed = true;
            s.closedMs = frame.tsMs;
        }
        const QString reason = frame.header(QStringLiteral("reason"));
        s.closeReason = !reason.isEmpty() ? reason
            : command == u"DISCONNECT"    ? QStringLiteral("client")
                                          : s.closeReason;
    }
}

bool subscribedTo(const TracedSession &s, const QString &channel)
{
    if (channel.isEmpty())
        return false;
    if (s.transport == u"sse")
        return s.channels.contains(channel);
    const QString topic = QStringLiteral("/topic/channels.") + channel;
    return std::any_of(
        s.subscriptions.cbegin(), s.subscriptions.cend(), [&](const QString &d) { return d == topic; });
}

QString describeClose(const TracedSession &s, qint64 publishedMs)
{
    const QString when = publishedMs >= 0 && s.closedMs <= publishedMs
        ? QStringLiteral("%1 ms before the publish").arg(publishedMs - s.closedMs)
        : QStringLiteral("before its delivery");
    if (s.closeReason == u"slow_consumer")
        return QStringLiteral("slow consumer: dropped by its replica %1").arg(when);
    if (s.closeReason == u"heartbeat_timeout")
        return QStringLiteral("heart-beat timeout: closed by its replica %1").arg(when);
    if (s.closeReason == u"draining")
        return QStringLiteral("its replica was draining: moved away %1").arg(when);
    return QStringLiteral("disconnected %1%2")
        .arg(when, s.closeReason.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(s.closeReason));
}

} // namespace

QString TraceAssembler::channelOf(const QString &destination)
{
    for (const QLatin1String prefix : { QLatin1String("/app/channels."), QLatin1String("/topic/channels.") })
        if (destination.startsWith(prefix))
            return destination.mid(prefix.size());
    const QLatin1String api("/api/channels/");
    if (destination.startsWith(api) && destination.endsWith(u"/messages")) {
        const QString id = destination.mid(api.size(), destination.size() - api.size() - 9);
        return id.contains(u'/') ? QString() : id;
    }
    return {};
}

MessageTrace TraceAssembler::assemble(
    const QString &messageId, const QList<TrafficFrame> &frames, const QList<TapSourceStatus> &sources)
{
    return assemble(
        messageId,
        [&frames](const std::function<bool(const TrafficFrame &)> &visit) {
            for (const TrafficFrame &frame : frames)
                if (!visit(frame))
                    return;
        },
        sources);
}

MessageTrace TraceAssembler::assemble(
    const QString &messageId, const FrameVisitor &frames, const QList<TapSourceStatus> &sources)
{
    MessageTrace trace;
    trace.messageId = messageId;
    if (messageId.isEmpty())
        return trace;

    // Pass 1: the hops.
    QList<TrafficFrame> carrying;
    frames([&](const TrafficFrame &frame) {
        if (frame.messageId == messageId)
            carrying.append(frame);
        return true;
    });
    if (carrying.isEmpty())
        return trace;
    std::stable_sort(carrying.begin(), carrying.end(), [](const TrafficFrame &a, const TrafficFrame &b) {
        return a.tsMs != b.tsMs ? a.tsMs < b.tsMs : a.seq < b.seq;
    });
    for (const TrafficFrame &frame : std::as_const(carrying)) {
        if (hopKind(frame) == TraceHop::Kind::Publish && trace.publishedMs < 0) {
            trace.publishedMs = frame.tsMs;
            trace.channel = channelOf(frame.destination);
        }
    }
    for (const TrafficFrame &frame : std::as_const(carrying)) {
        if (trace.channel.isEmpty())
            trace.channel = channelOf(frame.destination);
        if (trace.channel.isEmpty())
            trace.channel = frame.header(QStringLiteral("channel"));
        TraceHop hop;
        hop.tsMs = frame.tsMs;
        hop.latencyMs = trace.publishedMs >= 0 ? frame.tsMs - trace.publishedMs : TraceHop::kUnknownLatency;
        hop.seq = frame.seq;
        hop.kind = hopKind(frame);
        hop.source = frame.source;
        hop.transport = TrafficFrame::transportName(frame.transport);
        hop.command = frame.command;
        hop.destination = frame.destination;
        hop.session = frame.session;
        hop.user = frame.user;
        hop.detail = hopDetail(frame);
        trace.hops.append(hop);
    }
    const qint64 at = trace.publishedMs >= 0 ? trace.publishedMs : trace.hops.first().tsMs;
    if (trace.publishedMs < 0)
        trace.notes.append(QStringLiteral("the publish itself was not captured: latencies are unknown"));

    // Pass 2: who was subscribed when it was published, and what became of them afterwards.
    QHash<QString, TracedSession> atPublish;
    QHash<QString, TracedSession> afterwards;
    const qint64 horizon = at + kRecentlyClosedMs;
    frames([&](const TrafficFrame &frame) {
        if (frame.tsMs <= at)
            applySessionFrame(frame, &atPublish);
        else if (frame.tsMs <= horizon)
            applySessionFrame(frame, &afterwards);
        return true;
    });

    QSet<QString> delivered;
    for (const TraceHop &hop : std::as_const(trace.hops))
        if (hop.kind == TraceHop::Kind::DeliveredStomp || hop.kind == TraceHop::Kind::DeliveredSse)
            delivered.insert(hop.source + QChar(0x1f) + hop.session);

    QHash<QString, TapSourceStatus> sourceById;
    for (const TapSourceStatus &status : sources)
        sourceById.insert(status.id, status);

    QStringList keys = atPublish.keys();
    keys.sort();
    for (const QString &key : std::as_const(keys)) {
        const TracedSession &s = atPublish[key];
        const bool wanted = subscribedTo(s, trace.channel);
        const bool refused = !trace.channel.isEmpty()
            && s.refusedDestination == QStringLiteral("/topic/channels.") + trace.channel;
        if (delivered.contains(key) || (!wanted && !refused))
            continue;
        if (s.closed && at - s.closedMs > kRecentlyClosedMs && !refused)
            continue; // long gone: not a subscriber any more
        MissedSubscriber missed { s.source, s.session, s.user, s.transport,
            s.transport == u"sse" ? trace.channel : QStringLiteral("/topic/channels.") + trace.channel, {} };
        if (refused) {
            missed.reason = QStringLiteral("not a member: its SUBSCRIBE was refused (%1)").arg(s.refusal);
        } else if (s.closed) {
            missed.reason = describeClose(s, at);
        } else if (const auto later = afterwards.constFind(key);
                   later != afterwards.cend() && later->closed) {
            TracedSession closedLater = *later;
            missed.reason = describeClose(closedLater, -1);
        } else if (const auto status = sourceById.constFind(s.source);
                   status != sourceById.cend() && status->state != TapSourceStatus::State::Live) {
            missed.reason = QStringLiteral("not seen: the tap of %1 is %2 (%3)")
                                .arg(s.source, TapSourceStatus::stateName(status->state), status->detail);
        } else {
            missed.reason = QStringLiteral("no delivery seen: still subscribed, no frame for this message");
        }
        trace.missed.append(missed);
    }
    for (const TapSourceStatus &status : sources) {
        if (status.kind == u"tap" && status.state != TapSourceStatus::State::Live)
            trace.notes.append(QStringLiteral("%1's tap is %2: its hops may be missing")
                                   .arg(status.id, TapSourceStatus::stateName(status.state)));
        if (status.droppedBySource > 0)
            trace.notes.append(QStringLiteral("%1 dropped %2 tap frames for this console")
                                   .arg(status.id)
                                   .arg(status.droppedBySource));
    }
    return trace;
}

} // namespace sb::inspect
