#include "inspect/TrafficCapture.h"

#include "inspect/TapClient.h"
#include "inspect/TrafficBatcher.h"

namespace sb::inspect {

TrafficCapture::TrafficCapture(TapCredentials credentials, QObject *parent)
    : QObject(parent)
    , m_credentials(std::move(credentials))
    , m_batcher(new TrafficBatcher(this))
{
    qRegisterMetaType<QList<sb::inspect::TapEndpoint>>();
    connect(m_batcher, &TrafficBatcher::batchReady, this, &TrafficCapture::batchReady);
}

TrafficCapture::~TrafficCapture()
{
    stop();
}

void TrafficCapture::setEndpoints(const QList<TapEndpoint> &endpoints)
{
    QHash<QString, TapEndpoint> wanted;
    for (const TapEndpoint &endpoint : endpoints)
        wanted.insert(endpoint.id, endpoint);
    for (auto it = m_clients.begin(); it != m_clients.end();) {
        const auto want = wanted.constFind(it.key());
        if (want == wanted.cend() || !(*want == (*it)->endpoint())) {
            (*it)->stop();
            m_batcher->removeSource(it.key());
            delete *it;
            it = m_clients.erase(it);
        } else {
            ++it;
        }
    }
    for (const TapEndpoint &endpoint : endpoints) {
        if (m_clients.contains(endpoint.id))
            continue;
        auto *client = new TapClient(endpoint, m_credentials, m_batcher, this);
        m_clients.insert(endpoint.id, client);
        client->start();
    }
}

void TrafficCapture::stop()
{
    for (TapClient *client : std::as_const(m_clients)) {
        client->stop();
        delete client;
    }
    m_clients.clear();
    m_batcher->flush();
}

} // namespace sb::inspect
