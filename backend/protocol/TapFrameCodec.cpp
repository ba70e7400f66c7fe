#include "protocol/TapFrameCodec.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QJsonValue>

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

} // namespace

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

std::optional<TrafficFrame> TapFrameCodec::decode(QByteArrayView json, QString *error, const QString &defaultSource)
{
    QString ignored;
    if (!error)
        error = &ignored;
    if (json.size() > kMaxFrameBytes) {
        *error = QStringLiteral("frame of %1 bytes is over the %2-byte limit").arg(json.size()).arg(kMaxFrameBytes);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json.toByteArray(), &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = QStringLiteral("not JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset);
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
            list.append({it.key(), it.value().toString()});
        }
        frame.setHeaders(list);
    }
    frame.source = shared(source.isEmpty() ? defaultSource : source);
    frame.transport = TrafficFrame::transportFromName(transport);
    frame.direction = TrafficFrame::directionFromName(direction);
    frame.command = shared(command);
    frame.destination = shared(destination);
    frame.user = shared(user);
    frame.session = shared(session);
    frame.body = body.toUtf8();
    return frame;
}

QByteArray TapFrameCodec::encode(const TrafficFrame &frame)
{
    QJsonObject headers;
    for (const auto &[name, value] : frame.headers()) {
        if (!headers.contains(name)) // the first wins, as in STOMP
            headers.insert(name, value);
    }
    const QJsonObject object{{QStringLiteral("ts"), frame.tsMs},
                             {QStringLiteral("node"), frame.source},
                             {QStringLiteral("session"), frame.session},
                             {QStringLiteral("user"), frame.user},
                             {QStringLiteral("transport"), TrafficFrame::transportName(frame.transport)},
                             {QStringLiteral("dir"), TrafficFrame::directionName(frame.direction)},
                             {QStringLiteral("command"), frame.command},
                             {QStringLiteral("destination"), frame.destination},
                             {QStringLiteral("messageId"), frame.messageId},
                             {QStringLiteral("bytes"), frame.bytes},
                             {QStringLiteral("headers"), headers},
                             {QStringLiteral("body"), QString::fromUtf8(frame.body)},
                             {QStringLiteral("truncated"), frame.truncated}};
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
