#include "node/MemoryTrimmer.h"

#include "node/NodeMetrics.h"

#include <QFile>
#include <QLoggingCategory>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

Q_LOGGING_CATEGORY(lcMemory, "sb.node.memory")

namespace sb::node {

namespace {
qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong();
    return -1;
}
} // namespace

MemoryTrimmer::MemoryTrimmer(const NodeMetrics *metrics, QObject *parent, int intervalMs)
    : QObject(parent)
    , m_metrics(metrics)
    , m_timer(this)
{
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, &MemoryTrimmer::check);
}

void MemoryTrimmer::start()
{
    m_peak = m_last = m_metrics->totalConnections();
    m_outboundPeak = m_outboundLast = m_metrics->outboundQueuedBytes();
    m_timer.start();
}

bool MemoryTrimmer::settledAfterFall(qint64 now, qint64 minFall, qint64 *peak, qint64 *last)
{
    const bool falling = now < *last;
    *last = now;
    *peak = qMax(*peak, now);
    if (falling || *peak - now < minFall)
        return false; // wait until the fall is over: one trim, not one per step
    *peak = now;
    return true;
}

void MemoryTrimmer::check()
{
    const qint64 open = m_metrics->totalConnections();
    const qint64 closed = m_peak - open;
    const qint64 queued = m_metrics->outboundQueuedBytes();
    const qint64 drained = m_outboundPeak - queued;
    // Both are looked at every time, so each keeps its own peak; one trim serves both.
    const bool connectionsFell = settledAfterFall(open, kMinShed, &m_peak, &m_last);
    const bool queuesFell = settledAfterFall(queued, kMinOutboundShedBytes, &m_outboundPeak, &m_outboundLast);
    if (connectionsFell)
        trim(QByteArray::number(closed) + " connections closed");
    else if (queuesFell)
        trim(QByteArray::number(drained / (1024 * 1024)) + " MiB of outbound queues gone");
}

void MemoryTrimmer::trim(const QByteArray &why)
{
    ++m_trims;
#if defined(__GLIBC__)
    const qint64 before = residentKiB();
    malloc_trim(0);
    const qint64 after = residentKiB();
    qCInfo(lcMemory).nospace() << why.constData() << ": gave " << (before - after) / 1024
                               << " MiB back to the system (resident " << before / 1024 << " -> "
                               << after / 1024 << " MiB)";
#else
    Q_UNUSED(why);
#endif
}

} // namespace sb::node
