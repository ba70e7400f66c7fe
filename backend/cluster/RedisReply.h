#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

struct redisReply;

namespace sb::cluster {

// An owned copy of one Redis reply (RESP2), nested for arrays. Replies are converted
// from hiredis inside its callback, so no hiredis pointer ever outlives it.
// Errors come in two origins: the server's ("-WRONGTYPE ..."), and this client's
// (not connected, too many commands in flight, connection lost while waiting);
// clientError() tells them apart because a caller's retry policy depends on it.
class RedisReply
{
public:
    enum class Type { Nil, Status, Error, Integer, String, Array };

    enum class ClientError {
        None, // not a client-side error (may still be a server error)
        NotConnected, // never sent: the connection was not up. Safe to retry.
        Overloaded, // never sent: the in-flight limit was reached. Safe to retry later.
        ConnectionLost, // sent, but the connection died before the reply: it may or may not have run.
        Closed, // never answered: the connection was closed or destroyed by its owner.
    };

    RedisReply() = default; // Nil

    static RedisReply nil() { return {}; }
    static RedisReply status(QByteArray text);
    static RedisReply error(QByteArray message);
    static RedisReply clientFailure(ClientError kind, const QString &message);
    static RedisReply integer(qint64 value);
    static RedisReply string(QByteArray bytes);
    static RedisReply array(QList<RedisReply> elements);
    // Deep copy of a hiredis reply; nullptr becomes Nil.
    static RedisReply fromHiredis(const redisReply *reply);

    Type type() const { return m_type; }
    bool isNil() const { return m_type == Type::Nil; }
    bool isStatus() const { return m_type == Type::Status; }
    bool isError() const { return m_type == Type::Error; }
    bool isInteger() const { return m_type == Type::Integer; }
    bool isString() const { return m_type == Type::String; }
    bool isArray() const { return m_type == Type::Array; }
    ClientError clientError() const { return m_clientError; }

    // Bytes of a String, Status or Error reply; empty otherwise.
    const QByteArray &bytes() const { return m_bytes; }
    qint64 toInteger() const { return m_integer; }
    const QList<RedisReply> &elements() const { return m_elements; }
    qsizetype size() const { return m_elements.size(); }
    // Element i of an Array; Nil when out of range, so chained look-ups stay safe.
    RedisReply at(qsizetype i) const;

    // "ERR ...", "WRONGTYPE ...": the error text for logs and users; empty if not an error.
    QString errorMessage() const;
    // True for a Status reply equal to "OK" (SET, SELECT, AUTH...).
    bool isOk() const;
    // A flat [field, value, field, value...] array (HGETALL, CONFIG GET) as a map.
    QMap<QByteArray, QByteArray> toMap() const;
    // Compact single-line rendering for logs and test failure messages.
    QString toDebugString() const;

    // Written out, not defaulted: a defaulted == over QList<RedisReply> sends Qt's
    // recursive operator== detection into an incomplete type.
    bool operator==(const RedisReply &other) const;
    bool operator!=(const RedisReply &other) const { return !(*this == other); }

private:
    Type m_type = Type::Nil;
    ClientError m_clientError = ClientError::None;
    qint64 m_integer = 0;
    QByteArray m_bytes;
    QList<RedisReply> m_elements;
};

} // namespace sb::cluster

Q_DECLARE_METATYPE(sb::cluster::RedisReply)
