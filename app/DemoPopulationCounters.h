#pragma once

#include "app/DemoPopulationStats.h"

#include <QMutex>
#include <QMutexLocker>

namespace sb::app {

// The one place the population's thread and its readers (the console, tests) share: the
// population writes a whole DemoPopulationStats every 250 ms, readers take a copy. A mutex
// held only to copy, so neither side ever waits for the other's work.
class DemoPopulationCounters
{
public:
    void publish(const DemoPopulationStats &stats)
    {
        QMutexLocker lock(&m_mutex);
        m_stats = stats;
    }
    DemoPopulationStats snapshot() const
    {
        QMutexLocker lock(&m_mutex);
        return m_stats;
    }

private:
    mutable QMutex m_mutex;
    DemoPopulationStats m_stats;
};

} // namespace sb::app
