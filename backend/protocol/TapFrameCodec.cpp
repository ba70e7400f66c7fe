#include "protocol/TapFrameCodec.h"

#include "protocol/TapJsonScanner.h"
#include "protocol/Utf8Validator.h"

#include <QAnyStringView>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>
#include <QUtf8StringView>

namespace sb::protocol {

namespace {

bool readString(const QJsonObject &object, QLatin1String key, QString *out, QString *error)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    if (!value.isString()) {
        *error = QStringLiteral("field \"%1\" is not a string").arg(key);
        return false;
    }
    *out = value.toString();
    return true;
}

bool readInteger(const QJsonObject &object, QLatin1String key, qint64 *out, QString *error)
{
    const QJsonValue value = object.value(key);
    if (value.isUndefined() || value.isNull())
        return true;
    // JSON numbers are doubles: beyond 2^53 they are not exact, and NaN/inf never come from JSON.
    const double number = value.toDouble(-1);
    if (!value.isDouble() || number < 0 || number > 9007199254740992.0) {
        *error = QStringLiteral("field \"%1\" is not a non-negative whole number").arg(key);
        return false;
    }
    *out = qint64(number);
    return true;
}

// STOMP 1.2's header escaping, as TrafficFrame::setHeaders writes the header block (at most
// two bytes for one).
char *tapJsonWriteHeaderEscaped(char *out, QByteArrayView text)
{
    for (const char c : text) {
        switch (c) {
        case '\\':
            *out++ = '\\';
            *out++ = '\\';
            break;
        case '\n':
            *out++ = '\\';
            *out++ = 'n';
            break;
        case '\r':
            *out++ = '\\';
            *out++ = 'r';
            break;
        case ':':
            *out++ = '\\';
            *out++ = 'c';
            break;
        default:
            *out++ = c;
        }
    }
    return out;
}

TrafficFrame::Transport tapJsonTransport(QByteArrayView name)
{
    using T = TrafficFrame::Transport;
    if (tapJsonIs(name, "stomp"))
        return T::Stomp;
    if (tapJsonIs(name, "sse"))
        return T::Sse;
    if (tapJsonIs(name, "http"))
        return T::Http;
    if (tapJsonIs(name, "kafka"))
        return T::Kafka;
    if (tapJsonIs(name, "redis"))
        return T::Redis;
    if (tapJsonIs(name, "ws"))
        return T::WebSocket;
    return T::Other;
}

} // namespace

QString TapFrameCodec::sharedUtf8(QByteArrayView utf8, PooledField field)
{
    if (utf8.isEmpty())
        return {};
    QString &recent = m_recent[field];
    if (QAnyStringView::equal(recent, QUtf8StringView(utf8)))
        return recent;
    // A key over the bytes in place: no copy unless the string is new.
    const auto it = m_utf8Pool.constFind(QByteArray::fromRawData(utf8.data(), utf8.size()));
    if (it != m_utf8Pool.cend()) {
        recent = *it;
        return recent;
    }
    if (m_utf8Pool.size() >= kMaxPooledStrings)
        m_utf8Pool.clear();
    recent = QString::fromUtf8(utf8);
    m_utf8Pool.insert(utf8.toByteArray(), recent);
    return recent;
}

std::optional<TrafficFrame> TapFrameCodec::decodeScanned(QByteArrayView json, const QString &defaultSource)
{
    TapJsonFields f;
    if (!TapJsonScanner(json).scan(&f))
        return std::nullopt;
    // Invalid UTF-8: the reference says where. A U+FEFF: QJsonDocument drops it where it
    // begins a string without escapes (QString::fromUtf8 takes it for a byte-order mark)
    // and keeps it elsewhere; rare enough to leave all of them to it.
    if (f.nonAscii && (!isValidUtf8(json) || json.contains("\xEF\xBB\xBF")))
        return std::nullopt;
    TrafficFrame frame;
    frame.tsMs = f.ts;
    frame.bytes = f.bytes;
    frame.truncated = f.truncated;
    frame.source = f.node.size > 0 ? sharedUtf8(tapJsonUnescaped(f.node, &m_scratch), NodeField)
                                   : shared(defaultSource);
    frame.transport = tapJsonTransport(tapJsonUnescaped(f.transport, &m_scratch));
    const QByteArrayView dir = tapJsonUnescaped(f.dir, &m_scratch);
    frame.direction = tapJsonIs(dir, "in") ? TrafficFrame::Direction::In
        : tapJsonIs(dir, "out")            ? TrafficFrame::Direction::Out
                                           : TrafficFrame::Direction::None;
    frame.command = sharedUtf8(tapJsonUnescaped(f.command, &m_scratch), CommandField);
    frame.destination = sharedUtf8(tapJsonUnescaped(f.destination, &m_scratch), DestinationField);
    frame.user = sharedUtf8(tapJsonUnescaped(f.user, &m_scratch), UserField);
    frame.session = sharedUtf8(tapJsonUnescaped(f.session, &m_scratch), SessionField);
    const QByteArrayView id = tapJsonUnescaped(f.messageId, &m_scratch);
    if (!id.isEmpty()) {
        if (id != QByteArrayView(m_lastMessageIdUtf8)) {
            m_lastMessageIdUtf8 = id.toByteArray();
            m_lastMessageId = QString::fromUtf8(id);
        }
        frame.messageId = m_lastMessageId;
    }
    // Exactly sized: a frame's strings live as long as the capture holds it.
    const QByteArrayView body = tapJsonUnescaped(f.body, &m_scratch);
    if (!body.isEmpty())
        frame.body = QByteArray(body.data(), body.size());
    if (!f.headers.isEmpty()) {
        qsizetype most = 0; // escaped, every byte may double
        for (const TapJsonHeader &header : std::as_const(f.headers))
            most += 2 * (header.name.size() + header.value.size) + 2;
        if (m_block.size() < most)
            m_block.resize(most);
        char *const begin = m_block.data();
        char *out = begin;
        for (const TapJsonHeader &header : std::as_const(f.headers)) {
            out = tapJsonWriteHeaderEscaped(out, header.name);
            *out++ = ':';
            out = tapJsonWriteHeaderEscaped(out, tapJsonUnescaped(header.value, &m_scratch));
            *out++ = '\n';
        }
        frame.headerBlock = QByteArray(begin, out - begin);
    }
    return frame;
}

QString TapFrameCodec::shared(const QString &text)
{
    if (text.isEmpty())
        return {};
    const auto it = m_pool.constFind(text);
    if (it != m_pool.cend())
        return *it;
    if (m_pool.size() >= kMaxPooledStrings)
        m_pool.clear();
    m_pool.insert(text, text);
    return text;
}

std::optional<TrafficFrame> TapFrameCodec::decode(
    QByteArrayView json, QString *error, const QString &defaultSource)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (json.size() > kMaxFrameBytes) {
        *error = QStringLiteral("frame of %1 bytes is over the %2-byte limit")
                     .arg(json.size())
                     .arg(kMaxFrameBytes);
        return std::nullopt;
    }
    if (m_reading == Reading::Scanner) {
        if (auto frame = decodeScanned(json, defaultSource)) {
            ++m_scannedFrames;
            return frame;
        }
    }
    return decodeDocument(json, error, defaultSource);
}

std::optional<TrafficFrame> TapFrameCodec::decodeDocument(
    QByteArrayView json, QString *error, const QString &defaultSource)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error
            = QStringLiteral("not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset);
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = QStringLiteral("not a JSON object");
        return std::nullopt;
    }
    const QJsonObject object = document.object();
    TrafficFrame frame;
    QString source, transport, direction, command, destination, user, session, body;
    if (!readInteger(object, QLatin1String("ts"), &frame.tsMs, error)
        || !readString(object, QLatin1String("node"), &source, error)
        || !readString(object, QLatin1String("transport"), &transport, error)
        || !readString(object, QLatin1String("dir"), &direction, error)
        || !readString(object, QLatin1String("command"), &command, error)
        || !readString(object, QLatin1String("destination"), &destination, error)
        || !readString(object, QLatin1String("user"), &user, error)
        || !readString(object, QLatin1String("session"), &session, error)
        || !readString(object, QLatin1String("messageId"), &frame.messageId, error)
        || !readInteger(object, QLatin1String("bytes"), &frame.bytes, error)
        || !readString(object, QLatin1String("body"), &body, error))
        return std::nullopt;
    const QJsonValue truncated = object.value(QLatin1String("truncated"));
    if (!truncated.isUndefined() && !truncated.isNull() && !truncated.isBool()) {
        *error = QStringLiteral("field \"truncated\" is not true or false");
        return std::nullopt;
    }
    frame.truncated = truncated.toBool();
    const QJsonValue headers = object.value(QLatin1String("headers"));
    if (!headers.isUndefined() && !headers.isNull()) {
        if (!headers.isObject()) {
            *error = QStringLiteral("field \"headers\" is not an object");
            return std::nullopt;
        }
        QList<TrafficFrame::Header> list;
        const QJsonObject headerObject = headers.toObject();
        for (auto it = headerObject.begin(); it != headerObject.end(); ++it) {
            if (!it.value().isString()) {
                *error = QStringLiteral("header \"%1\" is not a string").arg(it.key());
                return std::nullopt;
            }
            list.append({ it.key(), it.value().toString() });
        }
        frame.setHeaders(list);
        frame.headerBlock.squeeze();
    }
    frame.source = shared(source.isEmpty() ? defaultSource : source);
    frame.transport = TrafficFrame::transportFromName(transport);
    frame.direction = TrafficFrame::directionFromName(direction);
    frame.command = shared(command);
    frame.destination = shared(destination);
    frame.user = shared(user);
    frame.session = shared(session);
    frame.body = body.toUtf8();
    frame.body.squeeze(); // toUtf8() reserves three bytes per character; the capture keeps the frame
    return frame;
}

QByteArray TapFrameCodec::encode(const TrafficFrame &frame)
{
    QJsonObject headers;
    for (const auto &[name, value] : frame.headers()) {
        if (!headers.contains(name)) // the first wins, as in STOMP
            headers.insert(name, value);
    }
    const QJsonObject object { { QStringLiteral("ts"), frame.tsMs }, { QStringLiteral("node"), frame.source },
        { QStringLiteral("session"), frame.session }, { QStringLiteral("user"), frame.user },
        { QStringLiteral("transport"), TrafficFrame::transportName(frame.transport) },
        { QStringLiteral("dir"), TrafficFrame::directionName(frame.direction) },
        { QStringLiteral("command"), frame.command }, { QStringLiteral("destination"), frame.destination },
        { QStringLiteral("messageId"), frame.messageId }, { QStringLiteral("bytes"), frame.bytes },
        { QStringLiteral("headers"), headers }, { QStringLiteral("body"), QString::fromUtf8(frame.body) },
        { QStringLiteral("truncated"), frame.truncated } };
    return QJsonDocument(object).toJson(QJsonDocument::Compact);
}

std::optional<qint64> TapFrameCodec::droppedNotice(QByteArrayView json)
{
    // Cheap test first: frames never carry a "type" key.
    if (json.size() > 256 || !json.contains("\"type\""))
        return std::nullopt;
    const QJsonObject object = QJsonDocument::fromJson(json.toByteArray()).object();
    if (object.value(QLatin1String("type")).toString() != u"dropped")
        return std::nullopt;
    const double dropped = object.value(QLatin1String("dropped")).toDouble(-1);
    if (dropped < 0 || dropped > 9007199254740992.0)
        return std::nullopt;
    return qint64(dropped);
}

} // namespace sb::protocol
