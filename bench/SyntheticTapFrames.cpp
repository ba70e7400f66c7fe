#include "SyntheticTapFrames.h"

#include "node/ChatMessage.h"
#include "node/Envelope.h"

#include <QJsonDocument>

namespace {

// A busy chat cluster's vocabulary: channels with their share of the traffic skewed
// towards a few (general gets the most), words for message texts of 60–140 characters.
const char *const kChannels[] = { "general", "general", "general", "random", "random", "ops", "support",
    "release-2026", "incidents", "design", "lunch", "eu-sales", "us-sales", "frontend", "backend", "data",
    "security", "announcements" };
const char *const kWords[] = { "the", "deploy", "is", "green", "again", "after", "rollback", "of", "node",
    "please", "check", "dashboard", "latency", "p99", "looks", "fine", "now", "meeting", "moved", "to",
    "three", "thanks", "ok", "kafka", "lag", "on", "partition", "seven", "redis", "memory", "is", "fine",
    "shipping", "today", "who", "owns", "this", "alert", "ticket", "merged", "review", "needed" };
constexpr int kSessionsPerReplica = 400;
constexpr int kUsers = 1000;
constexpr int kBodyLimit = 512; // the node's --tap-body-bytes default

// QJsonDocument's escaping (quote, backslash, control characters), for the bodies the
// node builds with it.
void appendBenchJsonString(QByteArray *out, QByteArrayView text)
{
    static const char hex[] = "0123456789abcdef";
    out->append('"');
    for (const char c : text) {
        const auto u = uchar(c);
        if (u >= 0x20 && c != '"' && c != '\\') {
            out->append(c);
            continue;
        }
        out->append('\\');
        switch (c) {
        case '"':
            out->append('"');
            break;
        case '\\':
            out->append('\\');
            break;
        case '\b':
            out->append('b');
            break;
        case '\f':
            out->append('f');
            break;
        case '\n':
            out->append('n');
            break;
        case '\r':
            out->append('r');
            break;
        case '\t':
            out->append('t');
            break;
        default:
            out->append("u00");
            out->append(hex[u >> 4]);
            out->append(hex[u & 0xf]);
        }
    }
    out->append('"');
}

void appendBenchMember(QByteArray *out, const char *key, QByteArrayView text)
{
    out->append('"').append(key).append("\":");
    appendBenchJsonString(out, text);
    out->append(',');
}

// What a client sends to create a message: {"text":"…"}.
QByteArray benchTextRequest(QByteArrayView text)
{
    QByteArray json("{\"text\":");
    appendBenchJsonString(&json, text);
    json.append('}');
    return json;
}

} // namespace

SyntheticTapFrames::SyntheticTapFrames(QString node, int replicaIndex, quint32 seed)
    : m_node(std::move(node))
    , m_random(seed)
    , m_processTag(quint32(0x1000 + replicaIndex * 0x1111) & 0xffffu)
{
    m_sessions.reserve(kSessionsPerReplica);
    for (int i = 0; i < kSessionsPerReplica; ++i) {
        Session session;
        // The node's session ids are 8 hex digits; one replica's sessions differ.
        session.id = QString::number(quint32(m_random.generate()) | 0x10000000u, 16);
        session.user = QStringLiteral("user-%1").arg(m_random.bounded(kUsers));
        session.subscription = "sub-" + QByteArray::number(m_random.bounded(4));
        session.sse = i % 5 == 0; // a fifth of the clients read SSE streams
        m_sessions.push_back(std::move(session));
    }
    newMessage(0);
}

const char *SyntheticTapFrames::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Message:
        return "STOMP MESSAGE out";
    case Kind::Sse:
        return "SSE message out";
    case Kind::Send:
        return "STOMP SEND in";
    case Kind::Post:
        return "HTTP POST in";
    case Kind::Broadcast:
        return "Kafka BROADCAST in";
    case Kind::Stage1:
        return "Kafka STAGE1 in";
    case Kind::Subscribe:
        return "STOMP SUBSCRIBE in";
    case Kind::Lifecycle:
        return "session OPEN/CLOSE";
    case Kind::Count:
        break;
    }
    return "";
}

void SyntheticTapFrames::newMessage(qint64 nowMs)
{
    // The node's id: "<13-digit ms>-<4 hex process tag><8 hex sequence>".
    m_messageTs = nowMs;
    m_messageIdUtf8 = QByteArray::number(nowMs).rightJustified(13, '0') + '-'
        + QByteArray::number(m_processTag, 16).rightJustified(4, '0')
        + QByteArray::number(++m_idSequence & 0xffffffffu, 16).rightJustified(8, '0');
    m_messageId = QString::fromLatin1(m_messageIdUtf8);
    m_channel = kChannels[m_random.bounded(int(std::size(kChannels)))];
    m_topic = QStringLiteral("/topic/channels.") + QString::fromLatin1(m_channel);
    m_sender = "user-" + QByteArray::number(m_random.bounded(kUsers));
    m_recipient = "user-" + QByteArray::number(m_random.bounded(kUsers));
    const int length = 60 + m_random.bounded(81);
    m_text.clear();
    while (m_text.size() < length) {
        if (!m_text.isEmpty())
            m_text.append(' ');
        m_text.append(kWords[m_random.bounded(int(std::size(kWords)))]);
    }
    if (m_random.bounded(8) == 0)
        m_text.append(" \"quoted\"\n(see above)"); // escapes in the body, as real messages have
}

QByteArray SyntheticTapFrames::chatJson(bool notification) const
{
    // ChatMessage::toJsonBytes (+ "type" for notifications): a QJsonObject, keys sorted.
    QByteArray json;
    json.reserve(256);
    json.append('{');
    appendBenchMember(&json, "channel", m_channel);
    appendBenchMember(&json, "id", m_messageIdUtf8);
    appendBenchMember(&json, "sender", m_sender);
    appendBenchMember(&json, "text", m_text);
    json.append("\"ts\":").append(QByteArray::number(m_messageTs)).append(',');
    if (notification)
        appendBenchMember(&json, "type", "message");
    json.chop(1);
    json.append('}');
    return json;
}

QByteArray SyntheticTapFrames::envelopeJson() const
{
    // Envelope::toJson: {"message":{…},"publishedAtUs":…,"recipients":[…],"type":"message"}.
    return "{\"message\":" + chatJson(false)
        + ",\"publishedAtUs\":" + QByteArray::number(m_messageTs * 1000 + 417) + ",\"recipients\":[\""
        + m_recipient + "\"],\"type\":\"message\"}";
}

QByteArray SyntheticTapFrames::nodeBody() const
{
    sb::node::ChatMessage message;
    message.id = m_messageId;
    message.channel = QString::fromUtf8(m_channel);
    message.sender = QString::fromUtf8(m_sender);
    message.text = QString::fromUtf8(m_text);
    message.timestampMs = m_messageTs;
    switch (m_lastKind) {
    case Kind::Message:
        return message.toJsonBytes();
    case Kind::Sse:
        return QJsonDocument(message.notificationJson()).toJson(QJsonDocument::Compact);
    case Kind::Broadcast:
    case Kind::Stage1: {
        sb::node::Envelope envelope;
        envelope.message = message;
        envelope.recipients = QStringList { QString::fromUtf8(m_recipient) };
        envelope.publishedAtUs = m_messageTs * 1000 + 417;
        return envelope.toJson();
    }
    default:
        return m_last.body; // the client's own, or none
    }
}

bool SyntheticTapFrames::bodiesMatchTheNode(QString *difference)
{
    SyntheticTapFrames frames(QStringLiteral("node-check"), 0, 7);
    for (qint64 n = 1; n <= 3000; ++n) {
        frames.next(n, 1733400000000 + n);
        const QByteArray node = frames.nodeBody();
        if (frames.m_last.body != node) {
            *difference = QStringLiteral("%1 body:\n  bench: %2\n  node:  %3")
                              .arg(QString::fromLatin1(kindName(frames.m_lastKind)),
                                  QString::fromUtf8(frames.m_last.body), QString::fromUtf8(node));
            return false;
        }
    }
    return true;
}

QByteArray SyntheticTapFrames::next(qint64 n, qint64 nowMs)
{
    sb::node::TapEvent &f = m_last;
    f = sb::node::TapEvent {};
    f.tsMs = nowMs;
    const int r = m_random.bounded(100);
    const Session &session = m_sessions[size_t(m_random.bounded(int(m_sessions.size())))];
    if (r < 60) {
        m_lastKind = Kind::Message;
        f.session = session.id;
        f.user = session.user;
        f.transport = "stomp";
        f.direction = "out";
        f.command = "MESSAGE";
        f.destination = m_topic;
        f.messageId = m_messageId;
        f.body = chatJson(false);
        f.headers = { { "subscription", session.subscription }, { "message-id", m_messageIdUtf8 },
            { "destination", m_topic.toLatin1() }, { "content-type", "application/json" } };
        f.bytes = f.body.size() + 130;
    } else if (r < 75) {
        m_lastKind = Kind::Sse;
        f.session = session.id;
        f.user = session.user;
        f.transport = "sse";
        f.direction = "out";
        f.command = "message";
        f.messageId = m_messageId;
        f.body = chatJson(true);
        f.bytes = f.body.size() + 50;
    } else if (r < 89) {
        newMessage(nowMs);
        const bool stomp = r < 85;
        m_lastKind = stomp ? Kind::Send : Kind::Post;
        f.user = QString::fromLatin1(m_sender);
        f.direction = "in";
        f.body = benchTextRequest(m_text);
        f.bytes = f.body.size();
        if (stomp) {
            f.session = session.id;
            f.transport = "stomp";
            f.command = "SEND";
            f.destination = QStringLiteral("/app/channels.") + QString::fromLatin1(m_channel);
            f.headers = { { "destination", f.destination.toLatin1() }, { "content-type", "application/json" },
                { "content-length", QByteArray::number(f.body.size()) } };
        } else {
            f.session = QStringLiteral("http");
            f.transport = "http";
            f.command = "POST";
            f.destination = QStringLiteral("/api/channels/%1/messages").arg(QString::fromLatin1(m_channel));
            f.messageId = m_messageId;
        }
    } else if (r < 97) {
        const bool broadcast = r < 95;
        m_lastKind = broadcast ? Kind::Broadcast : Kind::Stage1;
        f.transport = "kafka";
        f.direction = "in";
        f.command = broadcast ? "BROADCAST" : "STAGE1";
        f.destination = broadcast ? QStringLiteral("switchboard.SseBroadcast")
                                  : QStringLiteral("switchboard.MessageCreatedEvent");
        f.messageId = m_messageId;
        f.body = envelopeJson();
        f.bytes = f.body.size();
        m_offset += 1 + m_random.bounded(3);
        f.headers = { { "partition", QByteArray::number(m_random.bounded(12)) },
            { "offset", QByteArray::number(m_offset) }, { "key", m_channel }, { "type", "message" },
            { "channel", m_channel } };
    } else if (r < 99) {
        m_lastKind = Kind::Subscribe;
        f.session = session.id;
        f.user = session.user;
        f.transport = "stomp";
        f.direction = "in";
        f.command = "SUBSCRIBE";
        f.destination = m_topic;
        f.headers
            = { { "id", session.subscription }, { "destination", m_topic.toLatin1() }, { "ack", "auto" } };
        f.bytes = 64;
    } else {
        m_lastKind = Kind::Lifecycle;
        f.session = session.id;
        f.user = session.user;
        f.transport = session.sse ? "sse" : "stomp";
        const bool open = m_random.bounded(2) == 0;
        f.command = open ? "OPEN" : "CLOSE";
        if (!open)
            f.headers = { { "reason", "client" }, { "code", "1000" } };
    }
    f.headers.append({ "x-bench-n", QByteArray::number(n) });
    return f.toJson(m_node, kBodyLimit);
}
