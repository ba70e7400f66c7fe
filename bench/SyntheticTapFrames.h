#pragma once

#include "node/TapEvent.h"

#include <QByteArray>
#include <QRandomGenerator>
#include <QString>

#include <vector>

// The frames one replica's /admin/tap sends while a chat cluster is busy, written by the
// node's own TapEvent::toJson, so they are the node's format whatever it becomes. The mix
// follows messages through a replica: a STOMP SEND or HTTP POST creates one, Kafka STAGE1
// and BROADCAST carry it, and most frames are its deliveries (STOMP MESSAGE to every
// subscriber of the channel, SSE events to members' streams), with the odd SUBSCRIBE and
// session OPEN/CLOSE. Sessions (400 per replica), users (1,000), channels (15, skewed
// towards a few) and message ids vary; chat bodies are ~200 bytes, as ChatMessage writes
// them (bodiesMatchTheNode() checks). Every frame carries its number in an `x-bench-n`
// header (1, 2, … per replica), so a reader can tell exactly which frames reached it.
class SyntheticTapFrames
{
public:
    enum class Kind { Message, Sse, Send, Post, Broadcast, Stage1, Subscribe, Lifecycle, Count };

    SyntheticTapFrames(QString node, int replicaIndex, quint32 seed);

    // The next frame's JSON, numbered n, stamped nowMs.
    QByteArray next(qint64 n, qint64 nowMs);
    Kind lastKind() const { return m_lastKind; }

    static const char *kindName(Kind kind);
    // Over a few thousand frames, the bodies written here are byte for byte the node's own
    // (ChatMessage::toJsonBytes, its notification, Envelope::toJson); else the first that
    // differs, in *difference.
    static bool bodiesMatchTheNode(QString *difference);

private:
    struct Session
    {
        QString id;
        QString user;
        QByteArray subscription;
        bool sse = false;
    };

    void newMessage(qint64 nowMs);
    QByteArray chatJson(bool notification) const;
    QByteArray envelopeJson() const;
    QByteArray nodeBody() const; // the last frame's body as the node's classes write it

    QString m_node;
    QRandomGenerator m_random;
    std::vector<Session> m_sessions;
    quint32 m_processTag;
    quint64 m_idSequence = 0;
    qint64 m_offset = 0;
    // The message being delivered now.
    QString m_messageId;
    QByteArray m_messageIdUtf8;
    QByteArray m_channel;
    QString m_topic; // /topic/channels.{channel}
    QByteArray m_sender;
    QByteArray m_recipient;
    QByteArray m_text;
    qint64 m_messageTs = 0;
    sb::node::TapEvent m_last;
    Kind m_lastKind = Kind::Message;
};
