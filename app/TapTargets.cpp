#include "app/TapTargets.h"

#include "app/ReplicasAreaAssembly.h"
#include "inspect/ReplicaDiscovery.h"
#include "inspect/ReplicaSnapshot.h"
#include "inspect/TrafficCapture.h"
#include "models/ProfileStore.h"

namespace sb::app {

TapTargets::TapTargets(TapTargetOptions options, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
{ }

TapTargets::~TapTargets() = default;

bool TapTargets::resolve(QString *error)
{
    QString user = m_options.user;
    QString password = m_options.password;
    if (!m_options.profile.isEmpty()) {
        const auto profile = models::ProfileStore().load(m_options.profile);
        if (!profile) {
            const QStringList known = models::ProfileStore().names();
            *error = QStringLiteral("unknown profile '%1' (saved profiles: %2)")
                         .arg(m_options.profile,
                             known.isEmpty() ? QStringLiteral("none") : known.join(QStringLiteral(", ")));
            return false;
        }
        QStringList problems;
        inspect::ReplicaDiscoveryConfig config = ReplicasAreaAssembly::configFromProfile(*profile, &problems);
        if (config.isEmpty()) {
            *error = QStringLiteral("profile '%1' names no replica source (registry, /admin/stats URLs)")
                         .arg(profile->name);
            return false;
        }
        if (user.isEmpty())
            user = profile->adminUser;
        if (password.isEmpty())
            password = profile->adminPassword;
        config.adminUser = user.isEmpty() ? QStringLiteral("admin") : user;
        config.adminPassword = password.isEmpty() ? QStringLiteral("admin") : password;
        m_discovery = std::make_unique<inspect::ReplicaDiscovery>(config);
    }
    m_credentials.token = m_options.token;
    if (m_credentials.token.isEmpty()) {
        // The demo's admin (switchboard node --demo-users): what a laptop cluster answers to.
        m_credentials.user = user.isEmpty() ? QStringLiteral("admin") : user;
        m_credentials.password = password.isEmpty() ? QStringLiteral("admin") : password;
    }
    return true;
}

void TapTargets::feed(inspect::TrafficCapture *capture)
{
    if (!m_options.nodes.isEmpty()) {
        QList<inspect::TapEndpoint> endpoints;
        for (const QUrl &url : std::as_const(m_options.nodes))
            endpoints.append({ url.authority(), url });
        m_known = m_options.nodes;
        capture->setEndpoints(endpoints);
        return;
    }
    if (!m_discovery)
        return;
    connect(m_discovery.get(), &inspect::ReplicaDiscovery::snapshotReady, capture,
        [this, capture](const inspect::ReplicaSnapshot &snapshot) {
            QList<inspect::TapEndpoint> endpoints;
            m_known.clear();
            for (const inspect::ReplicaInfo &replica : snapshot.replicas) {
                const QUrl base(replica.address.contains(u"://")
                        ? replica.address
                        : QStringLiteral("http://") + replica.address);
                if (replica.id.isEmpty() || !base.isValid() || base.host().isEmpty())
                    continue;
                endpoints.append({ replica.id, base });
                m_known.append(base);
            }
            capture->setEndpoints(endpoints);
        });
    m_discovery->start();
}

} // namespace sb::app
