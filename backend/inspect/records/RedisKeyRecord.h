#pragma once

#include "inspect/RedisKeyType.h"

#include <QByteArray>
#include <QDeadlineTimer>
#include <QList>
#include <QMetaType>

namespace sb::inspect {

// Milliseconds on the steady clock, comparable across threads: what TTL deadlines use.
inline qint64 steadyNowMs()
{
    return QDeadlineTimer::current().deadline();
}

// One key as the scanner saw it. The TTL is relative to `observedAtMs` (steadyNowMs()), so a consumer on
// another thread can turn it into an absolute deadline that counts down without asking the server again.
struct RedisKeyRecord
{
    static constexpr qint64 NoExpiry = -1; // PTTL's -1
    static constexpr qint64 Missing = -2; // PTTL's -2: the key is gone
    static constexpr qint64 UnknownMemory = -1;

    QByteArray key;
    qint64 pttlMs = NoExpiry;
    qint64 memoryBytes = UnknownMemory;
    qint64 observedAtMs = 0;
    RedisKeyType type = RedisKeyType::Unknown;

    bool exists() const { return type != RedisKeyType::None && pttlMs != Missing; }
};

using RedisKeyBatch = QList<RedisKeyRecord>;

} // namespace sb::inspect

Q_DECLARE_METATYPE(sb::inspect::RedisKeyRecord)
