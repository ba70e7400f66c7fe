#pragma once

#include "app/DevCluster.h"
#include "models/Alert.h"
#include "models/AlertThresholds.h"
#include "models/ProfileStore.h"

#include <QJsonObject>
#include <QList>
#include <QTemporaryDir>

#include <memory>

namespace sb::testing {

// The alert with `rule` and `subject` in `alerts` (the model's active or recent list); null
// when there is none.
const models::Alert *findAlert(const QList<models::Alert> &alerts, QStringView rule, const QString &subject);

// What the devcluster alert tests share: one in-process devcluster (app::DevCluster, as the
// console's demo runs it: mock Kafka, a redis-server child, node children), started once and
// waited for (bounded), stopped with its children gone; the profile store the console's
// alerts keep their thresholds in; the thresholds the scenarios evaluate with. Blocking
// waits (an event loop spun until a condition) are fine in a fixture.
class AlertDevClusterFixture
{
public:
    static constexpr int kReadyTimeoutMs = 60000;
    static constexpr int kStopTimeoutMs = 15000;

    AlertDevClusterFixture();
    ~AlertDevClusterFixture();
    AlertDevClusterFixture(const AlertDevClusterFixture &) = delete;
    AlertDevClusterFixture &operator=(const AlertDevClusterFixture &) = delete;

    // $SB_BINARY's devcluster with `options`; false with *error when it failed or was not
    // ready within kReadyTimeoutMs.
    bool start(const app::DevClusterOptions &options, QString *error);
    // Passed or failed, the cluster goes the same way: stopped, and false unless every
    // child is gone within kStopTimeoutMs.
    bool stop();

    app::DevCluster *cluster() const { return m_cluster.get(); }
    QJsonObject endpoints() const { return m_endpoints; }
    models::ProfileStore *profiles() { return &m_profiles; }

    // The console's rules with holds of 2 s and a counter window of 5 s (the defaults are 5 s,
    // 10 s and 60 s): the rules are what is tested, the short holds keep the scenarios short.
    static models::AlertThresholds shortHolds();

private:
    QTemporaryDir m_dir;
    models::ProfileStore m_profiles;
    std::unique_ptr<app::DevCluster> m_cluster;
    QJsonObject m_endpoints;
};

} // namespace sb::testing
