#pragma once

#include "inspect/HttpReplicaProbe.h"

#include <QObject>

class QNetworkAccessManager;

namespace sb::inspect {

// Test connection, one replica endpoint: a Prometheus scrape, or /admin/stats after logging
// in with the profile's admin user (the same HttpReplicaProbe the Replicas area polls with,
// so the check fails exactly where the area would). Says once what it read or what failed;
// asynchronous, bounded by the config's HTTP timeout.
class ReplicaEndpointCheck : public QObject
{
    Q_OBJECT
public:
    ReplicaEndpointCheck(HttpReplicaProbe::Kind kind, const QUrl &url, const ReplicaDiscoveryConfig &config,
        QObject *parent = nullptr);

    void start();

signals:
    void finished(bool ok, const QString &detail);

private:
    QNetworkAccessManager *m_network;
    HttpReplicaProbe *m_probe;
};

} // namespace sb::inspect
