#include "inspect/TrafficCapture.h"

#include "inspect/KafkaTopicTail.h"
#include "inspect/RedisPubSubMonitor.h"
#include "inspect/SseProbeClient.h"
#include "inspect/SseProbeSettings.h"
#include "inspect/StompProbeClient.h"
#include "inspect/StompProbeSettings.h"
#include "inspect/TapClient.h"
#include "inspect/TrafficBatcher.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QThread>

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

namespace {

TapSourceStatus::State sourceState(int state)
{
    // RedisPubSubMonitor::State and KafkaTopicTail::State share their values' meaning.
    switch (state) {
    case 1:
        return TapSourceStatus::State::Connecting;
    case 2:
        return TapSourceStatus::State::Live;
    case 3:
        return TapSourceStatus::State::Down;
    default:
        return TapSourceStatus::State::Stopped;
    }
}

TapSourceStatus::State probeSourceState(ProbeState state)
{
    switch (state) {
    case ProbeState::Connecting:
        return TapSourceStatus::State::Connecting;
    case ProbeState::Live:
        return TapSourceStatus::State::Live;
    case ProbeState::Reconnecting:
    case ProbeState::Failed:
        return TapSourceStatus::State::Down;
    case ProbeState::Idle:
    case ProbeState::Closed:
        break;
    }
    return TapSourceStatus::State::Stopped;
}

// One source's status as its client reports it: the state mapped, since-when kept, and
// handed to the batcher on every change.
class SourceStatusUpdate
{
public:
    SourceStatusUpdate(TrafficBatcher *batcher, const QString &id, const QString &kind)
        : m_batcher(batcher)
        , m_status(std::make_shared<TapSourceStatus>())
    {
        m_status->id = id;
        m_status->kind = kind;
    }
    void operator()(TapSourceStatus::State state, const QString &detail) const
    {
        if (state != m_status->state)
            m_status->since = QDateTime::currentDateTimeUtc();
        m_status->state = state;
        m_status->detail = detail;
        m_batcher->setStatus(*m_status);
    }
    TapSourceStatus &status() const { return *m_status; }

private:
    TrafficBatcher *m_batcher;
    std::shared_ptr<TapSourceStatus> m_status; // shared by the copies the connections hold
};

} // namespace

void TrafficCapture::startStompProbe(const StompProbeSettings &settings)
{
    stopProbe();
    m_stompProbe = new StompProbeClient(this);
    m_probeSource = settings.source;
    const SourceStatusUpdate update(m_batcher, settings.source, QStringLiteral("probe"));
    connect(m_stompProbe, &StompProbeClient::frame, this,
        [this](const protocol::TrafficFrame &frame) { m_batcher->add(frame); });
    connect(m_stompProbe, &StompProbeClient::stateChanged, this,
        [update](ProbeState state, const QString &detail) {
            update(probeSourceState(state),
                QStringLiteral("STOMP probe %1%2")
                    .arg(
                        probeStateName(state), detail.isEmpty() ? QString() : QStringLiteral(": ") + detail));
        });
    m_stompProbe->start(settings);
}

void TrafficCapture::startSseProbe(const SseProbeSettings &settings)
{
    stopProbe();
    m_sseProbe = new SseProbeClient(this);
    m_probeSource = settings.source;
    const SourceStatusUpdate update(m_batcher, settings.source, QStringLiteral("probe"));
    connect(m_sseProbe, &SseProbeClient::frame, this,
        [this](const protocol::TrafficFrame &frame) { m_batcher->add(frame); });
    connect(
        m_sseProbe, &SseProbeClient::stateChanged, this, [update](ProbeState state, const QString &detail) {
            if (state == ProbeState::Reconnecting)
                ++update.status().reconnects;
            update(probeSourceState(state),
                QStringLiteral("SSE probe %1%2")
                    .arg(
                        probeStateName(state), detail.isEmpty() ? QString() : QStringLiteral(": ") + detail));
        });
    m_sseProbe->start(settings);
}

void TrafficCapture::sendWithProbe(const QString &destination, const QByteArray &body)
{
    if (m_stompProbe)
        m_stompProbe->send(destination, body);
}

void TrafficCapture::stopProbe()
{
    for (QObject *probe : { static_cast<QObject *>(m_stompProbe), static_cast<QObject *>(m_sseProbe) }) {
        if (!probe)
            continue;
        probe->disconnect(this);
        delete probe; // each closes its own connection (abort: nothing waits)
    }
    if (m_stompProbe || m_sseProbe)
        m_batcher->removeSource(m_probeSource);
    m_stompProbe = nullptr;
    m_sseProbe = nullptr;
}

void TrafficCapture::startRedisMonitor(const RedisPubSubMonitorSettings &settings)
{
    stopRedisMonitor();
    m_redis = new RedisPubSubMonitor(settings, this);
    const SourceStatusUpdate update(m_batcher, QStringLiteral("redis"), QStringLiteral("redis"));
    connect(m_redis, &RedisPubSubMonitor::framesReady, this, &TrafficCapture::addFrames);
    connect(m_redis, &RedisPubSubMonitor::stateChanged, this,
        [update](RedisPubSubMonitor::State state, const QString &reason) {
            update(sourceState(int(state)), reason);
        });
    connect(m_redis, &RedisPubSubMonitor::framesDropped, this, [update](qint64 total) {
        update.status().droppedBySource = total; // sampled away above the monitor's rate bound
        update(update.status().state, update.status().detail);
    });
    m_redis->start();
}

void TrafficCapture::stopRedisMonitor()
{
    if (!m_redis)
        return;
    m_redis->stop();
    delete m_redis;
    m_redis = nullptr;
    m_batcher->removeSource(QStringLiteral("redis"));
}

void TrafficCapture::startKafkaTail(const KafkaTopicTailSettings &settings)
{
    stopKafkaTail();
    m_kafkaThread = new QThread(this); // let go of, not waited on, in stopKafkaTail()
    m_kafkaThread->setObjectName(QStringLiteral("traffic-kafka-tail"));
    m_kafka = new KafkaTopicTail(settings);
    m_kafka->moveToThread(m_kafkaThread);
    connect(m_kafkaThread, &QThread::finished, m_kafka, &QObject::deleteLater);
    const SourceStatusUpdate update(m_batcher, QStringLiteral("kafka"), QStringLiteral("kafka"));
    // Queued (the tail's thread to this one), with this as context.
    connect(m_kafka, &KafkaTopicTail::framesReady, this, &TrafficCapture::addFrames);
    connect(m_kafka, &KafkaTopicTail::stateChanged, this,
        [update](
            KafkaTopicTail::State state, const QString &reason) { update(sourceState(int(state)), reason); });
    m_kafkaThread->start();
    m_kafka->start(); // thread-safe: it queues its own start-up onto its thread
}

void TrafficCapture::stopKafkaTail()
{
    if (!m_kafkaThread)
        return;
    // Never waited on: a tail may be inside a blocking lookup (bounded by its request
    // timeout). The thread ends when the lookup returns, deletes the tail on its way out and
    // is deleted by the application's thread, so whoever stops the capture (the GUI,
    // switching profile) never waits on the network.
    m_kafka->disconnect(this);
    m_kafka->stop();
    m_kafkaThread->setParent(nullptr);
    m_kafkaThread->moveToThread(QCoreApplication::instance()->thread());
    connect(m_kafkaThread, &QThread::finished, m_kafkaThread, &QObject::deleteLater);
    m_kafkaThread->quit();
    m_kafkaThread = nullptr;
    m_kafka = nullptr;
    m_batcher->removeSource(QStringLiteral("kafka"));
}

void TrafficCapture::addFrames(const QList<protocol::TrafficFrame> &frames)
{
    for (const protocol::TrafficFrame &frame : frames)
        m_batcher->add(frame);
}

void TrafficCapture::stop()
{
    stopProbe();
    stopRedisMonitor();
    stopKafkaTail();
    for (TapClient *client : std::as_const(m_clients)) {
        client->stop();
        delete client;
    }
    m_clients.clear();
    m_batcher->flush();
}

} // namespace sb::inspect
