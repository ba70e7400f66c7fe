#pragma once

#include "cluster/PresenceCounter.h"

#include <QHash>
#include <QMutex>

namespace sb::cluster {

class InMemoryPresenceCounter : public PresenceCounter
{
public:
    void change(const QString &user, int delta, QObject *context, std::function<void(qint64)> done) override;

private:
    QMutex m_mutex;
    QHash<QString, qint64> m_counts;
};

} // namespace sb::cluster
