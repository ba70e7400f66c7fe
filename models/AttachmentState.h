#pragma once

#include "models/ConnectionHealth.h"

#include <QJsonObject>
#include <QMap>
#include <QObject>

namespace sb::models {

// What the console is attached to (the demo cluster or a saved profile) and the health of
// each connection it holds. Workers report changes here; the status bar and the snapshot
// read it. Lives on the GUI thread.
class AttachmentState : public QObject
{
    Q_OBJECT
public:
    enum class Service { Replicas, Kafka, Redis, Traffic };
    Q_ENUM(Service)

    explicit AttachmentState(QObject *parent = nullptr);

    QString target() const { return m_target; }
    bool readOnly() const { return m_readOnly; }
    void setTarget(const QString &target, bool readOnly);

    ConnectionHealth health(Service service) const { return m_health.value(service); }
    void setHealth(Service service, const ConnectionHealth &health);

    static QString serviceName(Service service);
    static QList<Service> services();
    QJsonObject toJson() const;

signals:
    void targetChanged(const QString &target, bool readOnly);
    void healthChanged(
        sb::models::AttachmentState::Service service, const sb::models::ConnectionHealth &health);

private:
    QString m_target;
    bool m_readOnly = false;
    QMap<Service, ConnectionHealth> m_health;
};

} // namespace sb::models
