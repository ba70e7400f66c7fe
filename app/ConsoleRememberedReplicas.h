#pragma once

#include <QHash>
#include <QObject>
#include <QString>

namespace sb::models {
class ReplicaModel;
}

namespace sb::app {

// The replicas a profile's console last saw (id -> host:port), kept in the settings, so a
// console started while the registry cannot be read still has replicas to ask directly
// (ReplicaDiscoveryConfig::rememberedAddresses) instead of an empty area. Written when the
// set of replicas or their addresses change, not on every poll.
class ConsoleRememberedReplicas : public QObject
{
    Q_OBJECT
public:
    static constexpr int kMaxRemembered = 2000; // ReplicaDiscovery::kMaxReplicas

    // Follows `model` (the Replicas area's) for the profile named `profile`.
    ConsoleRememberedReplicas(QString profile, const models::ReplicaModel *model, QObject *parent = nullptr);

    static QHash<QString, QString> load(const QString &profile);
    // Saves the model's replicas that have an address (a down one too: the model forgets
    // those itself after an hour), when they differ from what is saved.
    void save();

private:
    static QString settingsKey(const QString &profile);

    QString m_profile;
    const models::ReplicaModel *m_model;
    QHash<QString, QString> m_saved;
};

} // namespace sb::app
