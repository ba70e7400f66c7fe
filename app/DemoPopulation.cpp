#include "app/DemoPopulation.h"

#include "app/DemoPopulationWorker.h"
#include "app/ReplicaSpread.h"

#include <QJsonArray>

#include <cmath>

namespace sb::app {

namespace {
constexpr double kMaxBurstFactor = 100; // 20 msg/s × 100 is already more than a laptop demo shows
constexpr int kMaxBurstSeconds = 3600;
} // namespace

DemoPopulation::DemoPopulation(DemoPopulationOptions options, QList<DemoUser> users, QObject *parent)
    : QObject(parent)
    , m_options(options)
    , m_users(std::move(users))
{
    m_thread.setObjectName(QStringLiteral("demo population"));
}

DemoPopulation::~DemoPopulation()
{
    // The worker is deleted on its own thread as the thread finishes (finished → deleteLater).
    m_thread.quit();
    m_thread.wait();
}

QList<DemoReplica> DemoPopulation::replicasFrom(const QJsonObject &endpoints)
{
    QList<DemoReplica> replicas;
    for (const QJsonValue &node : endpoints.value(QStringLiteral("nodes")).toArray()) {
        const QJsonObject object = node.toObject();
        replicas.append({ object.value(QStringLiteral("id")).toString(),
            QUrl(object.value(QStringLiteral("url")).toString()) });
    }
    return replicas;
}

void DemoPopulation::start(const QList<DemoReplica> &replicas)
{
    if (m_worker || replicas.isEmpty())
        return;
    m_replicas = replicas;
    const QList<int> homes = ReplicaSpread::assign(int(m_users.size()), int(replicas.size()), m_options.skew);
    for (qsizetype i = 0; i < m_users.size(); ++i)
        m_users[i].homeReplica = homes.at(i);
    auto *worker = new DemoPopulationWorker(m_options, m_users, m_replicas, &m_counters);
    worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    m_worker = worker;
    m_thread.start();
    QMetaObject::invokeMethod(worker, &DemoPopulationWorker::start, Qt::QueuedConnection);
}

bool DemoPopulation::burst(double factor, int seconds, QString *why)
{
    if (!m_worker) {
        *why = QStringLiteral("the demo population is not running");
        return false;
    }
    if (!std::isfinite(factor) || factor <= 0 || factor > kMaxBurstFactor || seconds <= 0
        || seconds > kMaxBurstSeconds) {
        *why = QStringLiteral("a burst takes a factor in (0, %1] and 1–%2 seconds")
                   .arg(kMaxBurstFactor)
                   .arg(kMaxBurstSeconds);
        return false;
    }
    QMetaObject::invokeMethod(
        m_worker, [worker = m_worker.data(), factor, seconds] { worker->burst(factor, seconds); },
        Qt::QueuedConnection);
    return true;
}

bool DemoPopulation::addSlowConsumer(const QString &replica, QString *why)
{
    if (!m_worker) {
        *why = QStringLiteral("the demo population is not running");
        return false;
    }
    for (qsizetype i = 0; i < m_replicas.size(); ++i) {
        if (m_replicas.at(i).id != replica)
            continue;
        if (stats().connected == 0) {
            *why = QStringLiteral("no simulated user is connected to lend the slow consumer a token yet");
            return false;
        }
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker.data(), i] { worker->addSlowConsumer(int(i)); },
            Qt::QueuedConnection);
        return true;
    }
    QStringList known;
    for (const DemoReplica &r : std::as_const(m_replicas))
        known << r.id;
    *why = QStringLiteral("no replica '%1' (the demo has %2)").arg(replica, known.join(QStringLiteral(", ")));
    return false;
}

QStringList DemoPopulation::userNames() const
{
    QStringList names;
    for (const DemoUser &user : m_users)
        names << user.name;
    return names;
}

} // namespace sb::app
