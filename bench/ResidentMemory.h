#pragma once

#include <QByteArray>
#include <QFile>

// This process's resident set (VmRSS in /proc/self/status) in MiB, or -1 where unreadable.
inline qint64 residentMiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n'))
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').value(0).toLongLong() / 1024;
    return -1;
}
