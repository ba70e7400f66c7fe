// libFuzzer target for TrafficFilter (the Traffic area's filter box and `switchboard tap
// --filter`). Input: the expression. Checks that parsing never throws or crashes, that a
// refusal says why and points inside the expression, and that matching never crashes.
#include "protocol/TrafficFilter.h"

#include <cstdint>
#include <cstdlib>

using namespace sb::protocol;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString expression = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    TrafficFilter::Error error;
    const auto filter = TrafficFilter::parse(expression, &error);
    if (!filter) {
        if (error.message.isEmpty() || error.position < 0 || error.position > expression.size())
            std::abort();
        return 0;
    }
    TrafficFrame frame;
    frame.source = QStringLiteral("node-1");
    frame.transport = TrafficFrame::Transport::Stomp;
    frame.direction = TrafficFrame::Direction::In;
    frame.command = QStringLiteral("SEND");
    frame.destination = QStringLiteral("/app/channels.general");
    frame.user = expression.left(16);
    frame.messageId = QStringLiteral("m-1");
    frame.bytes = qint64(size);
    frame.setHeaders({ { QStringLiteral("destination"), frame.destination },
        { expression.left(8), expression.right(8) } });
    frame.body = QByteArray(reinterpret_cast<const char *>(data), qsizetype(qMin<size_t>(size, 256)));
    filter->matches(frame);
    filter->matches(TrafficFrame {});
    return 0;
}
