#include "cluster/RedisReply.h"

#include <hiredis/hiredis.h>

namespace sb::cluster {

RedisReply RedisReply::status(QByteArray text)
{
    RedisReply r;
    r.m_type = Type::Status;
    r.m_bytes = std::move(text);
    return r;
}

RedisReply RedisReply::error(QByteArray message)
{
    RedisReply r;
    r.m_type = Type::Error;
    r.m_bytes = std::move(message);
    return r;
}

RedisReply RedisReply::clientFailure(ClientError kind, const QString &message)
{
    RedisReply r = error(message.toUtf8());
    r.m_clientError = kind;
    return r;
}

RedisReply RedisReply::integer(qint64 value)
{
    RedisReply r;
    r.m_type = Type::Integer;
    r.m_integer = value;
    return r;
}

RedisReply RedisReply::string(QByteArray bytes)
{
    RedisReply r;
    r.m_type = Type::String;
    r.m_bytes = std::move(bytes);
    return r;
}

RedisReply RedisReply::array(QList<RedisReply> elements)
{
    RedisReply r;
    r.m_type = Type::Array;
    r.m_elements = std::move(elements);
    return r;
}

RedisReply RedisReply::fromHiredis(const redisReply *reply)
{
    if (!reply)
        return nil();
    // hiredis' reader caps nesting at 7 levels, so this recursion is bounded.
    switch (reply->type) {
    case REDIS_REPLY_STRING:
        return string(QByteArray(reply->str, qsizetype(reply->len)));
    case REDIS_REPLY_STATUS:
        return status(QByteArray(reply->str, qsizetype(reply->len)));
    case REDIS_REPLY_ERROR:
        return error(QByteArray(reply->str, qsizetype(reply->len)));
    case REDIS_REPLY_INTEGER:
        return integer(reply->integer);
    case REDIS_REPLY_ARRAY: {
        QList<RedisReply> elements;
        elements.reserve(qsizetype(reply->elements));
        for (size_t i = 0; i < reply->elements; ++i)
            elements.append(fromHiredis(reply->element[i]));
        return array(std::move(elements));
    }
    case REDIS_REPLY_NIL:
    default:
        return nil();
    }
}

bool RedisReply::operator==(const RedisReply &other) const
{
    if (m_type != other.m_type || m_clientError != other.m_clientError || m_integer != other.m_integer
        || m_bytes != other.m_bytes || m_elements.size() != other.m_elements.size())
        return false;
    for (qsizetype i = 0; i < m_elements.size(); ++i) {
        if (!(m_elements.at(i) == other.m_elements.at(i)))
            return false;
    }
    return true;
}

RedisReply RedisReply::at(qsizetype i) const
{
    return (i >= 0 && i < m_elements.size()) ? m_elements.at(i) : RedisReply();
}

QString RedisReply::errorMessage() const
{
    return isError() ? QString::fromUtf8(m_bytes) : QString();
}

bool RedisReply::isOk() const
{
    return isStatus() && m_bytes == "OK";
}

QMap<QByteArray, QByteArray> RedisReply::toMap() const
{
    QMap<QByteArray, QByteArray> map;
    for (qsizetype i = 0; i + 1 < m_elements.size(); i += 2)
        map.insert(m_elements.at(i).bytes(), m_elements.at(i + 1).bytes());
    return map;
}

QString RedisReply::toDebugString() const
{
    switch (m_type) {
    case Type::Nil:
        return QStringLiteral("(nil)");
    case Type::Status:
        return u'+' + QString::fromUtf8(m_bytes);
    case Type::Error:
        return u'-' + QString::fromUtf8(m_bytes);
    case Type::Integer:
        return u':' + QString::number(m_integer);
    case Type::String: {
        constexpr qsizetype kShown = 64; // keep log lines short; values can be megabytes
        const QByteArray head = m_bytes.left(kShown).toPercentEncoding(" :/.,-_{}[]\"=");
        return u'"' + QString::fromLatin1(head) + (m_bytes.size() > kShown ? u"...\"" : u"\"");
    }
    case Type::Array: {
        QString text = QStringLiteral("[");
        for (qsizetype i = 0; i < m_elements.size(); ++i)
            text += (i ? u", " : u"") + m_elements.at(i).toDebugString();
        return text + u']';
    }
    }
    return {};
}

} // namespace sb::cluster
