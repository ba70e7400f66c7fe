#pragma once

#include "cluster/NodeRegistry.h"

#include <QMutex>

namespace sb::cluster {

// NodeRegistry for one process: the last announcement of each node, readable with entries().
class InMemoryNodeRegistry : public NodeRegistry
{
public:
    void publish(const QString &nodeId, const QMap<QByteArray, QByteArray> &fields, int) override
    {
        QMutexLocker lock(&m_mutex);
        m_entries.insert(nodeId, fields);
    }
    void remove(const QString &nodeId) override
    {
        QMutexLocker lock(&m_mutex);
        m_entries.remove(nodeId);
    }
    QMap<QString, QMap<QByteArray, QByteArray>> entries() const
    {
        QMutexLocker lock(&m_mutex);
        return m_entries;
    }

private:
    mutable QMutex m_mutex;
    QMap<QString, QMap<QByteArray, QByteArray>> m_entries;
};

} // namespace sb::cluster
