#pragma once

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QString>

namespace sb::inspect {

// One sb:session:{id} hash (docs/protocol.md): a client connection on some replica.
struct RedisSessionRecord
{
    QByteArray key;
    QString user;
    QString node;
    QString transport;
    QString since; // as the node wrote it (epoch ms, epoch s or ISO 8601)
    QString remote;
    qint64 pttlMs = -1;
};

// One sb:token:{jti} string (value: the user), alive while its key exists.
struct RedisTokenRecord
{
    QByteArray key;
    QString user;
    qint64 pttlMs = -1;
};

// Every session and token found in one pass over the keyspace.
struct RedisSessionSnapshot
{
    QList<RedisSessionRecord> sessions;
    QList<RedisTokenRecord> tokens;
    qint64 observedAtMs = 0; // steady clock when the pass finished (TTLs are relative to it)
    qint64 wallClockMs = 0; // ms since the epoch, for the chart's time axis
    qint64 passMs = 0; // how long the pass took
    QString error; // set when the pass could not finish
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::RedisSessionSnapshot)
