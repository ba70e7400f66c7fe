#pragma once

// The devcluster alert scenarios' test class (tst_alerts_devcluster.cpp has the whole
// story): one devcluster started once for every scenario, and what several of them
// assemble. The scenarios are in tst_alerts_devcluster.cpp and, for the Kafka area's alerts
// (consumer group, dead letters), tst_alerts_devcluster_kafka.cpp, for Redis's (latency,
// unreachable, replicas unready), tst_alerts_devcluster_redis.cpp: one executable, one
// cluster start-up; declaration order is run order.
#include "AlertDevClusterFixture.h"
#include "AlertScenarioClients.h"
#include "app/ConsoleAlerts.h"
#include "app/TrafficAreaAssembly.h"
#include "cluster/RedisUrl.h"
#include "models/AttachmentState.h"
#include "support/NodeClients.h"
#include "ui/AreaView.h"

#include <QDateTime>
#include <QObject>
#include <QUrl>
#include <QWebSocket>

#include <memory>

namespace sb::testing {

// The Traffic area tapping one replica, assembled as the console does, and the console's
// alerts over it alone, evaluating with short holds from the start.
struct TrafficUnderAlerts
{
    TrafficUnderAlerts(const QString &replica, const QUrl &node, models::ProfileStore *profiles)
        : thresholds(AlertDevClusterFixture::shortHolds())
        , area(QStringLiteral("traffic"), ui::EmptyState { QStringLiteral("Traffic"), {}, {} })
        , traffic(&area, { {}, QStringLiteral("admin"), QStringLiteral("admin") }, QStringLiteral("test"),
              &attachment)
        , alerts(&attachment, profiles)
    {
        traffic.start();
        traffic.setEndpoints({ { replica, node } });
        alerts.restart({}, thresholds);
        alerts.watch(nullptr, nullptr, &traffic);
        alerts.start();
    }

    const models::AlertThresholds thresholds;
    models::AttachmentState attachment;
    ui::AreaView area;
    app::TrafficAreaAssembly traffic;
    app::ConsoleAlerts alerts;
};

} // namespace sb::testing

class TestAlertsDevCluster : public QObject
{
    Q_OBJECT
    sb::testing::AlertDevClusterFixture m_fixture;
    // The heart-beat scenario's session and watch, from the cluster's start (see there).
    std::unique_ptr<sb::testing::ReplicasUnderAlerts> m_heartbeatWatch;
    sb::testing::NodeClients m_heartbeatClients;
    std::unique_ptr<QWebSocket> m_silentSession;
    QDateTime m_silentSince;

    QUrl nodeUrl(const QString &id) const { return QUrl(m_fixture.cluster()->nodeUrl(id)); }
    sb::cluster::RedisUrl redisUrl() const
    {
        return sb::cluster::RedisUrl::parse(m_fixture.endpoints().value(QStringLiteral("redis")).toString());
    }

private slots:
    void initTestCase();
    void cleanupTestCase();
    void editedThresholdsAreKeptWithTheProfileOrForTheDemo(); // tst_alerts_thresholds.cpp
    void busyGuiThreadRaisesConsoleTapDropsThenClears();
    void droppedSlowConsumerRaisesSlowConsumerDropsThenClears();
    void silentStompSessionRaisesHeartbeatTimeoutsThenClears();
    void skewedSessionsRaiseConnectionImbalanceThenClear();
    void stalledTapReaderRaisesReplicaTapDropsThenClears();
    // tst_alerts_devcluster_kafka.cpp
    void pausedStage1RaisesConsumerGroupThenClearsWhenResumed();
    void poisonRecordsRaiseDeadLettersThenClear();
    // tst_alerts_devcluster.cpp again
    void killedReplicaRaisesReplicaDownThenClearsWhenBack();
    void overdueDrainRaisesDrainOverdueThenClearsWhenItLeaves();
    // tst_alerts_devcluster_redis.cpp
    void pausedRedisRaisesRedisLatencyThenClears();
    void redisKilledRaisesRedisUnreachableThenClearsWhenBack();
    void redisOutageRaisesReplicaUnreadyThenClears();
};
