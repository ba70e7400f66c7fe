#pragma once

#include <QByteArray>
#include <QMetaType>
#include <QString>

namespace sb::inspect {

// The outcome of one destructive key action, for the browser to update its row and say
// what happened.
struct RedisActionResult
{
    enum class Action { Delete, Expire, Persist };

    Action action = Action::Delete;
    QByteArray key;
    bool ok = false;
    QString message; // what happened, in words ("deleted", "no such key", the server's error)
    qint64 pttlMs = -2; // PTTL after the action (-2: gone, -1: no expiry)
    qint64 observedAtMs = 0; // steady clock, as RedisKeyRecord
};

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::RedisActionResult)
