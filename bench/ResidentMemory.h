#pragma once

#include <QByteArray>
#include <QFile>

// A figure of /proc/self/status in kB ("VmRSS:", "VmHWM:") as MiB, or -1 where unreadable.
inline qint64 statusMiB(const QByteArray &field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(field.size()).trimmed().split(' ').value(0).toLongLong() / 1024;
    return -1;
}

// This process's resident set (VmRSS) in MiB, or -1 where unreadable.
inline qint64 residentMiB()
{
    return statusMiB("VmRSS:");
}

// The highest this process's resident set has been (VmHWM) in MiB, or -1 where unreadable.
inline qint64 peakResidentMiB()
{
    return statusMiB("VmHWM:");
}
