#include "app/ConsoleRememberedReplicas.h"

#include "models/ReplicaModel.h"

#include <QSettings>
#include <QUrl>
#include <QVariantMap>

namespace sb::app {

ConsoleRememberedReplicas::ConsoleRememberedReplicas(
    QString profile, const models::ReplicaModel *model, QObject *parent)
    : QObject(parent)
    , m_profile(std::move(profile))
    , m_model(model)
    , m_saved(load(m_profile))
{ }

QString ConsoleRememberedReplicas::settingsKey(const QString &profile)
{
    // A profile name may hold '/', which QSettings reads as a group separator.
    return QStringLiteral("rememberedReplicas/") + QString::fromLatin1(QUrl::toPercentEncoding(profile));
}

QHash<QString, QString> ConsoleRememberedReplicas::load(const QString &profile)
{
    QHash<QString, QString> addresses;
    const QVariantMap saved = QSettings().value(settingsKey(profile)).toMap();
    for (auto it = saved.cbegin(); it != saved.cend() && addresses.size() < kMaxRemembered; ++it) {
        const QString address = it.value().toString().trimmed();
        if (!it.key().isEmpty() && !address.isEmpty())
            addresses.insert(it.key(), address);
    }
    return addresses;
}

void ConsoleRememberedReplicas::save()
{
    QHash<QString, QString> seen;
    for (int row = 0; row < m_model->rowCount() && seen.size() < kMaxRemembered; ++row) {
        const inspect::ReplicaInfo &replica = m_model->replica(row);
        // Only an address a probe can use: an endpoint that never answered has its URL as id.
        if (!replica.id.isEmpty() && !replica.address.isEmpty() && replica.address != replica.id)
            seen.insert(replica.id, replica.address);
    }
    if (seen.isEmpty() || seen == m_saved)
        return; // an empty area (no source answering yet) must not erase what is known
    QVariantMap map;
    for (auto it = seen.cbegin(); it != seen.cend(); ++it)
        map.insert(it.key(), it.value());
    QSettings().setValue(settingsKey(m_profile), map);
    m_saved = std::move(seen);
}

} // namespace sb::app
