#pragma once

#include "app/DemoPopulationOptions.h"
#include "app/DemoReplica.h"
#include "app/DemoUser.h"
#include "app/MessageSchedule.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QTimer>

class QNetworkAccessManager;

namespace sb::app {

class DemoPopulationCounters;
class SimulatedUser;
class SlowConsumer;

// The demo population on its own thread: the SimulatedUsers, the clock that makes them talk
// (MessageSchedule, polled every 50 ms), the churn that logs one out now and then, the slow
// consumers the fault action adds, and the counters it publishes every 250 ms. Lives and is
// called only on the population's thread (DemoPopulation queues every call here).
class DemoPopulationWorker : public QObject
{
    Q_OBJECT
public:
    static constexpr int kTickMs = 50;
    static constexpr int kPublishMs = 250;

    DemoPopulationWorker(DemoPopulationOptions options, QList<DemoUser> users, QList<DemoReplica> replicas,
        DemoPopulationCounters *counters, QObject *parent = nullptr);
    ~DemoPopulationWorker() override;

    void start();
    void burst(double factor, int seconds);
    void addSlowConsumer(int replica);

private:
    void tick();
    void churn();
    void scheduleChurn();
    void publish();
    SimulatedUser *randomConnectedUser() const;

    DemoPopulationOptions m_options;
    QList<DemoUser> m_accounts;
    QList<DemoReplica> m_replicas;
    DemoPopulationCounters *m_counters;
    QNetworkAccessManager *m_http = nullptr;
    QList<SimulatedUser *> m_users;
    QList<SlowConsumer *> m_slowConsumers;
    MessageSchedule m_schedule;
    QElapsedTimer m_clock;
    QTimer m_tick;
    QTimer m_churn;
    QTimer m_publish;
    qint64 m_messageNumber = 0;
    qint64 m_logouts = 0;
};

} // namespace sb::app
