#pragma once

#include "inspect/RedisSessionSnapshot.h"

#include <QList>
#include <QMap>
#include <QMetaType>
#include <QString>

namespace sb::models {

// One row of the Sessions lens: a session (a client connection on a replica) or a token.
struct SessionRow
{
    bool session = true;
    QString id; // the key without its prefix
    QString user;
    QString node;
    QString transport;
    QString since;
    qint64 deadlineMs = -1; // steady clock; -1: no expiry
};

// A pass of the session reader turned into what SessionModel shows: the rows (sessions
// first, then tokens) and the per-replica and per-user counts. Built by fromSnapshot()
// off the GUI thread (SessionRowsBuilder), so a pass over hundreds of thousands of
// sessions costs the GUI thread a swap, not the conversion.
struct SessionRows
{
    QList<SessionRow> rows;
    int sessionCount = 0;
    QMap<QString, int> perReplica;
    QMap<QString, int> perUser;
    qint64 wallClockMs = 0;
    QString error; // the pass could not finish
    bool empty() const { return rows.isEmpty(); }

    // Pure and thread-safe.
    static SessionRows fromSnapshot(const inspect::RedisSessionSnapshot &snapshot);
};

} // namespace sb::models

Q_DECLARE_METATYPE(sb::models::SessionRows)
