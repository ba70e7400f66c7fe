#include "app/DemoPopulationWorker.h"

#include "app/DemoPopulationCounters.h"
#include "app/SimulatedUser.h"
#include "app/SlowConsumer.h"

#include <QNetworkAccessManager>
#include <QRandomGenerator>

namespace sb::app {

namespace {
constexpr int kAwayMinMs = 2000; // a churned user is away 2–6 s
constexpr int kAwaySpreadMs = 4000;
} // namespace

DemoPopulationWorker::DemoPopulationWorker(DemoPopulationOptions options, QList<DemoUser> users,
    QList<DemoReplica> replicas, DemoPopulationCounters *counters, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_accounts(std::move(users))
    , m_replicas(std::move(replicas))
    , m_counters(counters)
    , m_schedule(options.messagesPerSecond)
    , m_tick(this)
    , m_churn(this)
    , m_publish(this)
{ }

DemoPopulationWorker::~DemoPopulationWorker()
{
    // The users close their connections as they go (their sockets are their children).
    qDeleteAll(m_users);
    qDeleteAll(m_slowConsumers);
}

void DemoPopulationWorker::start()
{
    m_http = new QNetworkAccessManager(this);
    m_clock.start();
    for (const DemoUser &account : std::as_const(m_accounts)) {
        auto *user = new SimulatedUser(account, m_replicas, m_http, m_options.reconnectDelayMs);
        m_users.append(user);
        user->start();
    }
    connect(&m_tick, &QTimer::timeout, this, &DemoPopulationWorker::tick);
    m_tick.start(kTickMs);
    connect(&m_publish, &QTimer::timeout, this, &DemoPopulationWorker::publish);
    m_publish.start(kPublishMs);
    m_churn.setSingleShot(true);
    connect(&m_churn, &QTimer::timeout, this, &DemoPopulationWorker::churn);
    scheduleChurn();
    publish();
}

void DemoPopulationWorker::burst(double factor, int seconds)
{
    m_schedule.burst(factor, m_clock.elapsed() + qint64(seconds) * 1000);
}

void DemoPopulationWorker::addSlowConsumer(int replica)
{
    // It needs a member's token to subscribe: borrow a connected user's (any replica
    // accepts any replica's token).
    SimulatedUser *lender = randomConnectedUser();
    if (!lender || replica < 0 || replica >= m_replicas.size())
        return;
    auto *consumer
        = new SlowConsumer(m_replicas.at(replica), lender->accessToken(), lender->account().channels);
    m_slowConsumers.append(consumer);
    consumer->start();
}

SimulatedUser *DemoPopulationWorker::randomConnectedUser() const
{
    QList<SimulatedUser *> connected;
    for (SimulatedUser *user : m_users)
        if (user->isConnected())
            connected.append(user);
    if (connected.isEmpty())
        return nullptr;
    return connected.at(QRandomGenerator::global()->bounded(int(connected.size())));
}

void DemoPopulationWorker::tick()
{
    const int due = m_schedule.due(m_clock.elapsed());
    for (int i = 0; i < due; ++i) {
        SimulatedUser *user = randomConnectedUser();
        if (!user)
            return;
        const QStringList &channels = user->account().channels;
        const QString &channel = channels.at(QRandomGenerator::global()->bounded(int(channels.size())));
        user->send(
            channel, QStringLiteral("message %1 from %2").arg(++m_messageNumber).arg(user->account().name));
    }
}

void DemoPopulationWorker::scheduleChurn()
{
    if (m_options.churnEverySeconds <= 0)
        return;
    // Spread around the mean (0.5× to 1.5×) so logouts do not tick like a clock.
    const int meanMs = m_options.churnEverySeconds * 1000;
    m_churn.start(meanMs / 2 + int(QRandomGenerator::global()->bounded(meanMs)));
}

void DemoPopulationWorker::churn()
{
    if (SimulatedUser *user = randomConnectedUser()) {
        user->logOutFor(kAwayMinMs + int(QRandomGenerator::global()->bounded(kAwaySpreadMs)));
        ++m_logouts;
    }
    scheduleChurn();
}

void DemoPopulationWorker::publish()
{
    DemoPopulationStats stats;
    stats.users = int(m_users.size());
    for (const DemoReplica &replica : std::as_const(m_replicas))
        stats.connectedByReplica.insert(replica.id, 0);
    for (const SimulatedUser *user : std::as_const(m_users)) {
        if (user->isConnected()) {
            ++stats.connected;
            ++(user->account().transport == DemoUser::Transport::Stomp ? stats.stompConnected
                                                                       : stats.sseConnected);
            ++stats.connectedByReplica[m_replicas.at(user->connectedReplica()).id];
        }
        if (user->state() == SimulatedUser::State::LoggedOut)
            ++stats.loggedOut;
        stats.messagesSent += user->messagesSent();
        stats.messagesReceived += user->messagesReceived();
        stats.presenceEvents += user->presenceEvents();
        stats.reconnects += user->reconnects();
        stats.recovered += user->recovered();
        stats.failures += user->failures();
        stats.logins += user->logins();
    }
    stats.logouts = m_logouts;
    for (const SlowConsumer *consumer : std::as_const(m_slowConsumers))
        stats.slowConsumers += consumer->isStalled() ? 1 : 0;
    stats.messagesPerSecond = m_schedule.rateAt(m_clock.elapsed());
    m_counters->publish(stats);
}

} // namespace sb::app
