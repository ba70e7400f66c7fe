#include "protocol/TrafficFrame.h"

namespace sb::protocol {

namespace {

// STOMP 1.2's header escaping, so a name or value may hold ':' and newlines.
void appendEscaped(QByteArray *out, const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    for (char c : utf8) {
        switch (c) {
        case '\\':
            out->append("\\\\");
            break;
        case '\n':
            out->append("\\n");
            break;
        case '\r':
            out->append("\\r");
            break;
        case ':':
            out->append("\\c");
            break;
        default:
            out->append(c);
        }
    }
}

QString unescaped(QByteArrayView escaped)
{
    QByteArray out;
    out.reserve(escaped.size());
    for (qsizetype i = 0; i < escaped.size(); ++i) {
        const char c = escaped[i];
        if (c != '\\' || i + 1 == escaped.size()) {
            out.append(c);
            continue;
        }
        switch (escaped[++i]) {
        case 'n':
            out.append('\n');
            break;
        case 'r':
            out.append('\r');
            break;
        case 'c':
            out.append(':');
            break;
        default:
            out.append(escaped[i]);
            break; // "\\\\" and anything else: the character itself
        }
    }
    return QString::fromUtf8(out);
}

} // namespace

QList<TrafficFrame::Header> TrafficFrame::headers() const
{
    QList<Header> result;
    qsizetype start = 0;
    while (start < headerBlock.size()) {
        qsizetype end = headerBlock.indexOf('\n', start);
        if (end < 0)
            end = headerBlock.size();
        const QByteArrayView line = QByteArrayView(headerBlock).sliced(start, end - start);
        const qsizetype colon = line.indexOf(':');
        if (colon >= 0)
            result.append({ unescaped(line.first(colon)), unescaped(line.sliced(colon + 1)) });
        start = end + 1;
    }
    return result;
}

void TrafficFrame::setHeaders(const QList<Header> &list)
{
    headerBlock.clear();
    for (const auto &[name, value] : list) {
        appendEscaped(&headerBlock, name);
        headerBlock.append(':');
        appendEscaped(&headerBlock, value);
        headerBlock.append('\n');
    }
}

QString TrafficFrame::header(const QString &name) const
{
    for (const auto &[key, value] : headers())
        if (key == name)
            return value;
    return {};
}

QString TrafficFrame::transportName(Transport transport)
{
    switch (transport) {
    case Transport::Stomp:
        return QStringLiteral("stomp");
    case Transport::Sse:
        return QStringLiteral("sse");
    case Transport::Http:
        return QStringLiteral("http");
    case Transport::Kafka:
        return QStringLiteral("kafka");
    case Transport::Redis:
        return QStringLiteral("redis");
    case Transport::WebSocket:
        return QStringLiteral("ws");
    case Transport::Other:
        break;
    }
    return QStringLiteral("other");
}

TrafficFrame::Transport TrafficFrame::transportFromName(QStringView name)
{
    for (Transport t : { Transport::Stomp, Transport::Sse, Transport::Http, Transport::Kafka,
             Transport::Redis, Transport::WebSocket })
        if (name == transportName(t))
            return t;
    return Transport::Other;
}

QString TrafficFrame::directionName(Direction direction)
{
    switch (direction) {
    case Direction::In:
        return QStringLiteral("in");
    case Direction::Out:
        return QStringLiteral("out");
    case Direction::None:
        break;
    }
    return {};
}

TrafficFrame::Direction TrafficFrame::directionFromName(QStringView name)
{
    if (name == u"in")
        return Direction::In;
    if (name == u"out")
        return Direction::Out;
    return Direction::None;
}

} // namespace sb::protocol
