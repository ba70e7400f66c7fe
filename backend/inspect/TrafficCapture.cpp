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
    case 1: return TapSourceStatus::State::Connecting;
    case 2: return TapSourceStatus::State::Live;
    case 3: return TapSourceStatus::State::Down;
    default: return TapSourceStatus::State::Stopped;
    }
}

TapSourceStatus::State probeSourceState(ProbeState state)
{
    switch (state) {
    case ProbeState::Connecting: return TapSourceStatus::State::Connecting;
    case ProbeState::Live: return TapSourceStatus::State::Live;
    case ProbeState::Reconnecting:
    case ProbeState::Failed: return TapSourceStatus::State::Down;
    case ProbeState::Idle:
    case ProbeState::Closed: break;
    }
    return TapSourceStatus::State::Stopped;
}

} // namespace

void TrafficCapture::startStompProbe(const StompProbeSettings &settings)
{
    stopProbe();
    m_stompProbe = new StompProbeClient(this);
    m_probeSource = settings.source;
    auto status = std::make_shared<TapSourceStatus>();
    status->id = settings.source;
    status->kind = QStringLiteral("probe");
    connect(m_stompProbe, &StompProbeClient::frame, this, [this](const protocol::TrafficFrame &frame) { m_batcher->add(frame); });
    connect(m_stompProbe, &StompProbeClient::stateChanged, this, [this, status](ProbeState state, const QString &detail) {
        const TapSourceStatus::State mapped = probeSourceState(state);
        if (mapped != status->state)
            status->since = QDateTime::currentDateTimeUtc();
        status->state = mapped;
        status->detail = QStringLiteral("STOMP probe %1%2").arg(probeStateName(state), detail.isEmpty() ? QString() : QStringLiteral(": ") + detail);
        m_batcher->setStatus(*status);
    });
    m_stompProbe->start(settings);
}

void TrafficCapture::startSseProbe(const SseProbeSettings &settings)
{
    stopProbe();
    m_sseProbe = new SseProbeClient(this);
    m_probeSource = settings.source;
    auto status = std::make_shared<TapSourceStatus>();
    status->id = settings.source;
    status->kind = QStringLiteral("probe");
    connect(m_sseProbe, &SseProbeClient::frame, this, [this](const protocol::TrafficFrame &frame) { m_batcher->add(frame); });
    connect(m_sseProbe, &SseProbeClient::stateChanged, this, [this, status](ProbeState state, const QString &detail) {
        const TapSourceStatus::State mapped = probeSourceState(state);
        if (mapped != status->state)
            status->since = QDateTime::currentDateTimeUtc();
        status->state = mapped;
        status->detail = QStringLiteral("SSE probe %1%2").arg(probeStateName(state), detail.isEmpty() ? QString() : QStringLiteral(": ") + detail);
        if (state == ProbeState::Reconnecting)
            ++status->reconnects;
        m_batcher->setStatus(*status);
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
    for (QObject *probe : {static_cast<QObject *>(m_stompProbe), static_cast<QObject *>(m_sseProbe)}) {
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
    auto status = std::make_shared<TapSourceStatus>();
    status->id = QStringLiteral("redis");
    status->kind = QStringLiteral("redis");
    connect(m_redis, &RedisPubSubMonitor::framesReady, this, [this](const QList<protocol::TrafficFrame> &frames) {
        for (const protocol::TrafficFrame &frame : frames)
            m_batcher->add(frame);
    });
    connect(m_redis, &RedisPubSubMonitor::stateChanged, this,
            [this, status](RedisPubSubMonitor::State state, const QString &reason) {
                const TapSourceStatus::State mapped = sourceState(int(state));
                if (mapped != status->state)
                    status->since = QDateTime::currentDateTimeUtc();
                status->state = mapped;
                status->detail = reason;
                m_batcher->setStatus(*status);
            });
    connect(m_redis, &RedisPubSubMonitor::framesDropped, this, [this, status](qint64 total) {
        status->droppedBySource = total; // sampled away above the monitor's rate bound
        m_batcher->setStatus(*status);
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
    auto status = std::make_shared<TapSourceStatus>();
    status->id = QStringLiteral("kafka");
    status->kind = QStringLiteral("kafka");
    // Queued (the tail's thread to this one), with this as context.
    connect(m_kafka, &KafkaTopicTail::framesReady, this, [this](const QList<protocol::TrafficFrame> &frames) {
        for (const protocol::TrafficFrame &frame : frames)
            m_batcher->add(frame);
    });
    connect(m_kafka, &KafkaTopicTail::stateChanged, this,
            [this, status](KafkaTopicTail::State state, const QString &reason) {
                const TapSourceStatus::State mapped = sourceState(int(state));
                if (mapped != status->state)
                    status->since = QDateTime::currentDateTimeUtc();
                status->state = mapped;
                status->detail = reason;
                m_batcher->setStatus(*status);
            });
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
