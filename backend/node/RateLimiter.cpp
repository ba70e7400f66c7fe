#include "node/RateLimiter.h"

#include <QMutexLocker>

namespace sb::node {

namespace {
constexpr qint64 kWindowMs = 60000;
}

RateLimiter::RateLimiter(int perMinute, int maxKeys)
    : m_perMinute(qMax(1, perMinute))
    , m_maxKeys(maxKeys)
{ }

bool RateLimiter::allow(const QString &key, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    if (m_attempts.size() >= m_maxKeys) {
        for (auto it = m_attempts.begin(); it != m_attempts.end();)
            it = (it->empty() || it->back() < nowMs - kWindowMs) ? m_attempts.erase(it) : std::next(it);
        if (m_attempts.size() >= m_maxKeys && !m_attempts.contains(key))
            return false; // under a flood of distinct keys, refuse rather than grow
    }
    auto &attempts = m_attempts[key];
    while (!attempts.empty() && attempts.front() <= nowMs - kWindowMs)
        attempts.pop_front();
    if (int(attempts.size()) >= m_perMinute)
        return false;
    attempts.push_back(nowMs);
    return true;
}

int RateLimiter::retryAfterSeconds(const QString &key, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_attempts.constFind(key);
    if (it == m_attempts.cend() || it->empty())
        return 0;
    return int(qMax<qint64>(1, (it->front() + kWindowMs - nowMs + 999) / 1000));
}

} // namespace sb::node
