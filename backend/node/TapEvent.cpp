#include "node/TapEvent.h"

#include <QDateTime>

namespace sb::node {

bool TapEvent::isSecretHeader(QByteArrayView name)
{
    for (const char *secret : {"authorization", "passcode", "ticket", "cookie", "set-cookie", "x-api-key"})
        if (name.compare(QByteArrayView(secret), Qt::CaseInsensitive) == 0)
            return true;
    return false;
}

QByteArray TapEvent::toJson(const QString &node, int bodyLimit) const
{
    // Written by hand: this runs once per frame a reader sees (every MESSAGE of a fan-out),
    // and building a QJsonObject per frame cost the fan-out more than all the rest of the
    // tap (docs/benchmarks.md, "Tap overhead"). Same fields as TapFrameCodec reads.
    const bool cut = !wholeBody && body.size() > bodyLimit;
    const QByteArrayView shownBody = cut ? QByteArrayView(body).first(bodyLimit) : QByteArrayView(body);
    QByteArray json;
    json.reserve(192 + shownBody.size() + destination.size() + 64 * headers.size());
    json.append("{\"ts\":").append(QByteArray::number(tsMs));
    json.append(",\"node\":");
    appendJsonString(json, node.toUtf8());
    json.append(",\"session\":");
    appendJsonString(json, session.toUtf8());
    json.append(",\"user\":");
    appendJsonString(json, user.toUtf8());
    json.append(",\"transport\":");
    appendJsonString(json, transport);
    json.append(",\"dir\":");
    appendJsonString(json, direction);
    json.append(",\"command\":");
    appendJsonString(json, command);
    json.append(",\"destination\":");
    appendJsonString(json, destination.toUtf8());
    json.append(",\"messageId\":");
    appendJsonString(json, messageId.toUtf8());
    json.append(",\"bytes\":").append(QByteArray::number(bytes));
    json.append(",\"headers\":{");
    bool first = true;
    for (qsizetype i = 0; i < headers.size(); ++i) {
        const QByteArray &name = headers.at(i).first;
        bool repeated = false; // the first wins, as in STOMP
        for (qsizetype j = 0; j < i && !repeated; ++j)
            repeated = headers.at(j).first == name;
        if (repeated)
            continue;
        if (!first)
            json.append(',');
        first = false;
        appendJsonString(json, name);
        json.append(':');
        appendJsonString(json, isSecretHeader(name) ? QByteArrayView("***") : QByteArrayView(headers.at(i).second));
    }
    json.append("},\"body\":");
    appendJsonString(json, shownBody);
    json.append(cut ? ",\"truncated\":true}" : ",\"truncated\":false}");
    return json;
}

void TapEvent::appendJsonString(QByteArray &out, QByteArrayView text)
{
    if (!text.isValidUtf8()) {
        // What a client sent in a binary frame, or a body cut inside a character: each bad
        // sequence becomes U+FFFD, as QString makes it, so the tap stays valid UTF-8.
        appendJsonString(out, QString::fromUtf8(text).toUtf8());
        return;
    }
    static constexpr char hex[] = "0123456789abcdef";
    out.append('"');
    qsizetype plain = 0; // where the run not yet appended starts
    for (qsizetype i = 0; i < text.size(); ++i) {
        const auto c = uchar(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out.append(text.sliced(plain, i - plain));
        plain = i + 1;
        switch (c) {
        case '"': out.append("\\\"", 2); break;
        case '\\': out.append("\\\\", 2); break;
        case '\n': out.append("\\n", 2); break;
        case '\r': out.append("\\r", 2); break;
        case '\t': out.append("\\t", 2); break;
        case '\b': out.append("\\b", 2); break;
        case '\f': out.append("\\f", 2); break;
        default: {
            const char escaped[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            out.append(escaped, 6);
        }
        }
    }
    out.append(text.sliced(plain));
    out.append('"');
}

QByteArray TapEvent::isoTime(qint64 msSinceEpoch)
{
    return QDateTime::fromMSecsSinceEpoch(msSinceEpoch, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
}

TapEvent TapEvent::fromStompFrame(const QString &session, const QString &user, const QByteArray &direction,
                                  const protocol::StompFrame &frame, qint64 bytes, const QString &messageId)
{
    TapEvent event;
    event.tsMs = QDateTime::currentMSecsSinceEpoch();
    event.session = session;
    event.user = user;
    event.transport = QByteArrayLiteral("stomp");
    event.direction = direction;
    event.command = frame.command();
    event.destination = QString::fromUtf8(frame.header("destination"));
    event.messageId = messageId.isEmpty() ? QString::fromUtf8(frame.header("message-id")) : messageId;
    event.bytes = bytes;
    event.headers = frame.headers();
    event.body = frame.body();
    return event;
}

} // namespace sb::node
