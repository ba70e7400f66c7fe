#include "AlertDevClusterFixture.h"

#include <QSignalSpy>
#include <QTest>

namespace sb::testing {

const models::Alert *findAlert(const QList<models::Alert> &alerts, QStringView rule, const QString &subject)
{
    for (const models::Alert &a : alerts)
        if (a.rule == rule && a.subject == subject)
            return &a;
    return nullptr;
}

AlertDevClusterFixture::AlertDevClusterFixture()
    : m_profiles(m_dir.filePath(QStringLiteral("secrets.json")))
{ }

AlertDevClusterFixture::~AlertDevClusterFixture()
{
    stop();
}

bool AlertDevClusterFixture::start(const app::DevClusterOptions &options, QString *error)
{
    m_cluster = std::make_unique<app::DevCluster>(options, qEnvironmentVariable("SB_BINARY"));
    QSignalSpy ready(m_cluster.get(), &app::DevCluster::ready);
    QSignalSpy failed(m_cluster.get(), &app::DevCluster::failed);
    m_cluster->start();
    if (!QTest::qWaitFor([&] { return !ready.isEmpty() || !failed.isEmpty(); }, kReadyTimeoutMs)) {
        *error = QStringLiteral("devcluster not ready within %1 ms").arg(kReadyTimeoutMs);
        return false;
    }
    if (!failed.isEmpty()) {
        *error = QStringLiteral("devcluster failed (%1): %2")
                     .arg(failed.first().at(0).toString(), failed.first().at(1).toString());
        return false;
    }
    m_endpoints = ready.first().first().toJsonObject();
    return true;
}

bool AlertDevClusterFixture::stop()
{
    if (!m_cluster)
        return true;
    QSignalSpy stopped(m_cluster.get(), &app::DevCluster::stopped);
    m_cluster->stop(2000);
    const bool gone = QTest::qWaitFor(
        [&] { return !stopped.isEmpty() && m_cluster->childPids().isEmpty(); }, kStopTimeoutMs);
    m_cluster.reset();
    return gone;
}

models::AlertThresholds AlertDevClusterFixture::shortHolds()
{
    models::AlertThresholds thresholds;
    thresholds.raiseAfterSeconds = 2;
    thresholds.clearAfterSeconds = 2;
    thresholds.counterWindowSeconds = 5;
    return thresholds;
}

} // namespace sb::testing
