#pragma once

#include <QJsonObject>
#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <limits>

namespace sb::inspect {

// One step of a message's way through the cluster, as the capture saw it.
struct TraceHop
{
    enum class Kind {
        Publish,
        Stage1,
        Broadcast,
        KafkaRecord,
        RedisMessage,
        DeliveredStomp,
        DeliveredSse,
        Other
    };

    qint64 tsMs = 0;
    // Since the publish, by the sources' clocks: a Kafka record's produce time can come a few
    // ms before the node's publish frame, so a latency may be negative. kUnknownLatency when
    // the publish was not seen.
    static constexpr qint64 kUnknownLatency = std::numeric_limits<qint64>::min();
    qint64 latencyMs = kUnknownLatency;
    bool latencyKnown() const { return latencyMs != kUnknownLatency; }
    // "+12 ms", "-3 ms" or "?".
    QString latencyText() const;
    qint64 seq = 0; // the frame in the capture
    Kind kind = Kind::Other;
    QString source; // replica id, or "kafka"/"redis" for the console's own readers
    QString transport;
    QString command;
    QString destination;
    QString session;
    QString user;
    QString detail; // "partition 2 offset 17", the publisher's address, ...

    static QString kindName(Kind kind);
};

// A subscriber who should have received the message and, as far as the capture shows,
// did not: who, where, and the likeliest reason known.
struct MissedSubscriber
{
    QString source;
    QString session;
    QString user;
    QString transport;
    QString destination; // what it was subscribed to (STOMP) or the channel (SSE)
    QString reason;
};

// Every hop of one message id in time order and the subscribers it missed.
struct MessageTrace
{
    QString messageId;
    QString channel; // the chat channel, when the destinations name one
    qint64 publishedMs = -1; // the publish hop's time, when seen
    QList<TraceHop> hops;
    QList<MissedSubscriber> missed;
    QStringList notes; // what limits the picture (a replica's tap down or lagging, ...)

    bool isEmpty() const { return hops.isEmpty(); }
    QStringList deliveredSources() const;
    // {"messageId","channel","publishedAt","hops":[{replica,kind,transport,command,destination,session,user,
    //  latencyMs,time,detail}],"missed":[{replica,session,user,transport,destination,reason}],"notes":[…]}
    // (snapshots, `switchboard trace`).
    QJsonObject toJson() const;
    // Lines for a terminal: a summary, one line per hop ("+12 ms node-2 stage 1 …"), the
    // missed subscribers with their reasons, the notes.
    QString toText() const;
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::MessageTrace)
