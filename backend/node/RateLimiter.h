#pragma once

#include <QHash>
#include <QMutex>
#include <QString>

#include <deque>

namespace sb::node {

// Sliding one-minute window of attempts per key (a user name, a remote address), used to
// slow down password guessing. Thread-safe; bounded by the number of distinct keys seen in
// the last minute, which the caller caps.
class RateLimiter
{
public:
    RateLimiter(int perMinute, int maxKeys = 100000);
    // Records an attempt; false when the key is over its limit (the attempt is refused).
    bool allow(const QString &key, qint64 nowMs);
    // Seconds until the key may try again.
    int retryAfterSeconds(const QString &key, qint64 nowMs);

private:
    int m_perMinute;
    int m_maxKeys;
    QMutex m_mutex;
    QHash<QString, std::deque<qint64>> m_attempts;
};

} // namespace sb::node
