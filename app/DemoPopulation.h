#pragma once

#include "app/DemoLoadControl.h"
#include "app/DemoPopulationCounters.h"
#include "app/DemoPopulationOptions.h"
#include "app/DemoReplica.h"
#include "app/DemoUser.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QThread>

namespace sb::app {

class DemoPopulationWorker;

// The demo's simulated users (issue 13): DemoPopulationOptions::users real clients of the
// replicas, spread over them by the options' skew, chatting, watching presence, leaving and
// coming back, and moving to another replica when theirs dies. They run on a thread of
// their own (DemoPopulationWorker); this object, on the caller's thread, starts and stops
// that thread, forwards the fault actions (DemoLoadControl) to it with queued calls and
// reads its counters through a thread-safe snapshot. Nothing here ever waits on the network.
class DemoPopulation : public QObject, public DemoLoadControl
{
    Q_OBJECT
public:
    // `users` as generated with the users file the replicas were started with (DemoUsers).
    DemoPopulation(DemoPopulationOptions options, QList<DemoUser> users, QObject *parent = nullptr);
    ~DemoPopulation() override; // stops the thread; its clients close their connections

    // Homes the users on `replicas` (ReplicaSpread) and starts the thread. Once.
    void start(const QList<DemoReplica> &replicas);
    DemoPopulationStats stats() const { return m_counters.snapshot(); }
    const QList<DemoReplica> &replicas() const { return m_replicas; }

    bool burst(double factor, int seconds, QString *why) override;
    bool addSlowConsumer(const QString &replica, QString *why) override;
    QStringList userNames() const override;

    // The replicas of a devcluster's `ready` endpoints ({"nodes":[{"id","url"}]}).
    static QList<DemoReplica> replicasFrom(const QJsonObject &endpoints);

private:
    DemoPopulationOptions m_options;
    QList<DemoUser> m_users;
    QList<DemoReplica> m_replicas;
    DemoPopulationCounters m_counters;
    QThread m_thread;
    QPointer<DemoPopulationWorker> m_worker;
};

} // namespace sb::app
