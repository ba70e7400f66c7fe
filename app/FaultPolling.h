#pragma once

#include <QObject>
#include <QTimer>

#include <functional>

namespace sb::app {

// Calls `poll` now, then every `intervalMs` until `watch` (a fault event's watch) ends.
inline void pollEvery(QObject *watch, int intervalMs, std::function<void()> poll)
{
    auto *timer = new QTimer(watch);
    QObject::connect(timer, &QTimer::timeout, watch, poll);
    timer->start(intervalMs);
    poll();
}

} // namespace sb::app
