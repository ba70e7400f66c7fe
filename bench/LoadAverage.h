#pragma once

#include <QByteArray>
#include <QFile>

// The machine's 1, 5 and 15 minute load averages (/proc/loadavg), "?" where unreadable:
// other work on the machine shows in a bench's times, so a bench prints it beside them.
inline QByteArray loadAverage()
{
    QFile file(QStringLiteral("/proc/loadavg"));
    return file.open(QIODevice::ReadOnly) ? file.readAll().split(' ').mid(0, 3).join(' ') : QByteArray("?");
}
