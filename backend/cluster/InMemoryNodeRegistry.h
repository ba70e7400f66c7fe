#pragma once

#include "cluster/NodeRegistry.h"

#include <QMetaObject>
#include <QMutex>
#include <QObject>

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
    void list(QObject *context, ListHandler handler) override
    {
        QList<Announced> nodes;
        const auto all = entries(); // a QMap: already sorted by id
        for (auto it = all.cbegin(); it != all.cend(); ++it)
            nodes.append({ it.key(), it.value() });
        QMetaObject::invokeMethod(
            context, [handler = std::move(handler), nodes] { handler(true, nodes); }, Qt::QueuedConnection);
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
