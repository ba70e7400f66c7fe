#include "node/SharedMessageFrame.h"

#include "node/StompServerFrames.h"
#include "protocol/StompEncoder.h"

#include <cstring>

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
// version (1.0: CR and LF dropped), the name one of ours and needing none. The value as a
// QByteArray, so that escape() only scans one that needs nothing (every id and destination
// we make) and hands it back shared: copied a byte at a time it cost ~2,700 instructions a
// header, ~11,000 a message per worker (docs/benchmarks.md, "Instructions per delivery").
void appendHeader(QByteArray &out, QByteArrayView name, const QByteArray &value, StompVersion version)
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
    appendHeader(p.middle, "content-type", QByteArrayLiteral("application/json"), version);
    appendHeader(p.ackLine, "ack", id, version);
    if (m_replayed)
        appendHeader(p.tail, "recovered", QByteArrayLiteral("true"), version);
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

QByteArray SharedMessageFrame::encode(
    const StompSubscription &subscription, StompVersion version, bool *validUtf8) const
{
    if (subscription.destination != m_destination) {
        if (validUtf8)
            *validUtf8 = false;
        return protocol::StompEncoder::encode(
            StompServerFrames::message(subscription, m_messageId, m_body, m_replayed), version);
    }
    const Parts &p = parts(version);
    const bool withAck = subscription.ack != "auto";
    static constexpr QByteArrayView kHead = "MESSAGE\nsubscription:";
    // Ids are short and rarely need escaping: the overload returns those as they are, shared.
    const QByteArray id = protocol::StompEncoder::escape(subscription.id, version);
    if (validUtf8) // the parts checked once per version, the id (a few bytes) here: the frame is not read
        *validUtf8 = p.validUtf8 && id.isValidUtf8();
    // Sized once and copied into: QByteArray::append's general path cost ~130 instructions
    // a piece, four pieces a delivery (docs/benchmarks.md, "Instructions per delivery").
    QByteArray out(
        kHead.size() + id.size() + 1 + p.middle.size() + (withAck ? p.ackLine.size() : 0) + p.tail.size(),
        Qt::Uninitialized);
    char *cursor = out.data();
    const auto put = [&cursor](QByteArrayView bytes) {
        if (bytes.isEmpty())
            return; // an empty id's data() may be null, which memcpy may not be given
        std::memcpy(cursor, bytes.data(), std::size_t(bytes.size()));
        cursor += bytes.size();
    };
    put(kHead);
    put(id);
    *cursor++ = '\n';
    put(p.middle);
    if (withAck)
        put(p.ackLine);
    put(p.tail);
    return out;
}

const TapMessageFrame &SharedMessageFrame::tapFrame(QByteArrayView nodeUtf8, int bodyLimit) const
{
    if (!m_tap)
        m_tap = std::make_shared<const TapMessageFrame>(
            nodeUtf8, bodyLimit, m_destination, m_messageId, m_body, m_replayed);
    return *m_tap;
}

} // namespace sb::node
