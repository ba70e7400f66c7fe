#include "models/SessionRows.h"

namespace sb::models {

namespace {
QString withoutPrefix(const QByteArray &key)
{
    // sb:session:{id} / sb:token:{jti}: the id is what follows the last ':'-separated kind.
    const qsizetype kindEnd = key.indexOf(':', key.indexOf(':') + 1);
    return QString::fromUtf8(kindEnd >= 0 ? key.mid(kindEnd + 1) : key);
}

qint64 deadline(qint64 observedAtMs, qint64 pttlMs)
{
    return pttlMs >= 0 ? observedAtMs + pttlMs : -1;
}
} // namespace

SessionRows SessionRows::fromSnapshot(const inspect::RedisSessionSnapshot &snapshot)
{
    SessionRows result;
    result.error = snapshot.error;
    result.wallClockMs = snapshot.wallClockMs;
    result.sessionCount = int(snapshot.sessions.size());
    result.rows.reserve(snapshot.sessions.size() + snapshot.tokens.size());
    for (const inspect::RedisSessionRecord &s : snapshot.sessions) {
        result.rows.append({ true, withoutPrefix(s.key), s.user, s.node, s.transport, s.since,
            deadline(snapshot.observedAtMs, s.pttlMs) });
        ++result.perReplica[s.node];
        ++result.perUser[s.user];
    }
    for (const inspect::RedisTokenRecord &t : snapshot.tokens)
        result.rows.append(
            { false, withoutPrefix(t.key), t.user, {}, {}, {}, deadline(snapshot.observedAtMs, t.pttlMs) });
    return result;
}

} // namespace sb::models
