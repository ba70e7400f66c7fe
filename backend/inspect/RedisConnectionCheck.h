#pragma once

#include "cluster/RedisUrl.h"

#include <QObject>
#include <QTimer>

namespace sb::cluster {
class RedisConnection;
}

namespace sb::inspect {

// Test connection, Redis part: connects as the URL says (AUTH as its user, SELECT its
// database), reads DBSIZE, and says once whether that worked and, if not, what failed
// (refused, wrong password, no answer in time). Asynchronous on the thread it lives on (the
// GUI thread may own it: nothing here waits); it stops trying after its first answer.
class RedisConnectionCheck : public QObject
{
    Q_OBJECT
public:
    RedisConnectionCheck(cluster::RedisUrl url, int timeoutMs, QObject *parent = nullptr);
    ~RedisConnectionCheck() override;

    void start();

signals:
    void finished(bool ok, const QString &detail);

private:
    void finish(bool ok, const QString &detail);

    const cluster::RedisUrl m_url;
    const int m_timeoutMs;
    cluster::RedisConnection *m_connection = nullptr;
    QTimer m_deadline;
    bool m_done = false;
};

} // namespace sb::inspect
