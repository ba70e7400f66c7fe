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
    m_timer.start();
}

void MemoryTrimmer::check()
{
    const qint64 open = m_metrics->totalConnections();
    const bool falling = open < m_last;
    m_last = open;
    m_peak = qMax(m_peak, open);
    if (falling || m_peak - open < kMinShed)
        return; // wait until the closing is over: one trim, not one per step
    trim(m_peak - open);
    m_peak = open;
}

void MemoryTrimmer::trim(qint64 shed)
{
    ++m_trims;
#if defined(__GLIBC__)
    const qint64 before = residentKiB();
    malloc_trim(0);
    const qint64 after = residentKiB();
    qCInfo(lcMemory).nospace() << shed << " connections closed: gave " << (before - after) / 1024
                               << " MiB back to the system (resident " << before / 1024 << " -> "
                               << after / 1024 << " MiB)";
#else
    Q_UNUSED(shed);
#endif
}

} // namespace sb::node
