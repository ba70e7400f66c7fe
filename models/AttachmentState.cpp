#include "models/AttachmentState.h"

namespace sb::models {

AttachmentState::AttachmentState(QObject *parent)
    : QObject(parent)
{
    for (Service service : services())
        m_health.insert(service, ConnectionHealth {});
}

void AttachmentState::setTarget(const QString &target, bool readOnly)
{
    if (target == m_target && readOnly == m_readOnly)
        return;
    m_target = target;
    m_readOnly = readOnly;
    emit targetChanged(m_target, m_readOnly);
}

void AttachmentState::setHealth(Service service, const ConnectionHealth &health)
{
    if (m_health.value(service) == health)
        return;
    m_health.insert(service, health);
    emit healthChanged(service, health);
}

QString AttachmentState::serviceName(Service service)
{
    switch (service) {
    case Service::Replicas:
        return QStringLiteral("Replicas");
    case Service::Kafka:
        return QStringLiteral("Kafka");
    case Service::Redis:
        return QStringLiteral("Redis");
    case Service::Traffic:
        return QStringLiteral("Traffic");
    }
    return {};
}

QList<AttachmentState::Service> AttachmentState::services()
{
    return { Service::Replicas, Service::Kafka, Service::Redis, Service::Traffic };
}

QJsonObject AttachmentState::toJson() const
{
    QJsonObject connections;
    for (Service service : services()) {
        const ConnectionHealth h = m_health.value(service);
        connections.insert(serviceName(service).toLower(),
            QJsonObject { { QStringLiteral("state"), ConnectionHealth::stateName(h.state) },
                { QStringLiteral("detail"), h.detail } });
    }
    return QJsonObject { { QStringLiteral("target"), m_target }, { QStringLiteral("readOnly"), m_readOnly },
        { QStringLiteral("connections"), connections } };
}

} // namespace sb::models
