#include "support/ReplicaProbeSeries.h"

#include <QDeadlineTimer>
#include <QProcess>

#include <algorithm>
#include <utility>

namespace sb::testing {

ReplicaProbeSeries::ReplicaProbeSeries(QNetworkAccessManager *network, QList<QUrl> nodes)
    : m_network(network)
    , m_nodes(std::move(nodes))
{ }

void ReplicaProbeSeries::readUntilFinished(QProcess *process, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (process->state() != QProcess::NotRunning && !deadline.hasExpired()) {
        read();
        process->waitForFinished(200);
    }
    read();
}

void ReplicaProbeSeries::readFor(QProcess *process, int durationMs)
{
    const QDeadlineTimer deadline(durationMs);
    while (process->state() != QProcess::NotRunning && !deadline.hasExpired()) {
        read();
        process->waitForFinished(int(std::min<qint64>(deadline.remainingTime(), 200)));
    }
}

const ReplicaProbeSeries::Reading *ReplicaProbeSeries::nearestTo(const QDateTime &at) const
{
    const Reading *nearest = nullptr;
    for (const Reading &r : m_readings)
        if (!nearest || qAbs(r.at.msecsTo(at)) < qAbs(nearest->at.msecsTo(at)))
            nearest = &r;
    return nearest;
}

void ReplicaProbeSeries::read()
{
    Reading reading;
    reading.at = QDateTime::currentDateTimeUtc();
    for (const QUrl &node : std::as_const(m_nodes))
        reading.replicas.append(ReplicaProbes::read(m_network, node));
    m_readings.append(reading);
}

} // namespace sb::testing
