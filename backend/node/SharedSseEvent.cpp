#include "node/SharedSseEvent.h"

#include "protocol/SseEncoder.h"

namespace sb::node {

const QByteArray &SharedSseEvent::bytes() const
{
    if (m_bytes.isEmpty()) // an encoded event has at least "data:\n\n"
        m_bytes = protocol::SseEncoder::encode(
            { m_event.id, QString::fromUtf8(m_event.type), QString::fromUtf8(m_event.data), -1 });
    return m_bytes;
}

} // namespace sb::node
