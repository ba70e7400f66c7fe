#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace sb::cluster {

// Port: counts each user's open connections across the cluster, so presence says
// "online" on the first connection anywhere and "offline" after the last one closes.
// Thread-safe; callbacks get the count after the change, on `context`'s thread.
class PresenceCounter
{
public:
    virtual ~PresenceCounter() = default;
    virtual void change(const QString &user, int delta, QObject *context, std::function<void(qint64 count)> done) = 0;
};

} // namespace sb::cluster
