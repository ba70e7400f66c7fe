#pragma once

#include "cluster/PresenceCounter.h"

#include <QHash>
#include <QMutex>

namespace sb::cluster {

// One process's presence: the counts live and die with it, so there is no lease to renew.
class InMemoryPresenceCounter : public PresenceCounter
{
public:
    void change(const QString &user, int delta, QObject *context, std::function<void(qint64)> done) override;
    void renewLease(QObject *, std::function<void(const PresenceChanges &)>) override { }

private:
    QMutex m_mutex;
    QHash<QString, qint64> m_counts;
};

} // namespace sb::cluster
