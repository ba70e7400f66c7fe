#pragma once

#include "cluster/SessionStore.h"

#include <QMutex>

namespace sb::cluster {

// SessionStore for one process: open sessions by id (no expiry needed: a process that
// dies takes its map with it).
class InMemorySessionStore : public SessionStore
{
public:
    void open(const QString &sessionId, const QMap<QByteArray, QByteArray> &fields, int) override
    {
        QMutexLocker lock(&m_mutex);
        m_sessions.insert(sessionId, fields);
    }
    void touch(const QString &, int) override { }
    void close(const QString &sessionId) override
    {
        QMutexLocker lock(&m_mutex);
        m_sessions.remove(sessionId);
    }
    int size() const
    {
        QMutexLocker lock(&m_mutex);
        return int(m_sessions.size());
    }

private:
    mutable QMutex m_mutex;
    QMap<QString, QMap<QByteArray, QByteArray>> m_sessions;
};

} // namespace sb::cluster
