#include "inspect/ReplicaEndpointCheck.h"

#include <QNetworkAccessManager>

namespace sb::inspect {

ReplicaEndpointCheck::ReplicaEndpointCheck(
    HttpReplicaProbe::Kind kind, const QUrl &url, const ReplicaDiscoveryConfig &config, QObject *parent)
    : QObject(parent)
    , m_network(new QNetworkAccessManager(this))
    , m_probe(new HttpReplicaProbe(kind, url, config, m_network, this))
{ }

void ReplicaEndpointCheck::start()
{
    m_probe->poll([this](const HttpReplicaProbe::Outcome &outcome) {
        if (!outcome.ok) {
            emit finished(false, outcome.error);
            return;
        }
        const auto connections = outcome.info.totalConnections();
        QString detail = QStringLiteral("replica %1").arg(outcome.info.id);
        detail += connections ? QStringLiteral(", %1 connection(s)").arg(*connections)
                              : QStringLiteral(", no connection count in the answer");
        if (!outcome.info.detail.isEmpty())
            detail += QStringLiteral(" (%1)").arg(outcome.info.detail);
        emit finished(true, detail);
    });
}

} // namespace sb::inspect
