#include "app/FaultOffsetReader.h"

#include "app/FaultOffsetProbe.h"

#include <QPointer>

namespace sb::app {

FaultOffsetReader::FaultOffsetReader(cluster::KafkaSettings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
    m_thread.setObjectName(QStringLiteral("fault-offset-probe"));
}

FaultOffsetReader::~FaultOffsetReader()
{
    if (m_thread.isRunning()) {
        m_thread.quit();
        m_thread.wait(); // bounded: a watermark query gives up after 5 s
    }
    delete m_probe;
}

int FaultOffsetReader::ask(QObject *context, Answer done)
{
    if (!m_probe) {
        m_probe = new FaultOffsetProbe(m_settings);
        m_probe->moveToThread(&m_thread);
        const auto answer = [this](int ticket, qint64 value, const QString &error) {
            if (Answer callback = m_pending.take(ticket))
                callback(value, error);
        };
        connect(m_probe, &FaultOffsetProbe::endOffsets, this, answer);
        connect(m_probe, &FaultOffsetProbe::lag, this, answer);
        m_thread.start();
    }
    const int ticket = m_nextTicket++;
    QPointer<QObject> guard = context;
    m_pending.insert(ticket, [guard, done = std::move(done)](qint64 value, const QString &error) {
        if (guard)
            done(value, error);
    });
    return ticket;
}

void FaultOffsetReader::readEndOffsets(
    const QByteArray &topic, QObject *context, std::function<void(qint64, const QString &)> done)
{
    const int ticket = ask(context, std::move(done));
    QMetaObject::invokeMethod(
        m_probe, [probe = m_probe, ticket, topic] { probe->read(ticket, topic); }, Qt::QueuedConnection);
}

void FaultOffsetReader::readLag(const QByteArray &topic, const QByteArray &group, QObject *context,
    std::function<void(qint64, const QString &)> done)
{
    const int ticket = ask(context, std::move(done));
    QMetaObject::invokeMethod(
        m_probe, [probe = m_probe, ticket, topic, group] { probe->readLag(ticket, topic, group); },
        Qt::QueuedConnection);
}

} // namespace sb::app
