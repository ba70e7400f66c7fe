#include "RegistryWriter.h"

#include "cluster/RedisConnection.h"
#include "cluster/RedisHashWriter.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QTimer>

RegistryWriter::RegistryWriter(sb::cluster::RedisUrl url, int replicas)
    : m_url(std::move(url))
    , m_replicas(replicas)
{ }

RegistryWriter::~RegistryWriter() = default;

void RegistryWriter::start()
{
    m_connection = new sb::cluster::RedisConnection(m_url, {}, this);
    m_writer = std::make_unique<sb::cluster::RedisHashWriter>(m_connection);
    connect(m_connection, &sb::cluster::RedisConnection::connected, this, [this] { publish(); });
    m_connection->open();
    auto *timer = new QTimer(this);
    connect(timer, &QTimer::timeout, this, [this] { publish(); });
    timer->start(1000);
}

void RegistryWriter::publish()
{
    if (!m_connection->isConnected())
        return;
    const QByteArray now = QByteArray::number(QDateTime::currentMSecsSinceEpoch());
    auto *rng = QRandomGenerator::global();
    for (int i = 0; i < m_replicas; ++i) {
        m_writer->publish(QStringLiteral("bench-%1").arg(i, 3, 10, QLatin1Char('0')),
            { { "address", m_addresses.value(i, "10.0.0." + QByteArray::number(i) + ":8080") },
                { "started", now }, { "ready", "1" }, { "draining", "0" },
                { "ws", QByteArray::number(900 + rng->bounded(200)) },
                { "sse", QByteArray::number(100 + rng->bounded(50)) },
                { "subscriptions", QByteArray::number(2000 + rng->bounded(500)) },
                { "msgsInPerSec", QByteArray::number(rng->bounded(500.0), 'f', 1) },
                { "msgsOutPerSec", QByteArray::number(rng->bounded(5000.0), 'f', 1) },
                { "heartbeatTimeouts", "0" }, { "version", "bench" } },
            5);
    }
}
