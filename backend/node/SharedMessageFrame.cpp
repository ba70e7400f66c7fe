#include "node/SharedMessageFrame.h"

#include "node/StompServerFrames.h"
#include "protocol/StompEncoder.h"

namespace sb::node {

using protocol::StompVersion;

namespace {
int versionIndex(StompVersion version)
{
    switch (version) {
    case StompVersion::V1_0:
        return 0;
    case StompVersion::V1_1:
        return 1;
    case StompVersion::V1_2:
        break;
    }
    return 2;
}

// A header line as StompEncoder writes one in a MESSAGE frame: the value escaped for the
// version (1.0: CR and LF dropped), the name one of ours and needing none.
void appendHeader(QByteArray &out, QByteArrayView name, QByteArrayView value, StompVersion version)
{
    out.append(name);
    out.append(':');
    out.append(protocol::StompEncoder::escape(value, version));
    out.append('\n');
}
} // namespace

SharedMessageFrame::SharedMessageFrame(QString destination, QString messageId, QByteArray body, bool replayed)
    : m_destination(std::move(destination))
    , m_messageId(std::move(messageId))
    , m_body(std::move(body))
    , m_replayed(replayed)
    , m_bodyHasNul(m_body.contains('\0'))
{ }

const SharedMessageFrame::Parts &SharedMessageFrame::parts(StompVersion version) const
{
    Parts &p = m_parts[std::size_t(versionIndex(version))];
    if (p.built)
        return p;
    const QByteArray id = m_messageId.toUtf8();
    appendHeader(p.middle, "message-id", id, version);
    appendHeader(p.middle, "destination", m_destination.toUtf8(), version);
    appendHeader(p.middle, "content-type", "application/json", version);
    appendHeader(p.ackLine, "ack", id, version);
    if (m_replayed)
        appendHeader(p.tail, "recovered", "true", version);
    if (!m_body.isEmpty()) { // StompEncoder adds content-length for every non-empty body
        p.tail.append("content-length:");
        p.tail.append(QByteArray::number(m_body.size()));
        p.tail.append('\n');
    }
    p.tail.append('\n');
    p.tail.append(m_body);
    p.tail.append('\0');
    p.validUtf8 = p.middle.isValidUtf8() && p.ackLine.isValidUtf8() && p.tail.isValidUtf8();
    p.built = true;
    return p;
}

QByteArray SharedMessageFrame::encode(const StompSubscription &subscription, StompVersion version) const
{
    if (subscription.destination != m_destination)
        return protocol::StompEncoder::encode(
            StompServerFrames::message(subscription, m_messageId, m_body, m_replayed), version);
    const Parts &p = parts(version);
    const bool withAck = subscription.ack != "auto";
    static constexpr QByteArrayView kHead = "MESSAGE\nsubscription:";
    // Ids are short and rarely need escaping: the overload returns those as they are, shared.
    const QByteArray id = protocol::StompEncoder::escape(subscription.id, version);
    QByteArray out;
    out.reserve(
        kHead.size() + id.size() + 1 + p.middle.size() + (withAck ? p.ackLine.size() : 0) + p.tail.size());
    out.append(kHead);
    out.append(id);
    out.append('\n');
    out.append(p.middle);
    if (withAck)
        out.append(p.ackLine);
    out.append(p.tail);
    return out;
}

bool SharedMessageFrame::encodesValidUtf8(const StompSubscription &subscription, StompVersion version) const
{
    return subscription.destination == m_destination && parts(version).validUtf8
        && subscription.id.isValidUtf8();
}

} // namespace sb::node
